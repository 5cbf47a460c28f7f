"""The audit log's whole API: `record()` one entry, and `snapshot()`/`diff()` to say what changed.

Call `record()` inside the transaction of the change it describes, so the entry and the change are
committed together or not at all:

    before = snapshot(profile, ["agency"])
    profile.agency = agency
    profile.save(update_fields=["agency"])
    record("profile.liaison_agency", actor=by, target=profile, changes=diff(before, snapshot(profile, ["agency"])))

Values are stored as JSON: related objects by primary key (the admin shows their names), many-to-many
fields as sorted lists of keys, dates and decimals as text.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry

Changes = Mapping[str, Sequence[Any]]


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The listed fields' values as the audit log stores them; an unsaved instance has empty many-to-manys."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else []
        else:
            values[name] = getattr(instance, field.attname)
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for every field whose value differs (a field missing on one side is None)."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record(
    action: str,
    *,
    actor: models.Model | None,
    target: models.Model | None = None,
    changes: Changes | None = None,
    detail: str = "",
    committee_id: int | None = None,
    client_address: str | None = None,
) -> AuditEntry:
    """Append one entry: `actor` did `action` (a short dotted slug, e.g. "membership.created") to `target`.

    `actor` None means the system (a command, a periodic task). `committee_id` names the committee the
    change concerns, so that committee's secretariat may read the entry.
    """
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_person else None,
        actor_label=actor.get_username() if is_person else "",
        action=action,
        content_type=ContentType.objects.get_for_model(target) if target else None,
        object_id=str(target.pk) if target is not None and target.pk is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        committee_id=committee_id,
        changes={name: list(values) for name, values in (changes or {}).items()},
        detail=detail,
        client_address=client_address or None,
    )


def history_of(target: models.Model):
    """Every entry about one object, newest first."""
    content_type = ContentType.objects.get_for_model(target)
    return AuditEntry.objects.filter(content_type=content_type, object_id=str(target.pk))
