"""Every follow-up action step x stage x role: allowed ones move the action, the rest are refused and change nothing."""

import datetime

import pytest
from django.utils import timezone

from policies import permissions, services
from policies.models import FollowUpAction, ProgressReport, ProposalState
from policies.workflow import FOLLOW_UP, InvalidState, NotPermitted
from tests import cast

A = FollowUpAction.Stage

# Written out by hand from the issue and today's rules, not derived from the workflow table it checks.
ALLOWED = {
    ("report_progress", A.OPEN): "responsible_liaison",
    ("report_progress", A.IN_PROGRESS): "responsible_liaison",
    ("report_done", A.OPEN): "responsible_liaison",
    ("report_done", A.IN_PROGRESS): "responsible_liaison",
    ("verify", A.REPORTED_DONE): "secretariat",
    ("reopen", A.REPORTED_DONE): "secretariat",
    ("reopen", A.VERIFIED): "secretariat",  # a verified action may still turn out unfinished
}
TARGET = {
    "report_progress": A.IN_PROGRESS,
    "report_done": A.REPORTED_DONE,
    "verify": A.VERIFIED,
    "reopen": A.IN_PROGRESS,
}
# Who may ever take each step; anyone else is refused for role before stage.
ROLE_OF_STEP = {
    "report_progress": "responsible_liaison",
    "report_done": "responsible_liaison",
    "verify": "secretariat",
    "reopen": "secretariat",
}
ROLES = ["responsible_liaison", "other_liaison", "secretariat", "foreign_secretariat", "member", "outsider"]


@pytest.fixture
def actors(lead_liaison, other_liaison, secretariat, member, outsider):
    foreign = cast.make_committee("NBC-FOOD")
    return {
        "responsible_liaison": lead_liaison,
        "other_liaison": other_liaison,
        "secretariat": secretariat,
        "foreign_secretariat": cast.make_secretariat(foreign, "food-secretariat"),
        "member": member,
        "outsider": outsider,
    }


@pytest.fixture
def action_in_stage(proposal_in_state, secretariat, lead_liaison, msit):
    """A follow-up action of the lead liaison's agency, driven through the services to `stage`."""

    def build(stage):
        decision = proposal_in_state(ProposalState.DECIDED).agenda_items.get().decision
        action = services.assign_follow_up_action(
            decision,
            by=secretariat,
            agency=msit,
            title="Draft the pilot plant plan",
            due_date=timezone.localdate() + datetime.timedelta(days=30),
        )
        if stage == A.IN_PROGRESS:
            services.report_progress(action, by=lead_liaison, text="Site survey finished.", percent_complete=40)
        if stage in (A.REPORTED_DONE, A.VERIFIED):
            services.report_progress(action, by=lead_liaison, text="Plan sent.", percent_complete=90, reports_done=True)
        if stage == A.VERIFIED:
            services.verify_action(action, by=secretariat)
        action = FollowUpAction.objects.get(pk=action.pk)
        assert action.stage == stage
        return action

    return build


def take(step, action, user):
    """The service verb behind each step of the table."""
    if step == "report_progress":
        return services.report_progress(action, by=user, text="Half way.", percent_complete=50)
    if step == "report_done":
        return services.report_progress(action, by=user, text="Finished.", percent_complete=80, reports_done=True)
    if step == "verify":
        return services.verify_action(action, by=user)
    assert step == "reopen"
    return services.reopen_action(action, by=user, comment="The budget annex is missing.")


def stored(action):
    row = FollowUpAction.objects.get(pk=action.pk)
    return (row.status, row.percent_complete, row.done_reported_at, row.verified_at, row.verified_by_id)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("stage", A.values)
@pytest.mark.parametrize("step", list(TARGET))
def test_follow_up_action_table(action_in_stage, actors, step, stage, role):
    action = action_in_stage(stage)
    user = actors[role]
    allowed = ALLOWED.get((step, stage)) == role
    assert (step in permissions.allowed_actions(user, action)) == allowed
    before, reports = stored(action), ProgressReport.objects.filter(action=action).count()
    if allowed:
        take(step, action, user)
        moved = FollowUpAction.objects.get(pk=action.pk)
        assert moved.stage == TARGET[step]
        assert moved.is_verified == (TARGET[step] == A.VERIFIED)
        assert (moved.done_reported_at is not None) == (TARGET[step] in (A.REPORTED_DONE, A.VERIFIED))
        # Reports and reopenings leave a progress report; verifying does not.
        assert ProgressReport.objects.filter(action=action).count() == reports + (step != "verify")
        return
    expected = InvalidState if ROLE_OF_STEP[step] == role else NotPermitted
    with pytest.raises(expected) as refused:
        take(step, action, user)
    assert refused.value.message
    assert stored(action) == before
    assert ProgressReport.objects.filter(action=action).count() == reports


def test_the_table_has_exactly_the_steps_this_test_walks():
    assert list(FOLLOW_UP.transitions) == list(TARGET)
    assert list(FOLLOW_UP.user_actions) == list(TARGET)
    assert [step for step, transition in FOLLOW_UP.transitions.items() if transition.comment_required] == ["reopen"]
