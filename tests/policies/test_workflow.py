"""Every proposal action x every state x every role: allowed ones move the proposal, the rest are refused."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from policies import services
from policies.models import Proposal, ProposalEvent, ProposalState
from policies.workflow import InvalidState, NotPermitted
from tests import cast

S = ProposalState

# Written out by hand from the issue, not derived from the workflow table it checks.
ALLOWED = {
    ("submit", S.DRAFT): "lead_liaison",
    ("submit", S.RETURNED): "lead_liaison",
    ("withdraw", S.DRAFT): "lead_liaison",
    ("withdraw", S.SUBMITTED): "lead_liaison",
    ("withdraw", S.UNDER_REVIEW): "lead_liaison",
    ("withdraw", S.RETURNED): "lead_liaison",
    ("start_review", S.SUBMITTED): "secretariat",
    ("return", S.UNDER_REVIEW): "secretariat",
    ("accept", S.UNDER_REVIEW): "secretariat",
}
TARGET = {
    "submit": S.SUBMITTED,
    "withdraw": S.WITHDRAWN,
    "start_review": S.UNDER_REVIEW,
    "return": S.RETURNED,
    "accept": S.ACCEPTED,
}
# Who may ever take each action; anyone else is refused for role before state.
ROLE_OF_ACTION = {
    "submit": "lead_liaison",
    "withdraw": "lead_liaison",
    "start_review": "secretariat",
    "return": "secretariat",
    "accept": "secretariat",
}
ROLES = ["lead_liaison", "other_liaison", "secretariat", "foreign_secretariat", "member", "outsider"]


@pytest.fixture
def actors(lead_liaison, other_liaison, secretariat, member, outsider):
    foreign = cast.make_committee("NBC-FOOD")
    return {
        "lead_liaison": lead_liaison,
        "other_liaison": other_liaison,
        "secretariat": secretariat,
        "foreign_secretariat": cast.make_secretariat(foreign, "food-secretariat"),
        "member": member,
        "outsider": outsider,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", list(TARGET))
def test_transition_table(proposal_in_state, actors, action, state, role):
    proposal = proposal_in_state(state)
    events_before = ProposalEvent.objects.filter(proposal=proposal).count()
    comment = "Please add the cost-benefit analysis."
    if ALLOWED.get((action, state)) == role:
        moved = services.transition_proposal(proposal, action, by=actors[role], comment=comment)
        assert moved.state == TARGET[action]
        assert Proposal.objects.get(pk=proposal.pk).state == TARGET[action]
        event = ProposalEvent.objects.filter(proposal=proposal).latest("id")
        assert (event.action, event.from_state, event.to_state) == (action, state, TARGET[action])
        assert event.actor == actors[role]
        assert event.comment == comment
        return
    expected = InvalidState if ROLE_OF_ACTION[action] == role else NotPermitted
    with pytest.raises(expected) as refused:
        services.transition_proposal(proposal, action, by=actors[role], comment=comment)
    assert refused.value.message
    assert Proposal.objects.get(pk=proposal.pk).state == state
    assert ProposalEvent.objects.filter(proposal=proposal).count() == events_before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["schedule", "unschedule", "decide", "defer"])
def test_agenda_actions_cannot_be_taken_directly(proposal_in_state, secretariat, action):
    proposal = proposal_in_state(S.ACCEPTED)
    with pytest.raises(NotPermitted):
        services.transition_proposal(proposal, action, by=secretariat)
    assert Proposal.objects.get(pk=proposal.pk).state == S.ACCEPTED


@pytest.mark.django_db
def test_unknown_action_is_refused_as_invalid(draft, lead_liaison):
    with pytest.raises(InvalidState, match="Unknown action"):
        services.transition_proposal(draft, "approve_everything", by=lead_liaison)


@pytest.mark.django_db
def test_return_requires_a_comment(proposal_in_state, secretariat):
    proposal = proposal_in_state(S.UNDER_REVIEW)
    with pytest.raises(ValidationError) as refused:
        services.return_proposal(proposal, by=secretariat, comment="   ")
    assert "comment" in refused.value.message_dict
    assert Proposal.objects.get(pk=proposal.pk).state == S.UNDER_REVIEW


@pytest.mark.django_db
def test_first_submission_assigns_reference_and_resubmission_keeps_it(proposal_in_state, lead_liaison, secretariat):
    proposal = proposal_in_state(S.RETURNED)
    reference = proposal.reference
    assert reference.startswith("NBC-") and reference.endswith("-0001")
    resubmitted = services.submit_proposal(proposal, by=lead_liaison)
    assert resubmitted.state == S.SUBMITTED
    assert resubmitted.reference == reference


@pytest.mark.django_db
def test_references_count_up_per_committee_and_year(committee, lead_liaison, health):
    other_committee = cast.make_committee("NBC-FOOD")
    first = services.submit_proposal(cast.make_proposal(committee, lead_liaison, health), by=lead_liaison)
    second = services.submit_proposal(cast.make_proposal(committee, lead_liaison, health), by=lead_liaison)
    elsewhere = services.submit_proposal(cast.make_proposal(other_committee, lead_liaison, health), by=lead_liaison)
    year = timezone.localtime(first.submitted_at).year  # references take Seoul's year, not UTC's
    assert [first.reference, second.reference] == [f"NBC-{year}-0001", f"NBC-{year}-0002"]
    assert elsewhere.reference == f"NBC-FOOD-{year}-0001"


@pytest.mark.django_db
def test_withdrawn_draft_gets_no_reference(draft, lead_liaison):
    withdrawn = services.withdraw_proposal(draft, by=lead_liaison)
    assert withdrawn.state == S.WITHDRAWN
    assert withdrawn.reference is None


@pytest.mark.django_db
def test_every_transition_raises_the_version(draft, lead_liaison):
    submitted = services.submit_proposal(draft, by=lead_liaison)
    assert submitted.version == draft.version + 1


@pytest.mark.django_db
def test_timeline_records_the_whole_life_of_a_decided_proposal(proposal_in_state):
    proposal = proposal_in_state(S.DECIDED)
    steps = list(proposal.events.values_list("action", "to_state"))
    assert steps == [
        ("create", S.DRAFT),
        ("submit", S.SUBMITTED),
        ("start_review", S.UNDER_REVIEW),
        ("accept", S.ACCEPTED),
        ("schedule", S.SCHEDULED),
        ("decide", S.DECIDED),
    ]
