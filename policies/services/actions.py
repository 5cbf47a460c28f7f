"""Verbs on follow-up actions: assign one after an adopted decision, report progress, verify, reopen."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.dates import seoul_today
from committee.directory.models import Agency
from policies import notifications, reminders
from policies.models import Decision, FollowUpAction, ProgressReport, ProgressReportAttachment
from policies.permissions import actors_for
from policies.workflow import FOLLOW_UP, InvalidState, Transition

from .attachments import store_upload
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
        decision=decision,
        agency=agency,
        title=title,
        description=description,
        due_date=due_date,
        assigned_by=by,
        next_reminder_on=reminders.first_action_reminder(due_date),
    )
    action.full_clean()
    action.save()
    notifications.action_assigned(action)
    audit_change("action.assigned", action, by=by, committee_id=committee_id)
    return action


def require_progress_reporter(action: FollowUpAction, *, by) -> None:
    """Raise unless `by` may report progress on this action at all (the faces ask before showing a form)."""
    FOLLOW_UP.check_role("report_progress", actors_for(by, action))


def check_step(action: FollowUpAction, step: str, *, by) -> Transition:
    """Raise why `by` may not take `step` on this action now (workflow.FOLLOW_UP: role, then stage)."""
    return FOLLOW_UP.check(action.stage, step, actors_for(by, action))


@transaction.atomic
def report_progress(
    action: FollowUpAction,
    *,
    by,
    text: str,
    percent_complete: int,
    reports_done: bool = False,
    reported_on: date | None = None,
    files: Iterable = (),
) -> ProgressReport:
    """The responsible agency reports progress, with any files (an official letter); reporting done awaits the
    secretariat's verification. A refused file refuses the whole report."""
    locked = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    transition = check_step(locked, "report_done" if reports_done else "report_progress", by=by)
    reported_on = reported_on or seoul_today()
    if reported_on > seoul_today():
        raise ValidationError({"reported_on": _("Progress cannot be reported for a future date.")})
    if reports_done:
        percent_complete = 100
        locked.next_reminder_on = None  # done: nothing left to remind of
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
    names = [store_upload(ProgressReportAttachment(report=report), f, by=by).original_name for f in files]
    locked.percent_complete = percent_complete
    stored = locked.enter_stage(transition.target, by=by, now=timezone.now())
    locked.save(update_fields=["percent_complete", "next_reminder_on", *stored])
    notifications.progress_reported(report)
    audit_change(
        "action.progress_reported",
        locked,
        by=by,
        created={"progress_report": report},
        changes={"progress_report.attachments": [[], names]},
    )
    return report


def _lock_action(action: FollowUpAction) -> FollowUpAction:
    return FollowUpAction.objects.select_for_update().select_related("decision__agenda_item__meeting").get(pk=action.pk)


@transaction.atomic
def verify_action(action: FollowUpAction, *, by) -> FollowUpAction:
    locked = _lock_action(action)
    transition = check_step(locked, "verify", by=by)
    locked.save(update_fields=locked.enter_stage(transition.target, by=by, now=timezone.now()))
    audit_change("action.verified", locked, by=by)
    return locked


@transaction.atomic
def reopen_action(action: FollowUpAction, *, by, comment: str) -> FollowUpAction:
    """The secretariat does not accept a report of done: the action is in progress again."""
    locked = _lock_action(action)
    transition = check_step(locked, "reopen", by=by)
    comment = FOLLOW_UP.check_comment(transition, comment)
    ProgressReport.objects.create(
        action=locked,
        text=comment,
        percent_complete=locked.percent_complete,
        reported_by=by,
    )
    locked.next_reminder_on = reminders.first_action_reminder(locked.due_date)  # reminded again, from the first stage
    stored = locked.enter_stage(transition.target, by=by, now=timezone.now())
    locked.save(update_fields=[*stored, "next_reminder_on"])
    audit_change("action.reopened", locked, by=by, detail=comment.strip())
    return locked
