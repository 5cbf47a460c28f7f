"""The audit log: one entry per change with who, what and before/after, and nothing can rewrite it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from committee.audit.log import diff, history_of, record, snapshot
from committee.audit.models import AppendOnlyError, AuditEntry
from committee.directory.models import Committee, Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(secretariat, lead_liaison, msit, mohw):
    profile = lead_liaison.profile
    return record(
        "profile.liaison_agency_changed",
        actor=secretariat,
        target=profile,
        changes={"agency": [msit.pk, mohw.pk]},
        detail="A test entry.",
        committee_id=7,
        client_address="192.0.2.10",
    )


def test_an_entry_keeps_who_what_which_object_and_the_values_before_and_after(entry, secretariat, lead_liaison):
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.actor_label, stored.action) == (
        secretariat,
        "secretariat",
        "profile.liaison_agency_changed",
    )
    assert stored.content_type == ContentType.objects.get_for_model(Profile)
    assert (stored.object_id, stored.object_repr) == (str(lead_liaison.profile.pk), "liaison-msit")
    assert stored.changes == {"agency": [entry.changes["agency"][0], entry.changes["agency"][1]]}
    assert (stored.committee_id, stored.client_address, stored.detail) == (7, "192.0.2.10", "A test entry.")
    assert list(history_of(lead_liaison.profile)) == [stored]


def test_the_system_is_recorded_as_no_one(committee):
    stored = record("committee.checked", actor=None, target=committee)
    assert (stored.actor, stored.actor_label) == (None, "")


def test_snapshot_and_diff_give_keys_for_related_objects_and_sorted_lists_for_many_to_many(committee, msit, mohw):
    before = snapshot(committee, ["agencies", "quorum_rule", "parent"])
    committee.agencies.remove(msit)
    committee.quorum_rule = Committee.QuorumRule.TWO_THIRDS
    after = snapshot(committee, ["agencies", "quorum_rule", "parent"])
    changes = diff(before, after)
    assert set(changes) == {"agencies", "quorum_rule"}
    assert changes["quorum_rule"] == ["majority", "two_thirds"]
    assert msit.pk in changes["agencies"][0] and msit.pk not in changes["agencies"][1]
    assert changes["agencies"][0] == sorted(changes["agencies"][0])


def test_an_entry_cannot_be_saved_again(entry):
    entry.action = "something.else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "profile.liaison_agency_changed"


@pytest.mark.parametrize(
    "attempt",
    [
        lambda entry: entry.delete(),
        lambda entry: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda entry: AuditEntry.objects.all().delete(),
        lambda entry: AuditEntry.objects.filter(pk=entry.pk).update(action="x"),
        lambda entry: AuditEntry.objects.bulk_update([entry], ["action"]),
    ],
    ids=["instance delete", "queryset delete", "delete all", "queryset update", "bulk update"],
)
def test_the_application_cannot_change_or_delete_an_entry(entry, attempt):
    with pytest.raises(AppendOnlyError):
        attempt(entry)
    assert AuditEntry.objects.get(pk=entry.pk).action == "profile.liaison_agency_changed"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'forged' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(entry, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "profile.liaison_agency_changed"
