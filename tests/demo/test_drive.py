"""drive_proposal_to: every state has a route the workflow table allows, and driving along it reaches the state."""

import pytest

from policies.demo.drive import ROUTES, drive_proposal_to, remaining_route, states_on_route
from policies.models import Decision, ProposalState
from policies.workflow import TRANSITIONS
from tests import cast

S = ProposalState


def test_every_state_has_a_route_of_moves_the_workflow_table_allows():
    assert set(ROUTES) == set(S.values)
    for state, actions in ROUTES.items():
        current = S.DRAFT
        for action in actions:
            assert current in TRANSITIONS[action].sources, (state, action)
            current = TRANSITIONS[action].target
        assert current == state


def test_remaining_route_starts_where_the_proposal_is_and_refuses_a_state_off_the_way():
    assert remaining_route(S.ACCEPTED, S.DECIDED) == ("schedule", "decide")
    assert remaining_route(S.DECIDED, S.DECIDED) == ()
    with pytest.raises(ValueError, match="not on the way"):
        remaining_route(S.RETURNED, S.ACCEPTED)


@pytest.fixture
def draft_and_cast(committee, lead_liaison, secretariat, health):
    def make(**fields):
        return cast.make_proposal(committee, lead_liaison, health, **fields)

    who = {"liaison": lead_liaison, "secretariat": secretariat}
    return make, who, committee


@pytest.mark.django_db
@pytest.mark.parametrize("state", S.values)
def test_driving_a_draft_reaches_the_state_through_every_state_on_its_route(draft_and_cast, state):
    make, who, committee = draft_and_cast
    cast.make_member(committee, "member-for-the-quorum")
    reached = []
    proposal = drive_proposal_to(
        make(),
        state,
        **who,
        meeting=lambda: cast.make_meeting(committee, who["secretariat"], days_ahead=-1),
        on_reach=lambda p: reached.append(p.state),
    )
    assert proposal.state == state
    assert reached == states_on_route(state)
    moves = [event.action for event in proposal.events.exclude(to_state="").order_by("pk")]
    assert moves == ["create", *ROUTES[state]]


@pytest.mark.django_db
def test_driving_on_from_accepted_uses_the_given_meeting_and_the_callers_decision(draft_and_cast):
    make, who, committee = draft_and_cast
    cast.make_member(committee, "member-for-the-quorum")
    meeting = cast.make_meeting(committee, who["secretariat"], days_ahead=-1)
    accepted = drive_proposal_to(make(), S.ACCEPTED, **who)
    decision = {"outcome": Decision.Outcome.REJECTED, "resolution": "Not now."}
    decided = drive_proposal_to(accepted, S.DECIDED, **who, meeting=meeting, decision=decision)
    item = decided.agenda_items.get()
    assert item.meeting == meeting
    assert item.decision.outcome == Decision.Outcome.REJECTED


@pytest.mark.django_db
def test_the_last_move_carries_the_callers_comment_and_a_return_has_one_by_default(draft_and_cast):
    make, who, _committee = draft_and_cast
    returned = drive_proposal_to(make(), S.RETURNED, **who)
    assert returned.events.get(action="return").comment == "Add the budget breakdown."
    withdrawn = drive_proposal_to(make(), S.WITHDRAWN, **who, comment="Done by a notice instead.")
    assert withdrawn.events.get(action="withdraw").comment == "Done by a notice instead."
    assert withdrawn.events.get(action="submit").comment == ""


@pytest.mark.django_db
def test_scheduling_without_a_meeting_and_a_deferral_on_the_way_to_decided_are_refused(draft_and_cast):
    make, who, committee = draft_and_cast
    cast.make_member(committee, "member-for-the-quorum")
    with pytest.raises(ValueError, match="with a meeting"):
        drive_proposal_to(make(), S.SCHEDULED, **who)
    meeting = cast.make_meeting(committee, who["secretariat"], days_ahead=-1)
    deferral = {"outcome": Decision.Outcome.DEFERRED, "resolution": "Next time."}
    with pytest.raises(ValueError, match="ended accepted, not decided"):
        drive_proposal_to(make(title="Deferred"), S.DECIDED, **who, meeting=meeting, decision=deferral)
