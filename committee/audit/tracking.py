"""RemembersLoadedValues: a model instance keeps the values it was read with, so a verb can log before and after."""

from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

# Columns every save moves on its own: a change of theirs says nothing about what the verb did.
_UNTRACKED = {"id", "updated_at"}


class RemembersLoadedValues:
    """Django's documented `from_db` recipe: the row's values as read, before the verb changed anything."""

    # A model's own bookkeeping columns, derived from others (a reminder schedule): the log would only repeat them.
    untracked_columns: frozenset[str] = frozenset()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = {
            name: value for name, value in zip(field_names, values, strict=True) if value is not models.DEFERRED
        }
        return instance


def _stored(value: Any) -> Any:
    return value.name if isinstance(value, FieldFile) else value


def _untracked(instance: models.Model) -> set[str]:
    return _UNTRACKED | getattr(instance, "untracked_columns", frozenset())


def current_values(instance: models.Model) -> dict[str, Any]:
    """The instance's own columns now (no many-to-manys), keyed by attribute name as `from_db` gives them."""
    untracked = _untracked(instance)
    return {
        field.attname: _stored(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.attname not in untracked
    }


def loaded_values(instance: models.Model) -> dict[str, Any]:
    """The instance's columns as read from the database; empty for an instance not read from it (a new one)."""
    loaded, untracked = getattr(instance, "_loaded_values", {}), _untracked(instance)
    return {name: _stored(value) for name, value in loaded.items() if name not in untracked}
