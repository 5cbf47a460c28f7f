"""The record says only what happened: nothing is recorded of a meeting before it starts, and votes fit the
attendance and the outcome (policies/services/meetings.py require_started, policies/services/decisions.py)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from policies import services
from policies.models import AgendaItem, Attendance, Decision, Meeting, ProposalState
from policies.services.decisions import motion_carried
from policies.workflow import MeetingNotStarted
from tests import cast

pytestmark = pytest.mark.django_db
S = ProposalState


@pytest.fixture
def members(committee):
    return [cast.make_member(committee, f"board-member-{n}") for n in range(1, 9)]


def published_meeting(committee, secretariat, proposal, **fields):
    meeting = cast.make_meeting(committee, secretariat, **fields)
    item = services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.PROPOSAL, proposal=proposal)
    services.publish_agenda(meeting, by=secretariat)
    return Meeting.objects.get(pk=meeting.pk), item


@pytest.fixture
def future(committee, secretariat, proposal_in_state, members):
    """A meeting of eight members in three weeks, its agenda published."""
    return published_meeting(committee, secretariat, proposal_in_state(S.ACCEPTED), days_ahead=21)


@pytest.fixture
def started(committee, secretariat, proposal_in_state, members):
    """A meeting of eight members that started an hour ago, its agenda published."""
    starts_at = timezone.now() - datetime.timedelta(hours=1)
    return published_meeting(committee, secretariat, proposal_in_state(S.ACCEPTED), starts_at=starts_at)


def attend(meeting, secretariat, users, status=Attendance.Status.PRESENT, delegate_name=""):
    for user in users:
        services.record_attendance(meeting, by=secretariat, member=user, status=status, delegate_name=delegate_name)


def decide(item, secretariat, outcome="adopted", **fields):
    return services.record_decision(item, by=secretariat, outcome=outcome, resolution="As proposed.", **fields)


# --- nothing before the meeting starts -------------------------------------------------------------


def test_a_future_meeting_refuses_attendance_decisions_and_being_held_saying_when_it_starts(
    future, secretariat, members
):
    meeting, item = future
    refusals = [
        lambda: services.record_attendance(meeting, by=secretariat, member=members[0], status="present"),
        lambda: decide(item, secretariat, outcome="deferred"),
        lambda: decide(item, secretariat, votes_for=20, votes_against=0, abstentions=0),  # the example
        lambda: services.mark_meeting_held(meeting, by=secretariat),
    ]
    for refused in refusals:
        with pytest.raises(MeetingNotStarted, match="Seoul time") as caught:
            refused()
        assert (caught.value.status, caught.value.code) == (409, "meeting_not_started")
        assert str(timezone.localtime(meeting.starts_at).year) in str(caught.value.message)
    assert not Attendance.objects.exists() and not Decision.objects.exists()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.AGENDA_PUBLISHED


def test_once_the_start_has_passed_the_same_records_are_taken(future, secretariat, members):
    meeting, item = future
    with time_machine.travel(meeting.starts_at + datetime.timedelta(minutes=1), tick=False):
        attend(meeting, secretariat, members)
        decision = decide(item, secretariat, votes_for=8, votes_against=0, abstentions=0)
        held = services.mark_meeting_held(meeting, by=secretariat)
    assert decision.decided_at >= meeting.starts_at and held.status == Meeting.Status.HELD


def test_the_start_itself_counts_as_started(future, secretariat, members):
    meeting, _item = future
    with time_machine.travel(meeting.starts_at, tick=False):
        attend(meeting, secretariat, members[:1])
    just_before = time_machine.travel(meeting.starts_at - datetime.timedelta(seconds=1), tick=False)
    with just_before, pytest.raises(MeetingNotStarted):
        attend(meeting, secretariat, members[1:2])


def test_a_decision_is_dated_within_its_meeting_and_not_in_the_future(started, secretariat, members):
    meeting, item = started
    attend(meeting, secretariat, members)
    with pytest.raises(ValidationError) as early:
        decide(item, secretariat, decided_at=meeting.starts_at - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError) as late:
        decide(item, secretariat, decided_at=timezone.now() + datetime.timedelta(hours=1))
    assert "decided_at" in early.value.message_dict and "decided_at" in late.value.message_dict
    assert not Decision.objects.exists()
    assert decide(item, secretariat, decided_at=meeting.starts_at).decided_at == meeting.starts_at


# --- votes fit the attendance ----------------------------------------------------------------------


def test_votes_are_all_given_or_none(started, secretariat, members):
    meeting, item = started
    attend(meeting, secretariat, members)
    with pytest.raises(ValidationError) as partial:
        decide(item, secretariat, votes_for=5)
    assert set(partial.value.message_dict) == {"votes_against", "abstentions"}
    assert not Decision.objects.exists()
    assert decide(item, secretariat).votes_for is None  # none: decided without a count


def test_votes_never_outnumber_the_members_counted_present(started, secretariat, members, committee):
    meeting, item = started
    attend(meeting, secretariat, members[:5])
    attend(meeting, secretariat, members[5:6], status=Attendance.Status.REPRESENTED, delegate_name="Deputy Kim")
    committee.delegates_count_for_quorum = False
    committee.save()
    with pytest.raises(ValidationError) as too_many:
        decide(item, secretariat, votes_for=5, votes_against=0, abstentions=1)  # 6 votes, 5 present
    assert "5 members counted present" in too_many.value.message_dict["votes_for"][0]
    committee.delegates_count_for_quorum = True
    committee.save()
    assert decide(item, secretariat, votes_for=5, votes_against=0, abstentions=1).votes_for == 5


def test_twenty_votes_from_a_committee_of_eight_are_refused(started, secretariat, members):
    meeting, item = started
    attend(meeting, secretariat, members)
    with pytest.raises(ValidationError, match="more than the 8 members"):
        decide(item, secretariat, votes_for=20, votes_against=0, abstentions=0)


# --- the outcome agrees with the votes, or says why not --------------------------------------------


@pytest.mark.parametrize(
    ("votes_for", "votes_against", "carried"),
    [(5, 2, True), (3, 3, False), (2, 5, False), (1, 0, True), (0, 0, False)],
)
def test_a_motion_carries_by_more_votes_for_than_against(votes_for, votes_against, carried):
    assert motion_carried(votes_for, votes_against) is carried


@pytest.mark.parametrize(
    ("outcome", "votes"),
    [
        ("adopted", (2, 5, 1)),
        ("adopted_with_amendments", (4, 4, 0)),
        ("deferred", (1, 6, 1)),
        ("rejected", (6, 1, 1)),
    ],
)
def test_an_outcome_the_votes_contradict_is_refused_unless_its_basis_is_stated(
    started, secretariat, members, outcome, votes
):
    meeting, item = started
    attend(meeting, secretariat, members)
    counts = dict(zip(("votes_for", "votes_against", "abstentions"), votes, strict=True))
    with pytest.raises(ValidationError) as refused:
        decide(item, secretariat, outcome=outcome, **counts)
    (message,) = refused.value.message_dict["outcome"]
    votes_for, votes_against, _abstaining = votes
    # It says which way the votes went, in figures, and what would settle it.
    said = (
        f"{votes_for} for and {votes_against} against carry the motion by simple majority, so it is not rejected."
        if outcome == "rejected"
        else f"{votes_for} for and {votes_against} against do not carry the motion: it needs more votes for than "
        "against."
    )
    assert message == f"{said} Correct the votes or the outcome, or state the basis on which the outcome stands."
    assert not Decision.objects.exists()
    basis = "  The chair ruled the vote void; adopted by consensus after debate.  "
    decision = decide(item, secretariat, outcome=outcome, outcome_basis=basis, **counts)
    assert decision.outcome_basis == basis.strip()


@pytest.mark.parametrize(
    ("outcome", "votes"), [("adopted", (5, 2, 1)), ("deferred", (4, 3, 1)), ("rejected", (3, 3, 2))]
)
def test_an_outcome_the_votes_give_needs_no_basis(started, secretariat, members, outcome, votes):
    meeting, item = started
    attend(meeting, secretariat, members)
    counts = dict(zip(("votes_for", "votes_against", "abstentions"), votes, strict=True))
    assert decide(item, secretariat, outcome=outcome, **counts).outcome_basis == ""


def test_consensus_without_a_vote_is_recorded_with_its_basis(started, secretariat, members):
    meeting, item = started
    attend(meeting, secretariat, members)
    decision = decide(item, secretariat, outcome_basis="Adopted by consensus without a vote.")
    assert decision.votes_for is None and decision.outcome_basis == "Adopted by consensus without a vote."
