"""Periodic work of the policy lifecycle, run by celery beat (rows editable in the admin)."""

from celery import shared_task

from . import digests, reminders


@shared_task(name="policies.tasks.send_reminders")
def send_reminders() -> int:
    """Deadline reminders that are due now; each stage reaches each person once however often this runs."""
    return reminders.send_reminders()


@shared_task(name="policies.tasks.send_digests")
def send_digests() -> int:
    """Digests of everyone whose daily or weekly period has elapsed."""
    return digests.send_digests()
