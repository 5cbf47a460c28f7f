"""Who may grant whom which reach: liaison agencies, secretariat seats, member agencies, memberships, accounts.

Finding 1 of the outside probe: a secretariat made itself liaison of any agency through the profile admin.
Every grant is now a superuser's (memberships aside, which a committee's secretariat keeps), never one's own,
and is written to the audit log with its values before and after.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from committee.audit.models import AuditEntry
from committee.directory import services
from committee.directory.models import CommitteeMembership, Profile
from tests import cast
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return cast.make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def other_committee(db):
    return cast.make_committee("SUB")


@pytest.fixture
def other_secretariat(other_committee):
    return cast.make_secretariat(other_committee, "secretariat-sub")


def profile_url(user):
    return reverse("admin:directory_profile_change", args=[user.profile.pk])


def post_profile(client, user, **changes):
    """The profile change form as the browser renders it, with some values changed (forged if not offered)."""
    response = client.get(profile_url(user))
    assert response.status_code == 200
    data = form_data(response)
    data.update({key: str(value) for key, value in changes.items()})
    return client.post(profile_url(user), data)


def agency_of(user):
    return Profile.objects.get(user=user).agency_id


def grant_entries():
    return AuditEntry.objects.filter(action="profile.liaison_agency_changed")


# --- the liaison agency ---------------------------------------------------------------------------


@pytest.mark.parametrize("whose", ["secretariat", "lead_liaison", "member"])
def test_a_secretariat_cannot_set_anyones_liaison_agency_its_own_included(client, secretariat, mohw, whose, request):
    person = request.getfixturevalue(whose)
    before = agency_of(person)
    client.force_login(secretariat)
    response = client.get(profile_url(person))
    assert "agency" not in response.context["adminform"].form.fields
    post_profile(client, person, agency=mohw.pk, phone="02-123-4567")
    assert agency_of(person) == before
    assert Profile.objects.get(user=person).phone == "02-123-4567"  # what the secretariat may keep, it keeps
    assert not grant_entries().exists()


def test_the_service_refuses_a_secretariats_grant_whatever_the_face(secretariat, member, mohw):
    profile = member.profile
    profile.agency = mohw
    with pytest.raises(services.GrantRefused):
        services.save_profile(profile, by=secretariat)
    assert agency_of(member) is None


def test_a_superuser_makes_someone_else_a_liaison_and_the_log_says_who_and_what(client, superuser, member, mohw):
    client.force_login(superuser)
    assert post_profile(client, member, agency=mohw.pk).status_code == 302
    assert agency_of(member) == mohw.pk
    entry = grant_entries().get()
    assert (entry.actor, entry.actor_label, entry.object_id) == (superuser, "root", str(member.profile.pk))
    assert entry.changes == {"agency": [None, mohw.pk]}
    assert entry.client_address == "127.0.0.1"


def test_a_superuser_moves_a_liaison_to_another_agency_with_before_and_after(
    client, superuser, lead_liaison, msit, mohw
):
    client.force_login(superuser)
    post_profile(client, lead_liaison, agency=mohw.pk)
    assert grant_entries().get().changes == {"agency": [msit.pk, mohw.pk]}


def test_a_superuser_cannot_make_themselves_a_liaison_on_either_page(client, superuser, mohw):
    client.force_login(superuser)
    response = client.get(profile_url(superuser))
    assert "agency" not in response.context["adminform"].form.fields
    post_profile(client, superuser, agency=mohw.pk)
    assert agency_of(superuser) is None
    user_url = reverse("admin:auth_user_change", args=[superuser.pk])
    response = client.get(user_url)
    assert "agency" not in response.context["inline_admin_formsets"][0].formset.forms[0].fields
    data = form_data(response)
    data["profile-0-agency"] = str(mohw.pk)
    client.post(user_url, data)
    assert agency_of(superuser) is None
    with pytest.raises(services.GrantRefused):
        profile = superuser.profile
        profile.agency = mohw
        services.save_profile(profile, by=superuser)
    assert not grant_entries().exists()


def test_a_superuser_grants_through_the_account_page_too_and_it_is_logged(client, superuser, member, mohw):
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[member.pk])
    data = form_data(client.get(url))
    data["profile-0-agency"] = str(mohw.pk)
    assert client.post(url, data).status_code == 302
    assert agency_of(member) == mohw.pk
    assert grant_entries().get().changes == {"agency": [None, mohw.pk]}


def test_a_profile_cannot_be_moved_to_another_account(superuser, member, outsider):
    profile = member.profile
    profile.user = outsider
    with pytest.raises(services.GrantRefused):
        services.save_profile(profile, by=superuser)


# --- accounts and groups ----------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["admin:auth_user_changelist", "admin:auth_group_changelist", "admin:auth_user_add"])
def test_staff_holding_djangos_account_permissions_still_cannot_manage_accounts(client, secretariat, page):
    """Django's user admin would let `auth.change_user` make anyone, oneself included, a superuser."""
    secretariat.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    client.force_login(secretariat)
    assert client.get(reverse(page)).status_code == 403
    url = reverse("admin:auth_user_change", args=[secretariat.pk])
    client.post(url, {"username": "secretariat", "is_superuser": "on", "is_staff": "on", "is_active": "on"})
    secretariat.refresh_from_db()
    assert not secretariat.is_superuser


