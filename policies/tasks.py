"""Periodic work of the policy lifecycle, run by celery beat (rows editable in the admin)."""

from celery import shared_task

from . import digests, reminders, uploads


@shared_task(name="policies.tasks.send_reminders")
def send_reminders() -> int:
    """Deadline reminders that are due now; each stage reaches each person once however often this runs."""
    return reminders.send_reminders()


@shared_task(name="policies.tasks.send_digests")
def send_digests() -> int:
    """Digests of everyone whose daily or weekly period has elapsed."""
    return digests.send_digests()


@shared_task(name="policies.tasks.sweep_pending_uploads")
def sweep_pending_uploads() -> int:
    """Delete the portal's pending uploads that no session can still list (forms never saved)."""
    return uploads.sweep_pending_uploads()


@shared_task(name="policies.tasks.build_meeting_paper")
def build_meeting_paper(meeting_id: int, kind: str) -> int | None:
    """A meeting's agenda book or decision record as it stands now; a paper already built is not built again."""
    from .papers.build import build_paper

    document = build_paper(meeting_id, kind)
    return document.pk if document is not None else None
