"""Carry-over suggestions for an agenda (policies.queries.carry_over): deferred proposals first with how often and
where they were deferred, then accepted proposals oldest first, then overdue and reported-done follow-up actions of
the committee's decisions; never another committee's business nor what is already on the agenda; a constant
number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from policies import services
from policies.models import AgendaItem, FollowUpAction, ProposalState
from policies.queries.carry_over import SuggestionKind, Why, agenda_suggestions
from tests import cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee, secretariat):
    return cast.make_meeting(committee, secretariat, days_ahead=14, title="7th plenary meeting")


def defer_at(proposal, secretariat, title, hours_ago):
    """Put the proposal on a meeting that began `hours_ago` and defer it there (a deferral needs no quorum)."""
    started = timezone.now() - datetime.timedelta(hours=hours_ago)
    earlier = cast.make_meeting(proposal.committee, secretariat, title=title, starts_at=started)
    item = services.add_agenda_item(earlier, by=secretariat, proposal=proposal)
    services.publish_agenda(earlier, by=secretariat)
    services.record_decision(item, by=secretariat, outcome="deferred", resolution="Deferred for more data.")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED  # a deferral sends it back to accepted
    return earlier


def action_of(decision, secretariat, agency, title, due_in_days=30):
    return services.assign_follow_up_action(
        decision,
        by=secretariat,
        agency=agency,
        title=title,
        due_date=timezone.localdate() + datetime.timedelta(days=due_in_days),
    )


def make_overdue(action, days_late):
    due = timezone.localdate() - datetime.timedelta(days=days_late)
    FollowUpAction.objects.filter(pk=action.pk).update(due_date=due)
    action.refresh_from_db()
    return action


@pytest.fixture
def decision(proposal_in_state):
    decided = proposal_in_state(ProposalState.DECIDED, title="Decided proposal")
    return decided.agenda_items.get().decision


def test_order_deferred_most_first_then_accepted_oldest_first_then_actions(
    meeting, secretariat, proposal_in_state, decision, mohw, other_liaison, msit
):
    once = proposal_in_state(ProposalState.ACCEPTED, title="Deferred once")
    twice = proposal_in_state(ProposalState.ACCEPTED, title="Deferred twice")
    older = proposal_in_state(ProposalState.ACCEPTED, title="Accepted first")
    newer = proposal_in_state(ProposalState.ACCEPTED, title="Accepted later")
    defer_at(twice, secretariat, "3rd plenary meeting", hours_ago=5)
    defer_at(once, secretariat, "4th plenary meeting", hours_ago=4)
    defer_at(twice, secretariat, "5th plenary meeting", hours_ago=3)
    overdue = make_overdue(action_of(decision, secretariat, mohw, "Draft the regulation"), days_late=3)
    done = action_of(decision, secretariat, mohw, "Publish the guidance")
    services.report_progress(done, by=other_liaison, text="Published.", percent_complete=100, reports_done=True)
    action_of(decision, secretariat, msit, "Not yet due")  # open and on time: not suggested
    verified = action_of(decision, secretariat, mohw, "Verified already")
    services.report_progress(verified, by=other_liaison, text="Done.", percent_complete=100, reports_done=True)
    services.verify_action(verified, by=secretariat)

    suggestions = agenda_suggestions(meeting, user=secretariat)

    assert [(s.kind, s.object_id) for s in suggestions] == [
        (SuggestionKind.PROPOSAL, twice.pk),
        (SuggestionKind.PROPOSAL, once.pk),
        (SuggestionKind.PROPOSAL, older.pk),
        (SuggestionKind.PROPOSAL, newer.pk),
        (SuggestionKind.FOLLOW_UP_ACTION, overdue.pk),
        (SuggestionKind.FOLLOW_UP_ACTION, done.pk),
    ]
    assert [s.why for s in suggestions] == [
        Why.DEFERRED,
        Why.DEFERRED,
        Why.ACCEPTED,
        Why.ACCEPTED,
        Why.OVERDUE,
        Why.AWAITING_VERIFICATION,
    ]
    today = timezone.localdate()
    day = today.isoformat()
    assert [s.times_deferred for s in suggestions[:3]] == [2, 1, 0]
    assert suggestions[0].reason == f"Deferred 2 times: 3rd plenary meeting ({day}), 5th plenary meeting ({day})."
    assert suggestions[1].reason == f"Deferred 1 time: 4th plenary meeting ({day})."
    assert suggestions[2].reason == f"Accepted on {day}, not yet scheduled."
    since = (today - datetime.timedelta(days=2)).isoformat()  # due three days ago: overdue since the day after
    assert suggestions[4].reason == f"Overdue since {since} (MOHW, 0% complete)."
    assert suggestions[5].reason == f"Reported done on {day} by MOHW, awaiting verification."
    assert suggestions[0].title == f"{twice.reference} Deferred twice"
    # Reports become report items naming the action and its status, in the meeting's language (Korean default).
    report = suggestions[4].item
    assert report["kind"] == AgendaItem.Kind.REPORT and report["follow_up_action"] == overdue
    assert report["presenter"] == mohw and "Draft the regulation" in report["title"]
    assert decision.number in report["notes"]


def test_reasons_are_in_the_readers_language(meeting, secretariat, proposal_in_state):
    proposal_in_state(ProposalState.ACCEPTED)
    with translation.override("ko"):
        [suggestion] = agenda_suggestions(meeting, user=secretariat)
    assert "아직" in suggestion.reason or "수락" in suggestion.reason, suggestion.reason


def test_nothing_from_another_committee(meeting, secretariat, lead_liaison, msit):
    other = cast.make_committee("NBC-FOOD")
    other_secretariat = cast.make_secretariat(other, "food-secretariat")
    cast.proposal_in_state(ProposalState.ACCEPTED, committee=other, liaison=lead_liaison, secretariat=other_secretariat)
    foreign = cast.proposal_in_state(
        ProposalState.DECIDED, committee=other, liaison=lead_liaison, secretariat=other_secretariat
    )
    foreign_action = action_of(foreign.agenda_items.get().decision, other_secretariat, msit, "Foreign action")
    make_overdue(foreign_action, days_late=5)
    assert agenda_suggestions(meeting, user=secretariat) == []
    assert agenda_suggestions(meeting) == []  # not even unrestricted: the committee's business only


def test_only_what_the_user_may_see(meeting, secretariat, outsider, proposal_in_state):
    proposal_in_state(ProposalState.ACCEPTED)
    assert len(agenda_suggestions(meeting, user=secretariat)) == 1
    assert agenda_suggestions(meeting, user=outsider) == []


def test_nothing_already_on_the_agenda(meeting, secretariat, committee, proposal_in_state, decision, mohw):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    action = make_overdue(action_of(decision, secretariat, mohw, "Draft the regulation"), days_late=1)
    placed = services.add_agenda_items(
        meeting, by=secretariat, items=[s.item for s in agenda_suggestions(meeting, user=secretariat)]
    )
    assert [item.kind for item in placed] == ["proposal", "report"]
    assert placed[0].proposal == proposal and placed[1].follow_up_action == action
    assert agenda_suggestions(meeting, user=secretariat) == []
    # Another meeting still hears of the action (it is still overdue), not of the proposal (now scheduled).
    later = cast.make_meeting(committee, secretariat, days_ahead=40, title="8th plenary meeting")
    assert [(s.kind, s.object_id) for s in agenda_suggestions(later, user=secretariat)] == [
        (SuggestionKind.FOLLOW_UP_ACTION, action.pk)
    ]


def test_the_same_action_cannot_be_reported_twice_on_one_agenda(meeting, secretariat, decision, mohw):
    from django.core.exceptions import ValidationError

    action = make_overdue(action_of(decision, secretariat, mohw, "Draft the regulation"), days_late=1)
    [suggestion] = agenda_suggestions(meeting, user=secretariat)
    services.add_agenda_item(meeting, by=secretariat, **suggestion.item)
    with pytest.raises(ValidationError, match="already on this agenda"):
        services.add_agenda_item(meeting, by=secretariat, **suggestion.item)
    assert AgendaItem.objects.filter(meeting=meeting, follow_up_action=action).count() == 1


def test_an_action_of_another_committee_is_refused_as_a_report(meeting, secretariat, lead_liaison, msit):
    from django.core.exceptions import ValidationError

    other = cast.make_committee("NBC-FOOD")
    other_secretariat = cast.make_secretariat(other, "food-secretariat")
    foreign = cast.proposal_in_state(
        ProposalState.DECIDED, committee=other, liaison=lead_liaison, secretariat=other_secretariat
    )
    foreign_action = action_of(foreign.agenda_items.get().decision, other_secretariat, msit, "Foreign action")
    with pytest.raises(ValidationError, match="another committee"):
        services.add_agenda_item(
            meeting, by=secretariat, kind="report", title="Foreign", follow_up_action=foreign_action
        )


def test_the_number_of_queries_does_not_grow_with_the_suggestions(
    meeting, secretariat, proposal_in_state, decision, mohw, other_liaison
):
    def grow(n):
        for i in range(n):
            defer_at(proposal_in_state(ProposalState.ACCEPTED), secretariat, f"Meeting {n}-{i}", hours_ago=2)
            proposal_in_state(ProposalState.ACCEPTED)
            make_overdue(action_of(decision, secretariat, mohw, f"Late {n}-{i}"), days_late=2)
            done = action_of(decision, secretariat, mohw, f"Done {n}-{i}")
            services.report_progress(done, by=other_liaison, text="Done.", percent_complete=100, reports_done=True)

    def count():
        agenda_suggestions(meeting, user=secretariat)  # the user's scope is read once and kept
        with CaptureQueriesContext(connection) as captured:
            suggestions = agenda_suggestions(meeting, user=secretariat)
        return len(suggestions), len(captured)

    grow(1)
    few, few_queries = count()
    grow(9)
    many, many_queries = count()
    assert (few, many) == (4, 40)
    assert many_queries == few_queries <= 5