def test_a_superuser_making_someone_staff_is_logged(client, superuser, member):
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[member.pk])
    data = form_data(client.get(url))
    data["is_staff"] = "on"
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="account.privileges_changed")
    assert (entry.actor, entry.object_id, entry.changes) == (superuser, str(member.pk), {"is_staff": [False, True]})


# --- secretariat seats and member agencies -------------------------------------------------------------


def committee_url(committee):
    return reverse("admin:directory_committee_change", args=[committee.pk])


def test_a_secretariat_cannot_change_which_agencies_sit_on_its_committee(client, secretariat, committee, mohw):
    """A member agency's liaisons draft and read in the committee: seating an agency is a grant."""
    committee.agencies.remove(mohw)
    client.force_login(secretariat)
    response = client.get(committee_url(committee))
    assert "agencies" not in response.context["adminform"].form.fields
    data = form_data(response)
    data["agencies"] = [str(agency.pk) for agency in (*committee.agencies.all(), mohw)]
    client.post(committee_url(committee), data)
    assert not committee.agencies.filter(pk=mohw.pk).exists()


def test_the_service_refuses_a_secretariats_seats_and_agencies_whatever_the_face(
    committee, secretariat, outsider, mohw
):
    committee.agencies.remove(mohw)
    with pytest.raises(services.GrantRefused):
        services.set_committee_links(committee, by=secretariat, agencies=[*committee.agencies.all(), mohw])
    with pytest.raises(services.GrantRefused):
        services.set_committee_links(committee, by=secretariat, secretariat=[secretariat, outsider])
    assert not committee.agencies.filter(pk=mohw.pk).exists()
    assert list(committee.secretariat.all()) == [secretariat]


def test_a_superuser_seats_secretariat_staff_and_agencies_and_both_are_logged(
    client, superuser, committee, secretariat, outsider, mohw
):
    committee.agencies.remove(mohw)
    client.force_login(superuser)
    data = form_data(client.get(committee_url(committee)))
    data["secretariat"] = [str(secretariat.pk), str(outsider.pk)]
    data["agencies"] = [*data["agencies"], str(mohw.pk)]
    assert client.post(committee_url(committee), data).status_code == 302
    assert set(committee.secretariat.all()) == {secretariat, outsider}
    seats = AuditEntry.objects.get(action="committee.secretariat_changed")
    assert seats.changes == {"secretariat": [[secretariat.pk], sorted([secretariat.pk, outsider.pk])]}
    assert seats.committee_id == committee.pk and seats.actor == superuser
    agencies = AuditEntry.objects.get(action="committee.agencies_changed")
    assert mohw.pk not in agencies.changes["agencies"][0] and mohw.pk in agencies.changes["agencies"][1]


def test_not_even_a_superuser_gives_themselves_a_secretariat_seat(client, superuser, committee, secretariat):
    client.force_login(superuser)
    data = form_data(client.get(committee_url(committee)))
    data["secretariat"] = [str(secretariat.pk), str(superuser.pk)]
    client.post(committee_url(committee), data)
    assert list(committee.secretariat.all()) == [secretariat]
    assert not AuditEntry.objects.filter(action="committee.secretariat_changed").exists()


# --- memberships ------------------------------------------------------------------------------------


ADD_MEMBERSHIP = reverse("admin:directory_committeemembership_add")


