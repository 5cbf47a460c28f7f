"""Agencies are reference data shared by every committee (finding 4): superusers keep them, acronyms in use hold."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee.audit.models import AuditEntry
from committee.directory import services
from committee.directory.models import Agency
from policies.models import AgendaItem
from tests import cast
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db

ADD = reverse("admin:directory_agency_add")


def change_url(agency):
    return reverse("admin:directory_agency_change", args=[agency.pk])


@pytest.fixture
def unused(db):
    return Agency.objects.create(acronym="KFDA", name_ko="식품의약품안전처", name_en="Food and Drug Safety")


def test_a_secretariat_cannot_add_an_agency(desk):
    assert desk.get(ADD).status_code == 403
    desk.post(ADD, {"acronym": "NEWA", "name_ko": "새 기관", "name_en": "New agency", "is_active": "on"})
    assert not Agency.objects.filter(acronym="NEWA").exists()


@pytest.mark.parametrize(
    "changes",
    [{"name_en": "Renamed ministry"}, {"acronym": "KFDB"}, {"is_active": ""}],
    ids=["rename", "new acronym", "deactivate"],
)
def test_a_secretariat_reads_an_agency_but_cannot_rename_or_deactivate_it(desk, unused, changes):
    response = desk.get(change_url(unused))
    assert response.status_code == 200  # reference data: readable
    assert not response.context["has_change_permission"]
    data = {"acronym": "KFDA", "name_ko": "식품의약품안전처", "name_en": "Food and Drug Safety", "is_active": "on"}
    data.update(changes)
    assert desk.post(change_url(unused), data).status_code == 403
    unused.refresh_from_db()
    assert (unused.acronym, unused.name_en, unused.is_active) == ("KFDA", "Food and Drug Safety", True)


def test_a_secretariat_cannot_delete_an_agency(desk, unused):
    assert desk.post(reverse("admin:directory_agency_delete", args=[unused.pk]), {"post": "yes"}).status_code == 403
    assert Agency.objects.filter(pk=unused.pk).exists()


def test_a_superuser_renames_and_deactivates_an_agency_and_the_log_keeps_both_values(admin_client_for, superuser, msit):
    client = admin_client_for(superuser)
    data = form_data(client.get(change_url(msit)))
    data.update({"name_en": "Ministry of Science, ICT and Future Planning"})
    data.pop("is_active")
    assert client.post(change_url(msit), data).status_code == 302
    msit.refresh_from_db()
    assert (msit.acronym, msit.is_active) == ("MSIT", False)
    entry = AuditEntry.objects.get(action="agency.changed")
    assert entry.actor == superuser
    assert entry.changes == {
        "is_active": [True, False],
        "name_en": ["Ministry of Science and ICT", "Ministry of Science, ICT and Future Planning"],
    }


def test_a_superuser_changes_the_acronym_of_an_agency_nothing_refers_to(admin_client_for, superuser, unused):
    client = admin_client_for(superuser)
    data = form_data(client.get(change_url(unused)))
    data["acronym"] = "MFDS"
    assert client.post(change_url(unused), data).status_code == 302
    unused.refresh_from_db()
    assert unused.acronym == "MFDS"


@pytest.mark.parametrize("user", ["lead_liaison", "member", "committee"], ids=["liaison", "membership", "committee"])
def test_not_even_a_superuser_changes_an_acronym_in_use(admin_client_for, superuser, unused, committee, user, request):
    """Liaisons, memberships and committees refer to the agency (so do proposals, consultations and actions)."""
    committee.agencies.remove(unused)
    referrer = request.getfixturevalue(user)
    if user == "lead_liaison":
        referrer.profile.agency = unused
        referrer.profile.save()
    elif user == "member":
        referrer.memberships.update(agency=unused)
    else:
        committee.agencies.add(unused)
    client = admin_client_for(superuser)
    data = form_data(client.get(change_url(unused)))
    data["acronym"] = "MFDS"
    response = client.post(change_url(unused), data)
    assert response.status_code == 200
    assert "KFDA is in use" in str(response.context["adminform"].form.errors["acronym"])
    unused.refresh_from_db()
    assert unused.acronym == "KFDA"


def test_an_agency_that_only_presents_a_report_on_an_agenda_is_in_use(committee, secretariat, unused):
    """The presenter relation has no name on Agency (related_name="+"), and still counts."""
    meeting = cast.make_meeting(committee, secretariat)
    AgendaItem.objects.create(meeting=meeting, kind=AgendaItem.Kind.REPORT, title="Briefing", presenter=unused)
    assert unused.is_in_use()
    unused.acronym = "MFDS"
    with pytest.raises(ValidationError):
        unused.full_clean()


def test_an_acronym_in_use_holds_on_every_path_not_only_the_form(world, msit, superuser):
    msit.acronym = "MSICT"
    with pytest.raises(ValidationError):
        msit.full_clean()
    with pytest.raises(ValidationError):
        msit.save()
    with pytest.raises(ValidationError):
        services.save_agency(msit, by=superuser)
    assert Agency.objects.get(pk=msit.pk).acronym == "MSIT"


def test_an_agency_in_use_is_never_deleted(admin_client_for, superuser, msit):
    client = admin_client_for(superuser)
    assert client.post(reverse("admin:directory_agency_delete", args=[msit.pk]), {"post": "yes"}).status_code == 403
    with pytest.raises(services.GrantRefused):
        services.delete_agency(msit, by=superuser)
    assert Agency.objects.filter(pk=msit.pk).exists()  # its committees would silently lose it otherwise


def test_a_superuser_adds_an_agency_and_it_is_logged(admin_client_for, superuser):
    client = admin_client_for(superuser)
    data = {"acronym": "KDCA", "name_ko": "질병관리청", "name_en": "Disease Control Agency", "is_active": "on"}
    assert client.post(ADD, data).status_code == 302
    entry = AuditEntry.objects.get(action="agency.created")
    assert entry.changes["acronym"] == [None, "KDCA"] and entry.actor == superuser


def test_the_agency_service_refuses_a_secretariat_whatever_the_face(secretariat, unused):
    unused.name_en = "Renamed"
    with pytest.raises(services.GrantRefused):
        services.save_agency(unused, by=secretariat)
    with pytest.raises(services.GrantRefused):
        services.delete_agency(unused, by=secretariat)
    unused.refresh_from_db()
    assert unused.name_en == "Food and Drug Safety"
