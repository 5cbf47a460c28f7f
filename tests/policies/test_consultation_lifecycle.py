"""The consultation lifecycle: open, answered, closed, withdrawn, and late opinions.

Accepting or returning a proposal never silently drops an awaited opinion: the secretariat keeps it open or
closes it. An overdue consultation still takes a late opinion until the secretariat closes or withdraws it.
The secretariat extends deadlines and withdraws requests; each change is checked against CONSULTATIONS.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from committee.dates import seoul_today
from committee.outbox.models import Notification
from policies import services
from policies.models import Consultation, ProposalEvent, ProposalState
from policies.queries.consultations import consolidated_position
from policies.queries.dashboard import late_opinions
from policies.workflow import CONSULTATIONS, Actor, InvalidState, NotPermitted, OpenConsultations, WorkflowError
from tests import cast

S = ProposalState
C = Consultation.Status
pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def later(days):
    """A moment `days` days from now (the test's frozen clock), for deadlines to pass."""
    return time_machine.travel(timezone.now() + days * DAY, tick=False)


@pytest.fixture
def consulted(proposal_in_state, secretariat, mohw):
    """MOHW is asked for its opinion on a proposal under review, due in three days."""
    proposal = proposal_in_state(S.UNDER_REVIEW)
    (consultation,) = services.request_consultations(
        proposal, by=secretariat, agencies=[mohw], deadline=seoul_today() + 3 * DAY
    )
    return consultation


def fresh(consultation):
    return Consultation.objects.select_related("proposal").get(pk=consultation.pk)


def letters(kind):
    return list(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


# --- the table -----------------------------------------------------------------------------------


def test_the_table_says_what_each_status_allows():
    assert CONSULTATIONS.available(C.OPEN, {Actor.SECRETARIAT}) == ["close", "withdraw"]
    assert CONSULTATIONS.allows(C.OPEN, "extend") and CONSULTATIONS.allows(C.ANSWERED, "extend")
    for ended in (C.CLOSED, C.WITHDRAWN):
        assert not any(CONSULTATIONS.allows(ended, action) for action in CONSULTATIONS.transitions)
    assert CONSULTATIONS.open_states == {C.OPEN}


def test_a_request_may_ask_a_single_agency(proposal_in_state, secretariat, motie):
    proposal = proposal_in_state(S.SUBMITTED)
    (only,) = services.request_consultations(proposal, by=secretariat, agencies=[motie], working_days=5)
    assert (only.agency, only.status, only.late) == (motie, C.OPEN, False)


# --- accepting or returning with opinions awaited ---------------------------------------------------


@pytest.mark.parametrize("action", ["accept", "return"])
def test_accepting_or_returning_with_an_awaited_opinion_needs_a_choice(consulted, secretariat, action):
    with pytest.raises(OpenConsultations, match="MOHW") as refused:
        services.transition_proposal(consulted.proposal, action, by=secretariat, comment="Add the budget.")
    assert (refused.value.status, refused.value.code) == (409, "open_consultations")
    assert fresh(consulted).proposal.state == S.UNDER_REVIEW and fresh(consulted).status == C.OPEN


def test_a_choice_that_is_neither_keep_nor_close_is_refused(consulted, secretariat):
    with pytest.raises(ValidationError) as refused:
        services.accept_proposal(consulted.proposal, by=secretariat, open_consultations="forget")
    assert "open_consultations" in refused.value.message_dict


def test_a_return_without_a_comment_is_refused_for_the_comment_first(consulted, secretariat):
    with pytest.raises(ValidationError) as refused:
        services.return_proposal(consulted.proposal, by=secretariat, comment=" ")
    assert "comment" in refused.value.message_dict


def test_the_lead_liaison_learns_its_role_not_the_consultations(consulted, lead_liaison):
    with pytest.raises(NotPermitted):
        services.accept_proposal(consulted.proposal, by=lead_liaison)


def test_no_choice_is_needed_once_every_opinion_is_in(consulted, secretariat, other_liaison):
    services.give_opinion(consulted, by=other_liaison, position="concur", opinion="")
    assert services.accept_proposal(consulted.proposal, by=secretariat).state == S.ACCEPTED


def test_kept_open_the_agency_still_sees_and_answers_it(consulted, secretariat, other_liaison):
    services.accept_proposal(consulted.proposal, by=secretariat, open_consultations="keep")
    assert fresh(consulted).status == C.OPEN
    assert Consultation.objects.filter(agency=consulted.agency).outstanding().get() == consulted
    answered = services.give_opinion(consulted, by=other_liaison, position="concur", opinion="")
    assert answered.status == C.ANSWERED
    assert not letters("consultation_closed")


@pytest.mark.parametrize("action", ["accept", "return"])
def test_closed_the_agency_is_told_and_can_no_longer_answer(consulted, secretariat, other_liaison, action):
    services.transition_proposal(
        consulted.proposal, action, by=secretariat, comment="Add the budget.", open_consultations="close"
    )
    closed = fresh(consulted)
    assert closed.status == C.CLOSED and closed.closed_at is not None
    assert letters("consultation_closed") == [other_liaison.username]  # only the consulted agency
    assert ProposalEvent.objects.filter(proposal=closed.proposal, action="consultation_closed").exists()
    with pytest.raises(InvalidState, match="no longer needed"):
        services.give_opinion(closed, by=other_liaison, position="concur", opinion="")


# --- late opinions -------------------------------------------------------------------------------


def test_an_opinion_on_time_is_not_late(consulted, other_liaison):
    assert services.give_opinion(consulted, by=other_liaison, position="concur", opinion="").late is False


def test_an_overdue_consultation_still_takes_an_opinion_marked_late(consulted, other_liaison):
    with later(5):
        assert fresh(consulted).is_overdue() and fresh(consulted).takes_opinion()
        answered = services.give_opinion(consulted, by=other_liaison, position="object", opinion="Too costly.")
        assert (answered.status, answered.late) == (C.ANSWERED, True)
        assert consolidated_position(answered.proposal)["late"] == [answered]
        with pytest.raises(InvalidState, match="can no longer be revised"):
            services.give_opinion(answered, by=other_liaison, position="concur", opinion="")


def test_an_overdue_consultation_kept_open_after_acceptance_takes_a_late_opinion(consulted, secretariat, other_liaison):
    services.accept_proposal(consulted.proposal, by=secretariat, open_consultations="keep")
    with later(5):
        assert services.give_opinion(consulted, by=other_liaison, position="concur", opinion="").late


@pytest.mark.parametrize("verb", ["close_consultation", "withdraw_consultation"])
def test_no_late_opinion_once_the_secretariat_closed_or_withdrew(consulted, secretariat, other_liaison, verb):
    getattr(services, verb)(consulted, by=secretariat)
    with later(5):
        assert not fresh(consulted).takes_opinion()
        with pytest.raises(InvalidState):
            services.give_opinion(consulted, by=other_liaison, position="concur", opinion="")


# --- extend, close, withdraw ---------------------------------------------------------------------


def test_the_secretariat_extends_a_deadline_and_the_agency_is_told(consulted, secretariat, other_liaison):
    new = seoul_today() + 20 * DAY
    extended = services.extend_consultation(consulted, by=secretariat, deadline=new)
    assert fresh(extended).deadline == new
    assert letters("consultation_extended") == [other_liaison.username]


def test_an_extension_gives_an_overdue_consultation_time_again(consulted, secretariat, other_liaison):
    with later(5):
        services.extend_consultation(consulted, by=secretariat, working_days=5)
        assert services.give_opinion(consulted, by=other_liaison, position="concur", opinion="").late is False


@pytest.mark.parametrize("days", [3, 1, -1])
def test_an_extension_must_be_later_than_the_deadline(consulted, secretariat, days):
    with pytest.raises(ValidationError) as refused:
        services.extend_consultation(consulted, by=secretariat, deadline=seoul_today() + days * DAY)
    assert "deadline" in refused.value.message_dict
    assert fresh(consulted).deadline == consulted.deadline


@pytest.mark.parametrize("who", ["lead_liaison", "other_liaison", "member"])
@pytest.mark.parametrize("verb", ["extend_consultation", "close_consultation", "withdraw_consultation"])
def test_only_the_secretariat_extends_closes_or_withdraws(request, consulted, who, verb):
    extra = {"working_days": 10} if verb == "extend_consultation" else {}
    with pytest.raises(NotPermitted):
        getattr(services, verb)(consulted, by=request.getfixturevalue(who), **extra)
    assert fresh(consulted).status == C.OPEN


def test_withdrawing_a_request_tells_the_agency(consulted, secretariat, other_liaison, lead_liaison):
    withdrawn = services.withdraw_consultation(consulted, by=secretariat, reason="Asked by mistake.")
    assert withdrawn.status == C.WITHDRAWN and withdrawn.closed_at is not None
    assert letters("consultation_withdrawn") == [other_liaison.username]


@pytest.mark.parametrize(
    ("verb", "event_kind", "letter_kind"),
    [
        ("close_consultation", "consultation_closed", "consultation_closed"),
        ("withdraw_consultation", "consultation_withdrawn", "consultation_withdrawn"),
    ],
)
@pytest.mark.parametrize("reason", ["  Asked by mistake.  ", ""])
def test_the_reason_for_ending_a_consultation_is_on_the_timeline_and_in_the_agencys_letter(
    consulted, secretariat, other_liaison, verb, event_kind, letter_kind, reason
):
    getattr(services, verb)(consulted, by=secretariat, reason=reason)
    event = ProposalEvent.objects.get(proposal=consulted.proposal, action=event_kind)
    assert event.comment == ("MOHW: Asked by mistake." if reason else "MOHW")
    (letter,) = Notification.objects.filter(kind=letter_kind, recipient=other_liaison)
    assert ("Asked by mistake." in letter.body_text) is bool(reason)


def test_returning_a_proposal_closes_its_open_consultations_with_the_return_comment_as_their_reason(
    consulted, secretariat, other_liaison
):
    services.return_proposal(
        consulted.proposal, by=secretariat, comment="  Rework the budget.  ", open_consultations="close"
    )
    assert fresh(consulted).status == C.CLOSED
    event = ProposalEvent.objects.get(proposal=consulted.proposal, action="consultation_closed")
    assert event.comment == "MOHW: Rework the budget."
    (letter,) = Notification.objects.filter(kind="consultation_closed", recipient=other_liaison)
    assert "Rework the budget." in letter.body_text


@pytest.mark.parametrize("verb", ["close_consultation", "withdraw_consultation"])
def test_an_answered_consultation_is_neither_closed_nor_withdrawn(consulted, secretariat, other_liaison, verb):
    services.give_opinion(consulted, by=other_liaison, position="concur", opinion="")
    with pytest.raises(InvalidState, match="still awaiting"):
        getattr(services, verb)(consulted, by=secretariat)
    assert fresh(consulted).status == C.ANSWERED


@pytest.mark.parametrize("first", ["close_consultation", "withdraw_consultation"])
def test_an_ended_consultation_is_not_extended(consulted, secretariat, first):
    getattr(services, first)(consulted, by=secretariat)
    with pytest.raises(InvalidState, match="cannot be extended"):
        services.extend_consultation(consulted, by=secretariat, working_days=10)


def test_no_extension_once_the_proposal_is_withdrawn(consulted, secretariat, lead_liaison):
    services.withdraw_proposal(consulted.proposal, by=lead_liaison)
    with pytest.raises(InvalidState, match="already decided or withdrawn"):
        services.extend_consultation(consulted, by=secretariat, working_days=10)


def test_every_refusal_carries_a_status_and_code(consulted, secretariat):
    services.close_consultation(consulted, by=secretariat)
    with pytest.raises(WorkflowError) as refused:
        services.withdraw_consultation(consulted, by=secretariat)
    assert (refused.value.status, refused.value.code) == (409, "invalid_state")


# --- what depends on "open" ----------------------------------------------------------------------


def test_outstanding_is_open_on_a_proposal_still_in_play(consulted, secretariat, lead_liaison, motie, mohw):
    other = cast.make_proposal(consulted.proposal.committee, lead_liaison, title="Second")
    services.submit_proposal(other, by=lead_liaison)
    (closed,) = services.request_consultations(other, by=secretariat, agencies=[motie], working_days=3)
    services.close_consultation(closed, by=secretariat)
    assert list(Consultation.objects.outstanding()) == [consulted]
    services.withdraw_proposal(consulted.proposal, by=lead_liaison)
    assert not Consultation.objects.outstanding().exists()
    with later(10):
        assert not Consultation.objects.past_deadline().exists()


def test_the_consolidated_position_separates_what_is_no_longer_asked(consulted, secretariat, motie):
    (second,) = services.request_consultations(consulted.proposal, by=secretariat, agencies=[motie], working_days=3)
    services.withdraw_consultation(second, by=secretariat)
    position = consolidated_position(fresh(consulted).proposal)
    assert position["silent"] == [consulted] and position["no_longer_asked"] == [second]


def test_the_dashboards_late_opinions_are_those_still_wanted(consulted, secretariat, lead_liaison, motie):
    (withdrawn,) = services.request_consultations(consulted.proposal, by=secretariat, agencies=[motie], working_days=1)
    services.withdraw_consultation(withdrawn, by=secretariat)
    with later(10):
        assert late_opinions(Consultation.objects.all()) == [consulted]
        services.accept_proposal(consulted.proposal, by=secretariat, open_consultations="close")
        assert late_opinions(Consultation.objects.all()) == []
