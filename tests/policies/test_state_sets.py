"""The sets of proposal states the rules speak of are read off the workflow table, never listed again."""

from policies.models import ProposalState
from policies.models.consultations import PROPOSAL_STATES_ENDING_CONSULTATIONS
from policies.workflow import CONSULTABLE_STATES, EDITABLE_STATES, OPINION_CLOSED_STATES

S = ProposalState


def test_the_text_changes_while_the_lead_agency_may_still_submit_it():
    assert {S.DRAFT, S.RETURNED} == EDITABLE_STATES


def test_opinions_are_asked_while_the_proposal_waits_for_the_secretariats_review():
    assert {S.SUBMITTED, S.UNDER_REVIEW} == CONSULTABLE_STATES


def test_no_opinion_is_wanted_once_no_step_leads_out_of_the_state():
    assert {S.DECIDED, S.WITHDRAWN} == OPINION_CLOSED_STATES
    # The consultation queries (which cannot import the table) say the same.
    assert PROPOSAL_STATES_ENDING_CONSULTATIONS == OPINION_CLOSED_STATES
