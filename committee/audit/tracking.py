"""RemembersLoadedValues: a model instance keeps the values it was read with, so a verb can log before and after."""

from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

# Columns every save moves on its own: a change of theirs says nothing about what the verb did.
_UNTRACKED = {"id", "updated_at"}


class RemembersLoadedValues:
    """Django's documented `from_db` recipe: the row's values as read, before the verb changed anything."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = {
            name: value for name, value in zip(field_names, values, strict=True) if value is not models.DEFERRED
        }
        return instance


def _stored(value: Any) -> Any:
    return value.name if isinstance(value, FieldFile) else value


def current_values(instance: models.Model) -> dict[str, Any]:
    """The instance's own columns now (no many-to-manys), keyed by attribute name as `from_db` gives them."""
    return {
        field.attname: _stored(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.attname not in _UNTRACKED
    }


def loaded_values(instance: models.Model) -> dict[str, Any]:
    """The instance's columns as read from the database; empty for an instance not read from it (a new one)."""
    loaded = getattr(instance, "_loaded_values", {})
    return {name: _stored(value) for name, value in loaded.items() if name not in _UNTRACKED}
