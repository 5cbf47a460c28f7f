"""Verbs on follow-up actions: assign one after an adopted decision, report progress, verify, reopen."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.directory.models import Agency, seoul_today
from policies import notifications
from policies.models import Decision, FollowUpAction, ProgressReport
from policies.permissions import can_report_progress
from policies.workflow import InvalidState, NotPermitted

from .audit import audit_change
from .common import require_manager
from .decisions import ADOPTED_OUTCOMES


@transaction.atomic
def assign_follow_up_action(
    decision: Decision, *, by, agency: Agency, title: str, due_date: date, description: str = ""
) -> FollowUpAction:
    committee_id = decision.agenda_item.meeting.committee_id
    require_manager(by, committee_id)
    if decision.outcome not in ADOPTED_OUTCOMES:
        raise InvalidState(_("Follow-up actions follow adopted decisions only."))
    if due_date < seoul_today():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    action = FollowUpAction(
        decision=decision, agency=agency, title=title, description=description, due_date=due_date, assigned_by=by
    )
    action.full_clean()
    action.save()
    notifications.action_assigned(action)
    audit_change("action.assigned", action, by=by, committee_id=committee_id)
    return action


def require_progress_reporter(action: FollowUpAction, *, by) -> None:
    if not can_report_progress(by, action):
        raise NotPermitted(_("Only liaisons of the responsible agency may report progress on this action."))


@transaction.atomic
def report_progress(
    action: FollowUpAction,
    *,
    by,
    text: str,
    percent_complete: int,
    reports_done: bool = False,
    reported_on: date | None = None,
) -> ProgressReport:
    """The responsible agency reports progress; reporting done awaits the secretariat's verification."""
    locked = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    require_progress_reporter(locked, by=by)
    if locked.status == FollowUpAction.Status.DONE:
        raise InvalidState(_("This action is already reported done; the secretariat may reopen it."))
    reported_on = reported_on or seoul_today()
    if reported_on > seoul_today():
        raise ValidationError({"reported_on": _("Progress cannot be reported for a future date.")})
    if reports_done:
        percent_complete = 100
    report = ProgressReport(
        action=locked,
        text=(text or "").strip(),
        percent_complete=percent_complete,
        reports_done=reports_done,
        reported_on=reported_on,
        reported_by=by,
    )
    report.full_clean()
    report.save()
    locked.percent_complete = percent_complete
    locked.status = FollowUpAction.Status.DONE if reports_done else FollowUpAction.Status.IN_PROGRESS
    if reports_done:
        locked.done_reported_at = timezone.now()
    locked.save(update_fields=["percent_complete", "status", "done_reported_at"])
    notifications.progress_reported(report)
    audit_change("action.progress_reported", locked, by=by, created={"progress_report": report})
    return report


def _lock_action(action: FollowUpAction) -> FollowUpAction:
    return FollowUpAction.objects.select_for_update().select_related("decision__agenda_item__meeting").get(pk=action.pk)


@transaction.atomic
def verify_action(action: FollowUpAction, *, by) -> FollowUpAction:
    locked = _lock_action(action)
    require_manager(by, locked.decision.agenda_item.meeting.committee_id)
    if locked.status != FollowUpAction.Status.DONE or locked.is_verified:
        raise InvalidState(_("Only actions reported done and not yet verified can be verified."))
    locked.verified_by, locked.verified_at = by, timezone.now()
    locked.save(update_fields=["verified_by", "verified_at"])
    audit_change("action.verified", locked, by=by)
    return locked


@transaction.atomic
def reopen_action(action: FollowUpAction, *, by, comment: str) -> FollowUpAction:
    """The secretariat does not accept a report of done: the action is in progress again."""
    locked = _lock_action(action)
    require_manager(by, locked.decision.agenda_item.meeting.committee_id)
    if locked.status != FollowUpAction.Status.DONE:
        raise InvalidState(_("Only actions reported done can be reopened."))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the action is reopened.")})
    ProgressReport.objects.create(
        action=locked,
        text=comment.strip(),
        percent_complete=locked.percent_complete,
        reported_by=by,
    )
    locked.status = FollowUpAction.Status.IN_PROGRESS
    locked.verified_by = locked.verified_at = locked.done_reported_at = None
    locked.save(update_fields=["status", "verified_by", "verified_at", "done_reported_at"])
    audit_change("action.reopened", locked, by=by, detail=comment.strip())
    return locked
