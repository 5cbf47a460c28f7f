"""Delivery against a real SMTP server on loopback: claims, retries with backoff, permanent failures, the sweeper."""

import datetime
import time

import pytest
from django.contrib import admin as django_admin
from django.urls import reverse
from django.utils import timezone

from committee.outbox import delivery
from committee.outbox.models import OutboundEmail
from policies import services
from tests.outbox.conftest import celery_broker, free_port

pytestmark = pytest.mark.django_db


def outbound(to="reader@example.go.kr", **fields):
    values = {"kind": "test", "dedup_key": f"test:{to}:{time.monotonic_ns()}", "subject": "Hello", "body_text": "Hi"}
    values.update(fields)
    return OutboundEmail.objects.create(to_address=to, body_html="<p>Hi</p>", **values)


def make_due(email):
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())


def test_a_pending_email_is_sent_once_even_if_delivered_twice(smtp_settings):
    email = outbound()
    assert delivery.deliver([email.pk]) == {"sent": 1, "pending": 0, "failed": 0, "skipped": 0}
    assert delivery.deliver([email.pk])["skipped"] == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.sent_at and email.attempts == 1
    assert smtp_settings.received_by("reader@example.go.kr") == 1


def test_one_smtp_session_carries_a_whole_batch(smtp_settings):
    emails = [outbound(f"reader{n}@example.go.kr") for n in range(5)]
    assert delivery.deliver([e.pk for e in emails])["sent"] == 5
    assert len(smtp_settings.messages) == 5


def test_smtp_4xx_is_retried_with_backoff_then_delivered_exactly_once(smtp_settings, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 60
    smtp_settings.rcpt_replies["reader@example.go.kr"] = ["451 4.7.1 Greylisted, try again", "452 4.2.2 Mailbox full"]
    email = outbound()
    before = timezone.now()
    assert delivery.deliver([email.pk])["pending"] == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING and "451" in email.last_error
    assert (
        before + datetime.timedelta(seconds=59)
        < email.next_attempt_at
        < timezone.now() + datetime.timedelta(seconds=61)
    )
    assert delivery.deliver([email.pk])["skipped"] == 1  # not due yet: the backoff holds
    assert delivery.due_email_ids() == []
    make_due(email)
    assert delivery.deliver(delivery.due_email_ids())["pending"] == 1
    email.refresh_from_db()
    assert email.next_attempt_at > timezone.now() + datetime.timedelta(seconds=119)  # doubled
    make_due(email)
    assert delivery.deliver(delivery.due_email_ids())["sent"] == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboundEmail.Status.SENT, 3, "")
    assert smtp_settings.received_by("reader@example.go.kr") == 1


def test_smtp_5xx_for_the_address_fails_at_once_without_retry(smtp_settings):
    smtp_settings.rcpt_replies["nobody@example.go.kr"] = ["550 5.1.1 No such user"]
    email = outbound("nobody@example.go.kr")
    assert delivery.deliver([email.pk])["failed"] == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED and email.attempts == 1 and "550" in email.last_error
    assert delivery.due_email_ids() == []
    assert smtp_settings.messages == []


@pytest.mark.parametrize(
    ("stage", "reply"),
    [
        ("mail", "550 5.7.1 Sender not allowed"),
        ("mail", "500 5.5.2 Syntax error"),  # the lowest 5xx is permanent too
        ("data", "554 5.6.0 Message refused"),
        ("data", "552 5.3.4 Message too big"),
    ],
)
def test_smtp_5xx_on_mail_from_or_data_fails_after_one_attempt(smtp_settings, stage, reply):
    if stage == "mail":
        smtp_settings.mail_replies.append(reply)
    else:
        smtp_settings.data_replies["reader@example.go.kr"] = [reply]
    email = outbound()
    assert delivery.deliver([email.pk]) == {"sent": 0, "pending": 0, "failed": 1, "skipped": 0}
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.FAILED, 1)
    assert reply.split()[0] in email.last_error
    assert delivery.due_email_ids() == []  # never tried again
    assert smtp_settings.messages == []


