"""Verbs on minutes: start them for a held meeting, write the discussion summaries, send them to the members
for review, take members' comments, finalise, and correct final minutes.

Each verb locks the minutes row, checks `MINUTES` in policies/workflow.py (role before state), changes it,
writes its one audit entry and tells the members through the outbox, all in one transaction. Finalising and
correcting freeze the minutes as drafted from the meeting's data into a new `MinutesVersion` (never edited
afterwards) and queue the PDF's build once the transaction commits.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.dates import add_working_days, seoul_today
from policies import notifications
from policies.models import AgendaItem, Meeting, Minutes, MinutesComment, MinutesItem, MinutesReading, MinutesVersion
from policies.papers import queue as papers
from policies.permissions import actors_for
from policies.queries.minutes import draft_content, summaries_of
from policies.workflow import MINUTES, InvalidState, Transition

from .audit import audit_change
from .common import require_manager

REVIEW_DAYS = (1, 30)  # the review period members are given, in Korean working days
MAX_SUMMARY = 20_000
MAX_COMMENT = 5_000


def lock_minutes(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)


def check_minutes_action(minutes: Minutes, action: str, *, by) -> Transition:
    """Raise why `by` may not take `action` on these minutes now (workflow.MINUTES: role, then state)."""
    return MINUTES.check(minutes.status, action, actors_for(by, minutes))


@transaction.atomic
def start_minutes(meeting: Meeting, *, by) -> Minutes:
    """The draft minutes of a held meeting; the existing ones if they were started before."""
    require_manager(by, meeting.committee_id)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    if meeting.status != Meeting.Status.HELD:
        raise InvalidState(_("Minutes are drafted for a meeting once it is marked as held."))
    minutes = Minutes.objects.create(meeting=meeting)
    audit_change("minutes.started", minutes, by=by, committee_id=meeting.committee_id)
    return minutes


def _clean_summaries(minutes: Minutes, summaries: dict) -> dict[int, str]:
    """Summaries by agenda item id, each of an item of this meeting; unknown items and overlong text are a 400."""
    item_ids = set(AgendaItem.objects.filter(meeting_id=minutes.meeting_id).values_list("pk", flat=True))
    cleaned = {}
    for key, text in summaries.items():
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            item_id = None
        if item_id not in item_ids:
            raise ValidationError(
                {"summaries": _("Agenda item %(item)s is not on this meeting's agenda.") % {"item": key}}
            )
        text = (text or "").strip()
        if len(text) > MAX_SUMMARY:
            raise ValidationError(
                {"summaries": _("A summary has at most %(limit)s characters.") % {"limit": MAX_SUMMARY}}
            )
        cleaned[item_id] = text
    return cleaned


def _write_summaries(minutes: Minutes, summaries: dict[int, str]) -> dict[str, list]:
    """Store the summaries; the changes as the audit log keeps them (`item-<id>`: [before, after])."""
    before = summaries_of(minutes)
    changes = {}
    for item_id, text in summaries.items():
        if before.get(item_id, "") == text:
            continue
        MinutesItem.objects.update_or_create(minutes=minutes, agenda_item_id=item_id, defaults={"summary": text})
        changes[f"summary.item-{item_id}"] = [before.get(item_id, ""), text]
    return changes


@transaction.atomic
def save_summaries(minutes: Minutes, *, by, summaries: dict) -> Minutes:
    """Write the discussion summary of agenda items (by item id) while the minutes are draft or in review."""
    locked = lock_minutes(minutes)
    check_minutes_action(locked, "edit", by=by)
    changes = _write_summaries(locked, _clean_summaries(locked, summaries))
    locked.save(update_fields=["updated_at"])
    audit_change("minutes.edited", locked, by=by, changes=changes)
    return locked


def review_deadline(working_days) -> date:
    low, high = REVIEW_DAYS
    if not isinstance(working_days, int) or isinstance(working_days, bool) or not low <= working_days <= high:
        raise ValidationError(
            {"working_days": _("Give between %(low)s and %(high)s working days.") % {"low": low, "high": high}}
        )
    return add_working_days(seoul_today(), working_days)


@transaction.atomic
def send_minutes_for_review(minutes: Minutes, *, by, working_days: int) -> Minutes:
    """The members are asked for comments by a deadline, `working_days` Korean working days from today."""
    locked = lock_minutes(minutes)
    transition = check_minutes_action(locked, "send_for_review", by=by)
    locked.review_deadline = review_deadline(working_days)
    locked.status = transition.target
    locked.sent_for_review_at = timezone.now()
    locked.save(update_fields=["status", "review_deadline", "sent_for_review_at", "updated_at"])
    notifications.minutes_for_review(locked)
    audit_change("minutes.sent_for_review", locked, by=by)
    return locked


def _freeze(minutes: Minutes, *, by, reason: str = "") -> MinutesVersion:
    """A new final version: the minutes as drafted now, numbered after the last; its PDF built on commit."""
    minutes.version += 1
    version = MinutesVersion(
        minutes=minutes,
        number=minutes.version,
        content=draft_content(minutes.meeting, summaries_of(minutes)),
        reason=reason,
        made_by=by,
        made_at=timezone.now(),
    )
    version.save()
    papers.minutes_due(minutes.meeting)
    return version


@transaction.atomic
def finalise_minutes(minutes: Minutes, *, by) -> Minutes:
    """Lock the minutes as version 1; the members are told, and the PDF is built."""
    locked = lock_minutes(minutes)
    transition = check_minutes_action(locked, "finalise", by=by)
    locked.status = transition.target
    locked.finalised_at = timezone.now()
    version = _freeze(locked, by=by)
    locked.save(update_fields=["status", "finalised_at", "version", "updated_at"])
    notifications.minutes_final(locked, version)
    audit_change("minutes.finalised", locked, by=by)
    return locked


@transaction.atomic
def correct_minutes(minutes: Minutes, *, by, reason: str, summaries: dict | None = None) -> Minutes:
    """Supersede final minutes by a new version with the reason; the old version is kept as it was."""
    locked = lock_minutes(minutes)
    transition = check_minutes_action(locked, "correct", by=by)
    reason = MINUTES.check_comment(transition, reason)
    changes = _write_summaries(locked, _clean_summaries(locked, summaries or {}))
    version = _freeze(locked, by=by, reason=reason)
    locked.save(update_fields=["version", "updated_at"])
    notifications.minutes_final(locked, version)
    audit_change("minutes.corrected", locked, by=by, changes=changes, detail=reason)
    return locked


@transaction.atomic
def comment_on_minutes(minutes: Minutes, *, by, text: str, agenda_item: AgendaItem | None = None) -> MinutesComment:
    """A member's comment on minutes in review, on one agenda item of the meeting or on the whole. Past the review
    deadline a comment is still taken until the minutes are final (the secretariat may still use it), marked late."""
    locked = lock_minutes(minutes)
    check_minutes_action(locked, "comment", by=by)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"text": _("A comment has at most %(limit)s characters.") % {"limit": MAX_COMMENT}})
    if agenda_item is not None and agenda_item.meeting_id != locked.meeting_id:
        raise ValidationError({"agenda_item": _("This item is not on the agenda of this meeting.")})
    comment = MinutesComment.objects.create(
        minutes=locked, agenda_item=agenda_item, author=by, text=text, late=locked.comments_late
    )
    audit_change("minutes_comment.added", comment, by=by, committee_id=locked.meeting.committee_id)
    return comment


def record_minutes_opened(minutes: Minutes, *, by) -> None:
    """That a member looked at minutes in review (reminders skip them). A reading, not a change: no audit entry."""
    if minutes.status != Minutes.Status.IN_REVIEW or not getattr(by, "is_authenticated", False):
        return
    now = timezone.now()
    reading, created = MinutesReading.objects.get_or_create(
        minutes=minutes, reader=by, defaults={"first_opened_at": now, "last_opened_at": now}
    )
    if not created:
        MinutesReading.objects.filter(pk=reading.pk).update(last_opened_at=now)
