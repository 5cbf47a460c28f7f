"""The outbox's smaller promises: batches, limits, what a sent message keeps, and which SMTP answers are final."""

import datetime
import logging
import smtplib

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from committee.outbox import delivery, tasks
from committee.outbox.models import Notification, OutboundEmail
from tests.outbox.conftest import Recorder, free_port

pytestmark = pytest.mark.django_db


def outbound(to="reader@example.go.kr", **fields):
    values = {"kind": "test", "dedup_key": f"rules:{to}:{fields.get('subject', '')}", "subject": "Hello"}
    values.update(fields)
    return OutboundEmail.objects.create(to_address=to, body_text="Hi", body_html="<p>Hi</p>", **values)


@pytest.fixture
def published(monkeypatch):
    """What the broker was given, chunk by chunk (the broker itself is tested in tests/outbox/test_worker.py)."""
    chunks = []
    monkeypatch.setattr(tasks.deliver_emails, "apply_async", lambda args, **kw: chunks.append(list(args[0])))
    monkeypatch.setattr(delivery, "_broker_paused_until", 0.0)
    return chunks


def test_delivery_is_published_in_batches_of_fifty(published):
    ids = list(range(1, 121))
    assert delivery.enqueue_delivery(ids) is True
    assert [len(chunk) for chunk in published] == [50, 50, 20]
    assert sum(published, []) == ids


def test_a_publish_that_fails_half_way_says_how_many_emails_are_left(monkeypatch, caplog):
    calls = []

    def first_only(args, **kwargs):
        calls.append(args)
        if len(calls) > 1:
            raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.deliver_emails, "apply_async", first_only)
    monkeypatch.setattr(delivery, "_broker_paused_until", 0.0)
    with caplog.at_level(logging.WARNING, logger="committee.outbox.delivery"):
        assert delivery.enqueue_delivery(list(range(1, 121))) is False
    assert "Broker unreachable; 70 email(s) left" in caplog.text


def test_the_sweeper_takes_at_most_a_thousand_due_rows_per_run(published):
    now = timezone.now()
    OutboundEmail.objects.bulk_create(
        OutboundEmail(
            kind="test", dedup_key=f"bulk:{n}", to_address="r@example.go.kr", subject="S", next_attempt_at=now
        )
        for n in range(1001)
    )
    assert len(delivery.due_email_ids()) == 1000
    assert delivery.sweep() == 1000
    assert len(sum(published, [])) == 1000


def test_a_batch_goes_on_past_a_row_that_is_not_due(smtp_settings):
    sent = outbound("first@example.go.kr", status=OutboundEmail.Status.SENT, sent_at=timezone.now())
    due = outbound("second@example.go.kr")
    assert delivery.deliver([sent.pk, due.pk]) == {"sent": 1, "pending": 0, "failed": 0, "skipped": 1}


def test_a_subject_is_one_line_of_at_most_300_characters():
    meeting = {"title": "Plenary\n" + "x" * 400, "starts_at": datetime.datetime(2026, 3, 2, 10, 0)}
    message = delivery.make_message("meeting-cancelled", "reader@example.go.kr", {"meeting": meeting})
    assert len(message.subject) == 300 and "\n" not in message.subject
    assert message.subject.startswith("Cancelled: Plenary xxx")


def test_a_long_smtp_error_is_kept_to_2000_characters(smtp_settings):
    smtp_settings.rcpt_replies["reader@example.go.kr"] = ["451 4.7.1 " + "slow down " * 300]
    email = outbound()
    assert delivery.deliver([email.pk])["pending"] == 1
    email.refresh_from_db()
    assert len(email.last_error) == 2000 and email.last_error.startswith("SMTPRecipientsRefused")


def test_an_email_goes_out_with_the_sender_and_headers_it_was_written_with(smtp_settings):
    email = outbound(from_address="secretariat@nbc.example.go.kr", headers={"List-Unsubscribe": "<https://x/u/1>"})
    assert delivery.deliver([email.pk])["sent"] == 1
    [(_rcpt, content)] = smtp_settings.messages
    assert b"From: secretariat@nbc.example.go.kr" in content
    assert b"List-Unsubscribe: <https://x/u/1>" in content


def letter_for(user, key, **options):
    message = EmailMultiAlternatives("Subject", "Body", "sender@nbc.example.go.kr", [user.email])
    return delivery.Letter(recipient=user, kind="test", dedup_key=key, message=message, **options)


def test_a_letter_keeps_its_sender_in_the_outbox(member, published):
    delivery.post([letter_for(member, "rules:sender")])
    assert OutboundEmail.objects.get(dedup_key="rules:sender").from_address == "sender@nbc.example.go.kr"


