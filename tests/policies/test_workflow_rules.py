"""The buttons a person is offered: exactly the user actions their role may take from the proposal's state."""

import pytest

from policies.models import ProposalState as S
from policies.workflow import Actor, available_actions

LEAD, SECRETARIAT, AGENDA = Actor.LEAD_LIAISON, Actor.SECRETARIAT, Actor.AGENDA


@pytest.mark.parametrize(
    ("state", "actors", "offered"),
    [
        (S.DRAFT, {LEAD}, ["submit", "withdraw"]),
        (S.DRAFT, {SECRETARIAT}, []),
        (S.SUBMITTED, {LEAD}, ["withdraw"]),
        (S.SUBMITTED, {SECRETARIAT}, ["start_review"]),
        (S.SUBMITTED, {LEAD, SECRETARIAT}, ["withdraw", "start_review"]),
        (S.UNDER_REVIEW, {SECRETARIAT}, ["return", "accept"]),
        (S.RETURNED, {LEAD}, ["submit", "withdraw"]),
        (S.ACCEPTED, {LEAD, SECRETARIAT}, []),  # from here on only agendas and decisions move it
        (S.SCHEDULED, {LEAD, SECRETARIAT, AGENDA}, []),
        (S.DECIDED, {LEAD, SECRETARIAT, AGENDA}, []),
        (S.WITHDRAWN, {LEAD, SECRETARIAT}, []),
        (S.DRAFT, set(), []),
    ],
)
def test_offered_actions_are_those_the_role_may_take_from_the_state(state, actors, offered):
    assert available_actions(state, actors) == offered