def add_membership(client, committee, user, **extra):
    data = {"committee": str(committee.pk), "user": str(user.pk), "role": "expert", "term_start": "2026-01-01"}
    data.update(extra)
    return client.post(ADD_MEMBERSHIP, data)


def test_a_secretariat_cannot_make_itself_a_member(client, secretariat, committee):
    client.force_login(secretariat)
    add_membership(client, committee, secretariat)
    assert not CommitteeMembership.objects.filter(user=secretariat).exists()


def test_a_secretariat_cannot_seat_another_committees_people(client, secretariat, committee, other_committee):
    stranger = cast.make_member(other_committee, "member-sub")
    other_staff = cast.make_secretariat(other_committee, "secretariat-sub")
    client.force_login(secretariat)
    for person in (stranger, other_staff):
        response = add_membership(client, committee, person)
        assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not CommitteeMembership.objects.filter(committee=committee, user__in=[stranger, other_staff]).exists()


def test_a_membership_keeps_its_person(client, secretariat, committee, member, outsider):
    membership = CommitteeMembership.objects.get(user=member)
    url = reverse("admin:directory_committeemembership_change", args=[membership.pk])
    client.force_login(secretariat)
    response = client.get(url)
    assert {"user", "committee"}.isdisjoint(response.context["adminform"].form.fields)
    data = form_data(response)
    data.update({"user": str(outsider.pk), "role": "chair"})
    assert client.post(url, data).status_code == 302
    membership.refresh_from_db()
    assert (membership.user, membership.role) == (member, "chair")


def test_a_secretariat_keeps_its_members_and_every_step_is_logged(client, secretariat, committee, outsider):
    client.force_login(secretariat)
    assert add_membership(client, committee, outsider).status_code == 302
    membership = CommitteeMembership.objects.get(user=outsider)
    url = reverse("admin:directory_committeemembership_change", args=[membership.pk])
    data = form_data(client.get(url))
    data["term_end"] = "2026-06-30"
    assert client.post(url, data).status_code == 302
    data["role"] = "chair"
    assert client.post(url, data).status_code == 302
    delete = reverse("admin:directory_committeemembership_delete", args=[membership.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    entries = list(AuditEntry.objects.filter(object_id=str(membership.pk)).order_by("pk"))
    assert [entry.action for entry in entries] == [
        "membership.created",
        "membership.ended",
        "membership.changed",
        "membership.deleted",
    ]
    assert all(entry.actor == secretariat and entry.committee_id == committee.pk for entry in entries)
    assert entries[0].changes["user"] == [None, outsider.pk]
    assert entries[1].changes == {"term_end": [None, "2026-06-30"]}
    assert entries[2].changes == {"role": ["expert", "chair"]}
    assert entries[3].changes["user"] == [outsider.pk, None]


def test_a_secretariat_cannot_change_or_end_its_own_membership(client, superuser, secretariat, committee):
    membership = CommitteeMembership.objects.create(committee=committee, user=secretariat, term_start="2026-01-01")
    client.force_login(secretariat)
    url = reverse("admin:directory_committeemembership_change", args=[membership.pk])
    response = client.get(url)
    assert response.status_code == 200 and "role" not in response.context["adminform"].form.fields
    client.post(url, {"role": "chair", "term_start": "2026-01-01", "term_end": "2026-01-02"})
    delete = reverse("admin:directory_committeemembership_delete", args=[membership.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    membership.refresh_from_db()
    assert (membership.role, membership.term_end) == ("expert", None)


def test_the_service_refuses_a_change_of_ones_own_membership(superuser, secretariat, committee):
    membership = CommitteeMembership.objects.create(committee=committee, user=secretariat, term_start="2026-01-01")
    membership.role = CommitteeMembership.Role.CHAIR
    with pytest.raises(services.GrantRefused):
        services.save_membership(membership, by=secretariat)
    membership.refresh_from_db()
    assert membership.role == CommitteeMembership.Role.EXPERT


def test_another_committees_secretariat_cannot_seat_anyone_here(client, other_secretariat, committee, outsider):
    client.force_login(other_secretariat)
    add_membership(client, committee, outsider)
    assert not CommitteeMembership.objects.filter(user=outsider).exists()
    with pytest.raises(services.GrantRefused):
        services.save_membership(CommitteeMembership(committee=committee, user=outsider), by=other_secretariat)