@pytest.mark.parametrize(
    ("stage", "reply"),
    [("mail", "451 4.3.0 Try again later"), ("data", "452 4.3.1 Insufficient storage")],
)
def test_smtp_4xx_on_mail_from_or_data_is_retried_then_delivered(smtp_settings, stage, reply):
    if stage == "mail":
        smtp_settings.mail_replies.append(reply)
    else:
        smtp_settings.data_replies["reader@example.go.kr"] = [reply]
    email = outbound()
    assert delivery.deliver([email.pk])["pending"] == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, 1)
    assert reply.split()[0] in email.last_error
    make_due(email)
    assert delivery.deliver(delivery.due_email_ids())["sent"] == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 2)
    assert smtp_settings.received_by("reader@example.go.kr") == 1


def test_transient_failures_stop_at_the_attempt_cap(smtp_settings, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp_settings.rcpt_replies["reader@example.go.kr"] = ["451 4.3.0 Try later"] * 10
    email = outbound()
    outcomes = []
    for _ in range(4):
        outcomes.append(next(k for k, v in delivery.deliver([email.pk]).items() if v))
        make_due(email)
    assert outcomes == ["pending", "pending", "failed", "skipped"]
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED and email.attempts == 3


def test_a_server_that_does_not_answer_is_a_transient_failure(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    email = outbound()
    assert delivery.deliver([email.pk])["pending"] == 1
    email.refresh_from_db()
    assert "ConnectionRefused" in email.last_error


def test_backoff_doubles_and_is_capped(settings):
    settings.OUTBOX_BACKOFF_SECONDS, settings.OUTBOX_BACKOFF_MAX_SECONDS = 60, 600
    assert [delivery.backoff(n).total_seconds() for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_a_claim_is_exclusive_until_its_lease_expires(settings):
    settings.OUTBOX_CLAIM_LEASE_SECONDS = 300
    email = outbound()
    first = delivery.claim(email.pk)
    assert first is not None and first.status == OutboundEmail.Status.SENDING
    assert delivery.claim(email.pk) is None  # a second worker gets nothing
    assert delivery.due_email_ids() == []
    # The first worker died mid-send: after the lease the row can be taken again, by a new claim.
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - datetime.timedelta(seconds=301))
    assert delivery.due_email_ids() == [email.pk]
    second = delivery.claim(email.pk)
    assert second is not None and second.claim_token != first.claim_token and second.attempts == 2
    # The dead worker's late report cannot overwrite the new claim.
    assert delivery._finish(first, status=OutboundEmail.Status.SENT) is False


def test_a_sent_email_is_never_claimed_again(settings):
    email = outbound(status=OutboundEmail.Status.SENT, sent_at=timezone.now())
    assert delivery.claim(email.pk) is None


def test_delivery_is_queued_once_per_event_after_commit(
    draft, lead_liaison, secretariat, django_capture_on_commit_callbacks, monkeypatch
):
    published = []
    from committee.outbox import tasks

    monkeypatch.setattr(tasks.deliver_emails, "apply_async", lambda args, **kw: published.append(args[0]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submit_proposal(draft, by=lead_liaison)
        assert published == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert published == [list(OutboundEmail.objects.values_list("id", flat=True))]


def test_a_broker_that_is_down_at_commit_does_not_fail_the_request(
    draft, lead_liaison, secretariat, django_capture_on_commit_callbacks
):
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"), django_capture_on_commit_callbacks(execute=True):
        services.submit_proposal(draft, by=lead_liaison)
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.PENDING
    assert delivery.due_email_ids() == [email.pk]  # the sweeper will find it


def test_admin_retry_puts_failed_emails_back_in_the_queue(admin_client, django_capture_on_commit_callbacks):
    failed = outbound(status=OutboundEmail.Status.FAILED, attempts=8, last_error="550 no such user")
    sent = outbound("other@example.go.kr", status=OutboundEmail.Status.SENT)
    url = reverse("admin:outbox_outboundemail_changelist")
    assert django_admin.site.is_registered(OutboundEmail)
    assert admin_client.get(url + "?status__exact=failed").status_code == 200
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(url, {"action": "retry", "_selected_action": [failed.pk, sent.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (OutboundEmail.Status.PENDING, 0, "")
    assert sent.status == OutboundEmail.Status.SENT
    assert len(callbacks) == 1


def test_after_a_failed_publish_the_process_leaves_the_broker_alone_for_a_while(monkeypatch):
    from committee.outbox import tasks

    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.deliver_emails, "apply_async", refuse)
    monkeypatch.setattr(delivery, "_broker_paused_until", 0.0)
    assert delivery.enqueue_delivery([1, 2]) is False
    assert delivery.enqueue_delivery([3]) is False  # no second wait on a dead broker
    assert len(calls) == 1
