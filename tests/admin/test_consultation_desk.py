"""The secretariat's consultation desk in the admin: keep or close awaited opinions when accepting or returning,
ask a single agency, extend a deadline, close or withdraw a request; a refusal keeps what was typed."""

import datetime

import pytest
from django.urls import reverse

from committee.dates import seoul_today
from committee.outbox.models import Notification
from policies import services
from policies.models import Consultation, ProposalState
from tests import cast
from tests.admin.conftest import messages_of

pytestmark = pytest.mark.django_db
S = ProposalState


@pytest.fixture
def consulted(proposal_in_state, secretariat, mohw):
    proposal = proposal_in_state(S.UNDER_REVIEW)
    (consultation,) = services.request_consultations(proposal, by=secretariat, agencies=[mohw], working_days=5)
    return consultation


def transition_url(proposal, action):
    return reverse("admin:policies_proposal_transition", args=[proposal.pk, action])


def action_url(consultation, action):
    return reverse("admin:policies_consultation_action", args=[consultation.pk, action])


def fresh(consultation):
    return Consultation.objects.select_related("proposal").get(pk=consultation.pk)


def test_the_accept_button_asks_first_listing_the_awaited_agencies(desk, consulted):
    response = desk.post(transition_url(consulted.proposal, "accept"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Opinions are still awaited" in page and "MOHW" in page
    assert 'value="keep"' in page and 'value="close"' in page
    assert fresh(consulted).proposal.state == S.UNDER_REVIEW


@pytest.mark.parametrize(("choice", "status"), [("keep", "open"), ("close", "closed")])
def test_accepting_keeps_or_closes_as_chosen(desk, consulted, other_liaison, choice, status):
    response = desk.post(transition_url(consulted.proposal, "accept"), {"open_consultations": choice})
    assert response.status_code == 302 and messages_of(response) == ["Accept for an agenda: done."]
    assert (fresh(consulted).proposal.state, fresh(consulted).status) == (S.ACCEPTED, status)
    told = Notification.objects.filter(kind="consultation_closed", recipient=other_liaison).exists()
    assert told == (choice == "close")


def test_returning_asks_for_the_comment_and_the_choice_together_and_keeps_the_comment(desk, consulted):
    url = transition_url(consulted.proposal, "return")
    response = desk.post(url, {"comment": "Add the budget breakdown."})
    assert response.status_code == 200 and "open_consultations" in response.context["form"].errors
    assert "Add the budget breakdown." in response.content.decode()  # what was typed is kept
    response = desk.post(url, {"comment": "Add the budget breakdown.", "open_consultations": "close"})
    assert response.status_code == 302
    assert (fresh(consulted).proposal.state, fresh(consulted).status) == (S.RETURNED, "closed")


def test_without_awaited_opinions_accept_acts_at_once(desk, consulted, other_liaison):
    services.give_opinion(consulted, by=other_liaison, position="concur", opinion="")
    response = desk.post(transition_url(consulted.proposal, "accept"))
    assert response.status_code == 302 and fresh(consulted).proposal.state == S.ACCEPTED


def test_opinions_may_be_asked_of_a_single_agency(desk, proposal_in_state, motie):
    proposal = proposal_in_state(S.SUBMITTED)
    url = reverse("admin:policies_proposal_consult", args=[proposal.pk])
    response = desk.post(url, {"agencies": [motie.pk], "working_days": 5})
    assert response.status_code == 302
    assert list(Consultation.objects.filter(proposal=proposal).values_list("agency__acronym", flat=True)) == ["MOTIE"]


def test_the_consultation_page_offers_extend_close_and_withdraw_while_open(desk, consulted, other_liaison):
    page = desk.get(reverse("admin:policies_consultation_change", args=[consulted.pk]))
    assert [str(b["label"]) for b in page.context["workflow_buttons"]] == [
        "Extend deadline",
        "Close consultation",
        "Withdraw request",
    ]
    services.give_opinion(consulted, by=other_liaison, position="concur", opinion="")
    page = desk.get(reverse("admin:policies_consultation_change", args=[consulted.pk]))
    assert [str(b["label"]) for b in page.context["workflow_buttons"]] == ["Extend deadline"]


def test_extending_from_the_admin_and_a_refusal_keeps_the_typed_date(desk, consulted, other_liaison):
    too_early = consulted.deadline.isoformat()
    response = desk.post(action_url(consulted, "extend"), {"deadline": too_early})
    assert response.status_code == 200 and "must be later" in response.content.decode()
    assert too_early in response.content.decode()
    later = seoul_today() + datetime.timedelta(days=30)
    response = desk.post(action_url(consulted, "extend"), {"deadline": later.isoformat()})
    assert response.status_code == 302 and fresh(consulted).deadline == later
    assert Notification.objects.filter(kind="consultation_extended", recipient=other_liaison).exists()


@pytest.mark.parametrize(("action", "status"), [("close", "closed"), ("withdraw", "withdrawn")])
def test_closing_or_withdrawing_from_the_admin_tells_the_agency(desk, consulted, other_liaison, action, status):
    response = desk.post(action_url(consulted, action), {"comment": "Not needed any more."})
    assert response.status_code == 302 and fresh(consulted).status == status
    assert Notification.objects.filter(kind=f"consultation_{status}", recipient=other_liaison).exists()
    again = desk.post(action_url(consulted, action), {"comment": "Again."})
    assert again.status_code == 200 and "still awaiting" in again.content.decode()


def test_another_committees_secretariat_cannot_act(admin_client_for, consulted, other_committee):
    stranger = cast.make_secretariat(other_committee, "desk-sub")
    response = admin_client_for(stranger).post(action_url(consulted, "close"), {})
    assert response.status_code in (403, 404) and fresh(consulted).status == "open"
