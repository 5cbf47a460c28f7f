"""A small register: decisions driven through the services, some made public by setting the fields directly
(the verb that makes a decision public belongs to the minutes' work, not to the register's)."""

import datetime

import pytest
from django.utils import timezone

from committee.dates import seoul_today
from policies import services
from policies.models import Decision, FollowUpAction, ProposalState
from tests import cast

# What the register must never show: the internal resolution and the votes, set on every decision built here.
RESOLUTION = "INTERNAL-RESOLUTION-TEXT 내부 의결문"
VOTES_FOR = 17


def make_public(decision: Decision, summary: str, *, by, at: datetime.datetime | None = None) -> Decision:
    Decision.objects.filter(pk=decision.pk).update(
        public_summary=summary, made_public_at=at or timezone.now(), made_public_by=by
    )
    decision.refresh_from_db()
    return decision


@pytest.fixture
def decide(committee, lead_liaison, secretariat, health):
    """A decided proposal's decision, public with `summary` unless summary is None."""

    def build(
        title="Bio-manufacturing pilot plants",
        summary="The committee adopted the plan.",
        *,
        on=committee,
        by=secretariat,
        area=health,
        decided_at=None,
        made_public_at=None,
        outcome=Decision.Outcome.ADOPTED,
        **fields,
    ) -> Decision:
        proposal = cast.proposal_in_state(
            ProposalState.DECIDED, committee=on, liaison=lead_liaison, secretariat=by, area=area, title=title, **fields
        )
        decision = Decision.objects.get(agenda_item__proposal=proposal)
        changes = {"resolution": RESOLUTION, "votes_for": VOTES_FOR, "votes_against": 3, "outcome": outcome}
        if decided_at is not None:
            changes["decided_at"] = decided_at
        Decision.objects.filter(pk=decision.pk).update(**changes)
        decision.refresh_from_db()
        if summary is not None:
            make_public(decision, summary, by=by, at=made_public_at)
        return decision

    return build


@pytest.fixture
def assign(secretariat, msit):
    """Follow-up actions on a decision in the given statuses (set directly: the counts are what is tested)."""

    def build(decision: Decision, *statuses: str, title="Build the pilot plant") -> list[FollowUpAction]:
        actions = []
        for status in statuses:
            action = services.assign_follow_up_action(
                decision, by=secretariat, agency=msit, title=title, due_date=seoul_today() + datetime.timedelta(days=30)
            )
            FollowUpAction.objects.filter(pk=action.pk).update(status=status)
            actions.append(action)
        return actions

    return build


@pytest.fixture
def health_committee(committee):
    other = cast.make_committee("NBC-HEALTH")
    other.name_ko, other.name_en = "보건의료 분과위원회", "Health Subcommittee"
    other.save()
    return other


@pytest.fixture
def health_secretariat(health_committee):
    return cast.make_secretariat(health_committee, "secretariat-health")
