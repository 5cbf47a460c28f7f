"""The audit log in the admin: superusers read all of it, a secretariat its own committees' entries, no one writes."""

import pytest
from django.urls import reverse

from committee.audit.log import record
from committee.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_auditentry_changelist")


@pytest.fixture
def superuser(db):
    from tests import cast

    return cast.make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def entries(committee, other_committee, secretariat, msit, mohw):
    return {
        "own": record(
            "committee.agencies_changed",
            actor=secretariat,
            target=committee,
            changes={"agencies": [[msit.pk], [msit.pk, mohw.pk]]},
            committee_id=committee.pk,
        ),
        "other": record(
            "committee.secretariat_changed", actor=None, target=other_committee, committee_id=other_committee.pk
        ),
        "global": record("agency.changed", actor=None, target=msit, changes={"name_en": ["Old", "New"]}),
    }


@pytest.fixture
def other_committee(db):
    from tests import cast

    return cast.make_committee("SUB")


def listed(client, query=""):
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return {entry.pk for entry in response.context["cl"].result_list}


def test_superuser_reads_every_entry_and_filters_by_action(client, superuser, entries):
    client.force_login(superuser)
    assert listed(client) == {entry.pk for entry in entries.values()}
    assert listed(client, "?action=agency.changed") == {entries["global"].pk}
    assert listed(client, "?q=SUB") == {entries["other"].pk}


def test_the_change_page_shows_before_and_after_with_names(client, superuser, entries):
    client.force_login(superuser)
    response = client.get(reverse("admin:audit_auditentry_change", args=[entries["own"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "MOHW" in page and "member agencies" in page


def test_a_secretariat_reads_only_entries_about_its_own_committees(client, secretariat, entries):
    client.force_login(secretariat)
    assert listed(client) == {entries["own"].pk}
    response = client.get(reverse("admin:audit_auditentry_change", args=[entries["other"].pk]))
    assert response.status_code == 302  # Django's "does not exist" redirect


def test_liaisons_do_not_reach_the_log(client, lead_liaison, entries):
    client.force_login(lead_liaison)
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_no_one_adds_changes_or_deletes_entries_in_the_admin(client, superuser, entries):
    client.force_login(superuser)
    entry = entries["own"]
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    client.post(change, {"action": "forged"})
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    response = client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    assert AuditEntry.objects.get(pk=entry.pk).action == "committee.agencies_changed"
