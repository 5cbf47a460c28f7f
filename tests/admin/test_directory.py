"""The directory in the secretariat's admin: its own committee's settings and memberships, nothing more."""

import pytest
from django.urls import reverse

from committee.directory.models import Committee, CommitteeMembership
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db


def test_secretariat_updates_its_committee_but_not_who_staffs_it(desk, committee, outsider):
    url = reverse("admin:directory_committee_change", args=[committee.pk])
    response = desk.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "secretariat" not in form.fields and "code" not in form.fields
    data = form_data(response)
    data.update({"description": "Deliberates on national bio policy.", "secretariat": [str(outsider.pk)]})
    assert desk.post(url, data).status_code == 302
    committee.refresh_from_db()
    assert committee.description == "Deliberates on national bio policy."
    assert not committee.secretariat.filter(pk=outsider.pk).exists()


def test_secretariat_cannot_create_or_delete_committees(desk, committee):
    assert desk.get(reverse("admin:directory_committee_add")).status_code == 403
    url = reverse("admin:directory_committee_delete", args=[committee.pk])
    assert desk.post(url, {"post": "yes"}).status_code == 403
    assert Committee.objects.filter(pk=committee.pk).exists()


def test_a_bad_quorum_rule_is_refused_on_the_form(desk, committee):
    url = reverse("admin:directory_committee_change", args=[committee.pk])
    data = form_data(desk.get(url))
    data.update({"quorum_rule": "fixed", "quorum_fixed": ""})
    response = desk.post(url, data)
    assert response.status_code == 200
    assert "Give the number of members that makes a quorum." in response.content.decode()


def test_memberships_can_be_added_only_to_managed_committees(desk, committee, other_committee, outsider):
    response = desk.get(reverse("admin:directory_committeemembership_add"))
    assert list(response.context["adminform"].form.fields["committee"].queryset) == [committee]
    data = form_data(response)
    data.update({"committee": str(other_committee.pk), "user": str(outsider.pk), "role": "expert"})
    response = desk.post(reverse("admin:directory_committeemembership_add"), data)
    assert response.status_code == 200
    assert not CommitteeMembership.objects.filter(user=outsider).exists()
    data["committee"] = str(committee.pk)
    assert desk.post(reverse("admin:directory_committeemembership_add"), data).status_code == 302
    assert CommitteeMembership.objects.get(user=outsider).committee == committee
