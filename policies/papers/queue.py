"""The one way a paper's build is queued: after the transaction that made it due commits."""

import logging

from django.db import transaction

from policies.models import Meeting, MeetingDocument

logger = logging.getLogger(__name__)


def build_on_commit(meeting: Meeting, kind: str) -> None:
    """Queue the build of the meeting's paper once the verb's transaction commits (never for a rolled-back one)."""
    meeting_id = meeting.pk
    transaction.on_commit(lambda: enqueue_build(meeting_id, kind))


def agenda_book_due(meeting: Meeting) -> None:
    """The agenda was published or changed while published: a new version of the book."""
    if meeting.status == Meeting.Status.AGENDA_PUBLISHED:
        build_on_commit(meeting, MeetingDocument.Kind.AGENDA_BOOK)


def decision_record_due(meeting: Meeting) -> None:
    """The meeting was marked held, or a decision was recorded on a held meeting."""
    if meeting.status == Meeting.Status.HELD:
        build_on_commit(meeting, MeetingDocument.Kind.DECISION_RECORD)


def minutes_due(meeting: Meeting) -> None:
    """The minutes were finalised or corrected: their new version as a PDF."""
    build_on_commit(meeting, MeetingDocument.Kind.MINUTES)


def enqueue_build(meeting_id: int, kind: str) -> bool:
    """Publish the task; a broker that is down costs the paper until the next change, never the verb."""
    from policies.tasks import build_meeting_paper  # the task module imports the builders; they import this

    try:
        build_meeting_paper.apply_async((meeting_id, kind), retry=False)
    except Exception:  # any broker failure
        logger.warning("Broker unreachable; %s of meeting %s not queued", kind, meeting_id)
        return False
    return True
