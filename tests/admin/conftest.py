"""Clients and a small world of committee paper for the admin tests."""

import datetime

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.utils import timezone

from policies import services
from policies.models import DigestPreference, ProposalState
from tests import cast


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast creates many users; a real hasher would make every test seconds slower and prove nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client_for(client):
    """A test client logged in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def desk(admin_client_for, secretariat):
    """The secretariat's browser on the admin."""
    return admin_client_for(secretariat)


@pytest.fixture
def other_committee(db):
    return cast.make_committee("SUB")


@pytest.fixture
def other_secretariat(other_committee):
    return cast.make_secretariat(other_committee, "secretariat-sub")


@pytest.fixture
def superuser(db):
    user = cast.make_user("root", is_staff=True, is_superuser=True)
    return user


@pytest.fixture
def world(committee, secretariat, lead_liaison, other_liaison, mohw, motie, proposal_in_state, member):
    """One of everything: a decided proposal with a follow-up action and progress, a consultation, a meeting."""
    decided = proposal_in_state(ProposalState.DECIDED, title="Decided proposal")
    decision = decided.agenda_items.get().decision
    action = services.assign_follow_up_action(
        decision,
        by=secretariat,
        agency=mohw,
        title="Draft the pilot plant regulation",
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    services.report_progress(action, by=other_liaison, text="Consultations begun.", percent_complete=20)
    reviewed = proposal_in_state(ProposalState.UNDER_REVIEW, title="Proposal under review")
    services.request_consultations(
        reviewed, by=secretariat, agencies=[mohw, motie], deadline=timezone.localdate() + datetime.timedelta(days=7)
    )
    preference = DigestPreference.objects.create(user=member)
    return {
        "decided": decided,
        "decision": decision,
        "meeting": decision.agenda_item.meeting,
        "action": action,
        "reviewed": reviewed,
        "consultation": reviewed.consultations.first(),
        "preference": preference,
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_data(response) -> dict:
    """The POST data a browser would send back for an admin change form as rendered, inlines included."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            html_name = form.add_prefix(name)
            value = form[name].value()
            if isinstance(field.widget, forms.MultiWidget):
                parts = value if isinstance(value, list) else field.widget.decompress(value)
                for index, part in enumerate(parts):
                    data[f"{html_name}_{index}"] = "" if part is None else str(part)
            elif isinstance(value, list | tuple):
                data[html_name] = [str(item) for item in value]
            elif isinstance(value, bool):
                if value:
                    data[html_name] = "on"
            else:
                data[html_name] = "" if value is None else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for form in formset.forms:
            add(form)
    return data