def test_a_letter_for_the_app_only_writes_no_email_and_one_by_email_only_no_notification(member, published):
    delivery.post([letter_for(member, "rules:app", email=False), letter_for(member, "rules:mail", in_app=False)])
    assert list(Notification.objects.values_list("dedup_key", flat=True)) == ["rules:app"]
    assert list(OutboundEmail.objects.values_list("dedup_key", flat=True)) == ["rules:mail"]
    assert OutboundEmail.objects.get().notification_id is None


def test_a_letter_is_both_a_notification_and_an_email_unless_told_otherwise(member, published):
    delivery.post([letter_for(member, "rules:both")])
    email = OutboundEmail.objects.get(dedup_key="rules:both")
    assert email.notification == Notification.objects.get(dedup_key="rules:both")


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPSenderRefused(550, b"5.7.1 sender rejected", "noreply@example"), True),
        (smtplib.SMTPDataError(554, b"5.6.0 message rejected"), True),
        (smtplib.SMTPDataError(500, b"5.5.2 syntax error"), True),
        (smtplib.SMTPDataError(451, b"4.3.0 try again later"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.go.kr": (500, b"5.5.2 syntax error")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.go.kr": (550, b"no"), "b@example.go.kr": (451, b"later")}), False),
        (smtplib.SMTPRecipientsRefused({}), False),
        (ConnectionRefusedError("no server"), False),
    ],
)
def test_only_a_5xx_answer_is_a_permanent_failure(error, permanent):
    assert delivery.is_permanent(error) is permanent


class SessionRecorder(Recorder):
    """The loopback SMTP server of tests/outbox/conftest.py, noting which client connection sent each message."""

    def __init__(self):
        super().__init__()
        self.peers = []

    async def handle_DATA(self, server, session, envelope):
        self.peers.append(session.peer)
        return await super().handle_DATA(server, session, envelope)


def test_a_batch_is_sent_over_one_smtp_connection(settings):
    recorder = SessionRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
        emails = [outbound(f"reader{n}@example.go.kr") for n in range(3)]
        assert delivery.deliver([e.pk for e in emails])["sent"] == 3
    finally:
        controller.stop()
    assert len(recorder.peers) == 3 and len(set(recorder.peers)) == 1


class Clock:
    """time.monotonic for the outbox module alone, moved by hand."""

    def __init__(self, now):
        self.now = now

    def monotonic(self):
        return self.now


def test_after_a_failed_publish_the_broker_is_left_alone_for_exactly_thirty_seconds(monkeypatch):
    clock = Clock(1000.0)
    monkeypatch.setattr(delivery, "time", clock)
    monkeypatch.setattr(delivery, "_broker_paused_until", 0.0)
    calls = []

    def refuse(args, **kwargs):
        calls.append(args)
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.deliver_emails, "apply_async", refuse)
    assert delivery.enqueue_delivery([1]) is False and len(calls) == 1
    clock.now = 1029.9
    assert delivery.enqueue_delivery([2]) is False and len(calls) == 1  # still paused: not even tried
    clock.now = 1030.0
    assert delivery.enqueue_delivery([3]) is False and len(calls) == 2  # the pause is over: tried again


def test_posting_the_same_letters_again_adds_and_queues_nothing(member, published):
    letters = [letter_for(member, "rules:again:both"), letter_for(member, "rules:again:mail", in_app=False)]
    first = delivery.post(letters)
    assert len(first) == 2
    assert delivery.post(letters) == []
    assert (Notification.objects.count(), OutboundEmail.objects.count()) == (1, 2)


def test_a_finish_after_the_claim_was_lost_is_logged_and_a_normal_one_is_not(settings, caplog):
    email = outbound()
    claimed = delivery.claim(email.pk)
    with caplog.at_level(logging.WARNING, logger="committee.outbox.delivery"):
        assert delivery._finish(claimed, status=OutboundEmail.Status.SENT) is True
        assert "claim lost" not in caplog.text
        stale = OutboundEmail.objects.get(pk=email.pk)
        stale.claim_token = "someone-else"
        assert delivery._finish(stale, status=OutboundEmail.Status.FAILED) is False
    assert "claim lost before recording failed" in caplog.text


def test_a_recipient_without_a_profile_hears_in_the_site_language(django_user_model, settings):
    user = django_user_model.objects.create_user("no-profile", email="np@example.go.kr")
    assert delivery.language_of(user) == settings.LANGUAGE_CODE


def test_a_letter_already_posted_costs_only_the_look_up(member, published, django_assert_num_queries):
    letters = [letter_for(member, "rules:seen:app", email=False), letter_for(member, "rules:seen:mail", in_app=False)]
    delivery.post(letters)
    with django_assert_num_queries(2):  # the keys in the notifications and in the emails: nothing written
        assert delivery.post(letters) == []
