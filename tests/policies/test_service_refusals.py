"""Rules the services enforce themselves, whatever face calls them: forms and serializers are not the guard.

Each test calls the verb directly with input no form would let through, and checks the refusal and that
nothing was written. Dates are frozen on a Seoul Tuesday, 10 March 2026, so deadlines are literal dates.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from committee.directory.models import Profile
from policies import services
from policies.models import (
    Attendance,
    Consultation,
    DigestPreference,
    Meeting,
    PolicyArea,
    Proposal,
    ProposalEvent,
    ProposalState,
)
from policies.workflow import InvalidState
from tests import cast

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
TUESDAY = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=SEOUL)


@pytest.fixture
def frozen():
    with time_machine.travel(TUESDAY, tick=False):
        yield


@pytest.fixture
def under_review(frozen, proposal_in_state):
    return proposal_in_state(ProposalState.UNDER_REVIEW)


def consult_events(proposal):
    return ProposalEvent.objects.filter(proposal=proposal, action="consult").count()


# --- consultations: whom, and by when --------------------------------------------------------------


@pytest.mark.parametrize("agencies", [[], ()], ids=["empty list", "empty tuple"])
def test_a_consultation_of_nobody_is_refused_and_writes_nothing(under_review, secretariat, agencies):
    with pytest.raises(ValidationError) as refused:
        services.request_consultations(under_review, by=secretariat, agencies=agencies, working_days=5)
    assert refused.value.message_dict == {"agencies": ["Choose at least one agency to consult."]}
    assert not Consultation.objects.exists()
    assert consult_events(under_review) == 0


@pytest.mark.parametrize("days", [-1, 0, 121, 10**6])
def test_working_days_outside_1_to_120_are_refused_by_the_service(under_review, secretariat, mohw, days):
    with pytest.raises(ValidationError) as refused:
        services.request_consultations(under_review, by=secretariat, agencies=[mohw], working_days=days)
    assert refused.value.message_dict == {"working_days": ["Give between 1 and 120 working days."]}
    assert not Consultation.objects.exists()
    assert consult_events(under_review) == 0


@pytest.mark.parametrize(
    ("days", "deadline"),
    [
        (1, datetime.date(2026, 3, 11)),
        (4, datetime.date(2026, 3, 16)),  # over a weekend
        # 120 Korean working days from Tue 10 March 2026, counted by hand: weekends and the ten holidays in
        # between (1 and 5 May, 25 May, 3 June, 17 July, 17 August) skipped.
        (120, datetime.date(2026, 9, 2)),
    ],
)
def test_working_days_at_the_edges_of_the_range_give_literal_deadlines(under_review, secretariat, mohw, days, deadline):
    (consultation,) = services.request_consultations(under_review, by=secretariat, agencies=[mohw], working_days=days)
    assert consultation.deadline == deadline
    assert Consultation.objects.get().deadline == deadline


@pytest.mark.parametrize(
    ("deadline", "taken"),
    [(datetime.date(2026, 3, 9), False), (datetime.date(2026, 3, 10), True), (datetime.date(2026, 3, 11), True)],
    ids=["yesterday", "today", "tomorrow"],
)
def test_a_deadline_date_may_be_today_but_not_in_the_past(under_review, secretariat, mohw, deadline, taken):
    """An opinion wanted by the end of today is a real (urgent) request; yesterday is not."""
    if taken:
        (consultation,) = services.request_consultations(
            under_review, by=secretariat, agencies=[mohw], deadline=deadline
        )
        assert Consultation.objects.get().deadline == deadline == consultation.deadline
        return
    with pytest.raises(ValidationError) as refused:
        services.request_consultations(under_review, by=secretariat, agencies=[mohw], deadline=deadline)
    assert refused.value.message_dict == {"deadline": ["The deadline cannot be in the past."]}
    assert not Consultation.objects.exists()


# --- attendance ------------------------------------------------------------------------------------


def test_attendance_is_refused_for_a_cancelled_meeting_but_taken_for_a_planned_one(committee, secretariat, member):
    planned = cast.make_meeting(committee, secretariat, title="Planned meeting", days_ahead=-1)
    cancelled = services.cancel_meeting(
        cast.make_meeting(committee, secretariat, title="Cancelled meeting"), by=secretariat
    )
    services.record_attendance(planned, by=secretariat, member=member, status=Attendance.Status.PRESENT)
    with pytest.raises(InvalidState, match="cancelled meeting"):
        services.record_attendance(cancelled, by=secretariat, member=member, status=Attendance.Status.PRESENT)
    assert list(Attendance.objects.values_list("meeting__title", flat=True)) == ["Planned meeting"]
    assert Meeting.objects.get(pk=cancelled.pk).status == Meeting.Status.CANCELLED


# --- personal preferences ----------------------------------------------------------------------------


@pytest.fixture
def subscriber(member):
    preference = DigestPreference.objects.create(user=member, frequency=DigestPreference.Frequency.WEEKLY)
    preference.areas.set([PolicyArea.objects.get(code="health")])
    return member


def preference_of(user):
    preference = DigestPreference.objects.get(user=user)
    return preference.frequency, sorted(area.code for area in preference.areas.all())


def language_of(user):
    return Profile.objects.get(user=user).language


UNCHANGED = ("weekly", ["health"])


def test_an_unknown_digest_frequency_is_refused_and_changes_nothing(subscriber):
    with pytest.raises(ValidationError) as refused:
        services.update_preferences(subscriber, language="ko", frequency="hourly")
    assert refused.value.message_dict == {"frequency": ["Choose no digest, daily or weekly."]}
    assert preference_of(subscriber) == UNCHANGED
    assert language_of(subscriber) == "en"  # the valid language given with it was not saved either


def test_an_unknown_language_is_refused_and_changes_nothing(subscriber):
    with pytest.raises(ValidationError) as refused:
        services.update_preferences(subscriber, language="fr", frequency="daily")
    assert refused.value.message_dict == {"language": ["Choose Korean or English."]}
    assert preference_of(subscriber) == UNCHANGED
    assert language_of(subscriber) == "en"


def test_a_retired_policy_area_is_refused_and_changes_nothing(subscriber):
    retired = PolicyArea.objects.get(code="food")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError) as refused:
        services.update_preferences(
            subscriber, frequency="daily", areas=[PolicyArea.objects.get(code="energy"), retired]
        )
    assert refused.value.message_dict == {"areas": ["Choose among the policy areas in use."]}
    assert preference_of(subscriber) == UNCHANGED


@pytest.mark.parametrize("not_an_area", ["health", 10**9], ids=["a code", "a number"])
def test_something_other_than_a_policy_area_is_refused(subscriber, not_an_area):
    with pytest.raises(ValidationError) as refused:
        services.update_preferences(subscriber, areas=[not_an_area])
    assert set(refused.value.message_dict) == {"areas"}
    assert preference_of(subscriber) == UNCHANGED


def test_valid_preferences_are_saved(subscriber):
    areas = [PolicyArea.objects.get(code="energy"), PolicyArea.objects.get(code="food")]
    services.update_preferences(subscriber, language="ko", frequency="daily", areas=areas)
    assert preference_of(subscriber) == ("daily", ["energy", "food"])
    assert language_of(subscriber) == "ko"


# --- opinions on a proposal that is closed ------------------------------------------------------------


@pytest.fixture
def consulted(frozen, proposal_in_state, secretariat, mohw):
    """A proposal under review with an open consultation of MOHW (deadline 24 March 2026)."""
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    (consultation,) = services.request_consultations(
        proposal, by=secretariat, agencies=[mohw], deadline=datetime.date(2026, 3, 24)
    )
    return consultation


def test_an_opinion_on_a_withdrawn_proposal_is_refused(consulted, lead_liaison, other_liaison):
    services.withdraw_proposal(consulted.proposal, by=lead_liaison)
    with pytest.raises(InvalidState, match="already decided or withdrawn"):
        services.give_opinion(consulted, by=other_liaison, position="concur", opinion="")
    assert not Consultation.objects.get(pk=consulted.pk).is_answered


def test_an_opinion_on_a_decided_proposal_is_refused(consulted, committee, secretariat, other_liaison):
    cast.decide_with_consultations_open(consulted.proposal, secretariat, committee)
    assert Proposal.objects.get(pk=consulted.proposal.pk).state == ProposalState.DECIDED
    with pytest.raises(InvalidState, match="already decided or withdrawn"):
        services.give_opinion(consulted, by=other_liaison, position="object", opinion="Too late to say.")
    assert not Consultation.objects.get(pk=consulted.pk).is_answered


def test_an_answer_cannot_be_revised_once_the_proposal_is_decided(consulted, committee, secretariat, other_liaison):
    services.give_opinion(consulted, by=other_liaison, position="concur", opinion="")  # open: accepted
    cast.decide_with_consultations_open(consulted.proposal, secretariat, committee)
    assert Proposal.objects.get(pk=consulted.proposal.pk).state == ProposalState.DECIDED
    with pytest.raises(InvalidState, match="already decided or withdrawn"):
        services.give_opinion(consulted, by=other_liaison, position="object", opinion="Changed our mind.")
    answer = Consultation.objects.get(pk=consulted.pk)
    assert (answer.position, answer.revised_at) == ("concur", None)
