"""Decisions and follow-up actions in the admin: assign actions on the decision page, verify and reopen."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import Decision, FollowUpAction, ProgressReport, ProposalState
from tests import cast
from tests.admin.conftest import form_data, messages_of

pytestmark = pytest.mark.django_db

ACTIONS = "admin:policies_followupaction_changelist"


@pytest.fixture
def decision(proposal_in_state):
    return proposal_in_state(ProposalState.DECIDED).agenda_items.get().decision


@pytest.fixture
def action(decision, secretariat, mohw):
    return services.assign_follow_up_action(
        decision, by=secretariat, agency=mohw, title="Draft the rule", due_date=timezone.localdate()
    )


def decision_url(decision):
    return reverse("admin:policies_decision_change", args=[decision.pk])


def status_of(action):
    action.refresh_from_db()
    return action.status, action.verified_at is not None


def test_decision_page_is_read_only_but_assigns_follow_up_actions(desk, decision, secretariat, mohw):
    response = desk.get(decision_url(decision))
    assert response.status_code == 200
    assert response.context["adminform"].form.fields == {}
    data = form_data(response)
    due = timezone.localdate() + datetime.timedelta(days=60)
    data.update(
        {
            "follow_up_actions-0-agency": str(mohw.pk),
            "follow_up_actions-0-title": "Publish guidelines",
            "follow_up_actions-0-due_date": due.isoformat(),
            "resolution": "Rewritten",
            "outcome": "rejected",
        }
    )
    response = desk.post(decision_url(decision), data)
    assert response.status_code == 302
    action = FollowUpAction.objects.get(decision=decision)
    assert (action.agency, action.title, action.due_date, action.assigned_by) == (
        mohw,
        "Publish guidelines",
        due,
        secretariat,
    )
    refreshed = Decision.objects.get(pk=decision.pk)
    assert (refreshed.outcome, refreshed.resolution) == (decision.outcome, decision.resolution)


def test_a_follow_up_action_due_in_the_past_is_refused_with_a_message(desk, decision, mohw):
    data = form_data(desk.get(decision_url(decision)))
    data.update(
        {
            "follow_up_actions-0-agency": str(mohw.pk),
            "follow_up_actions-0-title": "Too late",
            "follow_up_actions-0-due_date": "2020-01-01",
        }
    )
    response = desk.post(decision_url(decision), data)
    # The page comes back with the refusal on it and every field as typed, nothing saved.
    assert response.status_code == 200
    assert "The due date cannot be in the past." in response.context["adminform"].form.non_field_errors()
    kept = form_data(response)
    assert (
        kept["follow_up_actions-0-agency"],
        kept["follow_up_actions-0-title"],
        kept["follow_up_actions-0-due_date"],
    ) == (str(mohw.pk), "Too late", "2020-01-01")
    assert not FollowUpAction.objects.filter(decision=decision).exists()
    assert not FollowUpAction.objects.exists()


def test_deferred_decisions_take_no_follow_up_actions(desk, secretariat, member, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SCHEDULED)
    item = proposal.agenda_items.get()
    services.publish_agenda(item.meeting, by=secretariat)
    with time_machine.travel(item.meeting.starts_at + datetime.timedelta(minutes=5)):  # the meeting has begun
        cast.attend_all(item.meeting, secretariat)
        deferred = services.record_decision(item, by=secretariat, outcome="deferred", resolution="Next meeting.")
    response = desk.get(decision_url(deferred))
    assert not response.context["inline_admin_formsets"][0].has_add_permission


def test_decisions_cannot_be_added_or_deleted_in_the_admin(desk, decision):
    assert desk.get(reverse("admin:policies_decision_add")).status_code == 403
    assert desk.post(reverse("admin:policies_decision_delete", args=[decision.pk]), {"post": "yes"}).status_code == 403
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_verify_action_verifies_an_action_reported_done(desk, action, other_liaison, secretariat):
    services.report_progress(action, by=other_liaison, text="Done.", percent_complete=100, reports_done=True)
    response = desk.post(reverse(ACTIONS), {"action": "verify_selected", "_selected_action": [action.pk]})
    assert response.status_code == 302
    assert messages_of(response) == ["Verified: Draft the rule."]
    action.refresh_from_db()
    assert (action.verified_by, action.status) == (secretariat, FollowUpAction.Status.DONE)


def test_verifying_an_open_action_is_refused_with_a_message(desk, action):
    response = desk.post(reverse(ACTIONS), {"action": "verify_selected", "_selected_action": [action.pk]})
    assert response.status_code == 302
    assert messages_of(response) == ["Draft the rule: Only actions reported done and not yet verified can be verified."]
    assert status_of(action) == (FollowUpAction.Status.OPEN, False)


def test_reopen_asks_for_a_reason_then_reopens(desk, action, other_liaison):
    services.report_progress(action, by=other_liaison, text="Done.", percent_complete=100, reports_done=True)
    selection = {"action": "reopen_selected", "_selected_action": [action.pk]}
    response = desk.post(reverse(ACTIONS), selection)
    assert response.status_code == 200
    assert "comment" in response.context["form"].fields
    response = desk.post(reverse(ACTIONS), {**selection, "apply": "1", "comment": ""})
    assert response.status_code == 200
    assert status_of(action) == (FollowUpAction.Status.DONE, False)
    response = desk.post(reverse(ACTIONS), {**selection, "apply": "1", "comment": "The rule is not yet published."})
    assert response.status_code == 302
    assert status_of(action) == (FollowUpAction.Status.IN_PROGRESS, False)
    assert ProgressReport.objects.filter(action=action).latest("id").text == "The rule is not yet published."


def test_reopening_an_action_not_reported_done_is_refused_with_a_message(desk, action):
    response = desk.post(
        reverse(ACTIONS),
        {"action": "reopen_selected", "_selected_action": [action.pk], "apply": "1", "comment": "Why not."},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Draft the rule: Only actions reported done can be reopened."]
    assert status_of(action) == (FollowUpAction.Status.OPEN, False)


def test_actions_list_flags_and_filters_overdue_actions(desk, decision, secretariat, mohw, motie):
    services.assign_follow_up_action(
        decision, by=secretariat, agency=mohw, title="Due soon", due_date=timezone.localdate()
    )
    services.assign_follow_up_action(
        decision,
        by=secretariat,
        agency=motie,
        title="Due later",
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        response = desk.get(reverse(ACTIONS))
        flags = {row.title: row.is_overdue for row in response.context["cl"].result_list}
        assert flags == {"Due soon": True, "Due later": False}
        response = desk.get(reverse(ACTIONS), {"overdue": "yes"})
        assert [row.title for row in response.context["cl"].result_list] == ["Due soon"]


def test_action_page_shows_progress_reports_read_only(desk, action, other_liaison):
    services.report_progress(action, by=other_liaison, text="Half way.", percent_complete=50)
    response = desk.get(reverse("admin:policies_followupaction_change", args=[action.pk]))
    assert response.status_code == 200
    assert "Half way." in response.content.decode()
    inline = response.context["inline_admin_formsets"][0]
    assert not inline.has_add_permission and not inline.has_change_permission
    response = desk.post(
        reverse("admin:policies_followupaction_change", args=[action.pk]), {"title": "Renamed", "status": "done"}
    )
    assert response.status_code == 403
    assert status_of(action) == (FollowUpAction.Status.IN_PROGRESS, False)


def test_action_page_buttons_verify_and_reopen(desk, action, other_liaison, secretariat):
    services.report_progress(action, by=other_liaison, text="Done.", percent_complete=100, reports_done=True)
    page = reverse("admin:policies_followupaction_change", args=[action.pk])
    labels = [str(button["label"]) for button in desk.get(page).context["workflow_buttons"]]
    assert labels == ["Verify", "Reopen"]
    verify = reverse("admin:policies_followupaction_verify", args=[action.pk])
    assert desk.get(verify).status_code == 405
    desk.post(verify)
    assert status_of(action) == (FollowUpAction.Status.DONE, True)
    response = desk.post(verify)
    assert messages_of(response)[-1] == "Only actions reported done and not yet verified can be verified."
    reopen = reverse("admin:policies_followupaction_reopen", args=[action.pk])
    response = desk.post(reopen, {"comment": ""})
    assert response.status_code == 200
    assert status_of(action) == (FollowUpAction.Status.DONE, True)
    desk.post(reopen, {"comment": "The survey report is missing."})
    assert status_of(action) == (FollowUpAction.Status.IN_PROGRESS, False)
    assert desk.get(page).context["workflow_buttons"] == []
