import pytest

from policies.models import ProposalState


@pytest.mark.django_db
@pytest.mark.parametrize("state", ProposalState.values)
def test_cast_reaches_every_state(proposal_in_state, state):
    assert proposal_in_state(state).state == state
