"""Celery tasks of the outbox: deliver given rows, and sweep up whatever is due."""

from celery import shared_task

from . import delivery


@shared_task(name="committee.outbox.tasks.deliver_emails")
def deliver_emails(email_ids: list[int]) -> dict[str, int]:
    """Safe to run twice: each row is claimed before it is sent, and sent rows are never claimed again."""
    return delivery.deliver(email_ids)


@shared_task(name="committee.outbox.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Run every minute by beat: re-enqueue pending rows that are due and claims whose lease expired."""
    return delivery.sweep()
