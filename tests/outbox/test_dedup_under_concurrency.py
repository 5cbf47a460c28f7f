"""Two writers of the same letter at once: the second waits for the first, then adds nothing and does not fail."""

import threading
import time

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction

from committee.outbox import delivery, tasks
from committee.outbox.attachments import Attachment
from committee.outbox.models import EmailAttachment, Notification, OutboundEmail


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("in_app", [True, False], ids=["notification-and-email", "email-only"])
def test_a_concurrent_writer_of_the_same_key_adds_nothing_and_does_not_fail(member, monkeypatch, in_app):
    monkeypatch.setattr(tasks.deliver_emails, "apply_async", lambda args, **kw: None)
    message = EmailMultiAlternatives("Subject", "Body", "sender@example.go.kr", [member.email])
    invitation = Attachment.text("invitation.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    letter = delivery.Letter(
        recipient=member, kind="test", dedup_key="race", message=message, in_app=in_app, attachments=[invitation]
    )
    first_wrote, errors, seen_blocked = threading.Event(), [], []

    def first():
        try:
            with transaction.atomic():
                delivery.post([letter])
                first_wrote.set()
                for _ in range(300):  # commit only once the second writer waits on our row (at most 30 s)
                    if waiting_for_a_lock():
                        seen_blocked.append(True)
                        break
                    time.sleep(0.1)
        except Exception as error:  # re-raised below
            errors.append(error)
        finally:
            connection.close()

    def second():
        try:
            first_wrote.wait(30)
            with transaction.atomic():
                delivery.post([letter])
        except Exception as error:  # re-raised below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert seen_blocked, "the second writer never waited for the first: the test proved nothing"
    assert OutboundEmail.objects.filter(dedup_key="race").count() == 1
    assert EmailAttachment.objects.filter(email__dedup_key="race").count() == 1  # one set of files, not two
    assert Notification.objects.filter(dedup_key="race").count() == (1 if in_app else 0)
