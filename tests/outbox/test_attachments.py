"""Attachments: stored with their email in order, sent whole to the SMTP server, refused over the size limit."""

import dataclasses
import datetime
import email as email_lib

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction

from committee.outbox import delivery, tasks
from committee.outbox.attachments import Attachment, AttachmentsTooLarge
from committee.outbox.models import EmailAttachment, OutboundEmail

pytestmark = pytest.mark.django_db

CALENDAR = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
PAPER = b"%PDF-1.7\n\x00\xff\xfe binary \x80 bytes\n%%EOF"
NOTE = "회의 자료 목록: 1. 안건\n"


@pytest.fixture(autouse=True)
def quiet_broker(monkeypatch):
    monkeypatch.setattr(tasks.deliver_emails, "apply_async", lambda args, **kw: None)


def three_attachments():
    return (
        Attachment.text("invitation.ics", CALENDAR, "text/calendar; charset=utf-8; method=REQUEST"),
        Attachment("paper.pdf", "application/pdf", PAPER),
        Attachment.text("회의자료.txt", NOTE, "text/plain"),
    )


def letter_for(user, key="attachments", attachments=()):
    message = EmailMultiAlternatives("Papers", "See attached", "sender@nbc.example.go.kr", [user.email])
    message.attach_alternative("<p>See attached</p>", "text/html")
    return delivery.Letter(recipient=user, kind="test", dedup_key=key, message=message, attachments=attachments)


def sent_attachments(content: bytes) -> list[tuple]:
    message = email_lib.message_from_bytes(content)
    return [
        (part.get_filename(), part.get_content_type(), dict(part.get_params()[1:]), part.get_payload(decode=True))
        for part in message.walk()
        if part.get_content_disposition() == "attachment"
    ]


def test_a_letter_keeps_its_attachments_in_order_with_their_type_and_size(member):
    delivery.post([letter_for(member, attachments=three_attachments())])
    stored = OutboundEmail.objects.get(dedup_key="attachments").attachments.all()
    assert [(a.position, a.filename, a.content_type, a.size) for a in stored] == [
        (0, "invitation.ics", "text/calendar; charset=utf-8; method=REQUEST", len(CALENDAR)),
        (1, "paper.pdf", "application/pdf", len(PAPER)),
        (2, "회의자료.txt", "text/plain; charset=utf-8", len(NOTE.encode())),
    ]
    assert bytes(stored[1].content) == PAPER


def test_attachments_reach_the_smtp_server_whole_and_in_order(member, smtp_settings):
    [email_id] = delivery.post([letter_for(member, attachments=three_attachments())])
    assert delivery.deliver([email_id])["sent"] == 1
    [(_rcpt, content)] = smtp_settings.messages
    assert sent_attachments(content) == [
        ("invitation.ics", "text/calendar", {"charset": "utf-8", "method": "REQUEST"}, CALENDAR.encode()),
        ("paper.pdf", "application/pdf", {}, PAPER),
        ("회의자료.txt", "text/plain", {"charset": "utf-8"}, NOTE.encode()),
    ]
    message = email_lib.message_from_bytes(content)
    assert [part.get_content_type() for part in message.walk() if not part.is_multipart()][:2] == [
        "text/plain",
        "text/html",
    ]


def test_an_email_without_attachments_goes_out_as_before(member, smtp_settings):
    [email_id] = delivery.post([letter_for(member)])
    assert delivery.deliver([email_id])["sent"] == 1
    [(_rcpt, content)] = smtp_settings.messages
    assert sent_attachments(content) == [] and not EmailAttachment.objects.exists()


def test_a_letter_whose_attachments_together_exceed_the_limit_is_refused(member, settings):
    settings.OUTBOX_MAX_ATTACHMENT_BYTES = 10
    six = Attachment("a.bin", "application/octet-stream", b"123456")
    with pytest.raises(AttachmentsTooLarge, match="12 bytes .*exceed OUTBOX_MAX_ATTACHMENT_BYTES \\(10\\)"):
        letter_for(member, attachments=[six, six])
    letter_for(member, attachments=[six, Attachment("b.bin", "application/octet-stream", b"1234")])  # 10: fits
    with pytest.raises(AttachmentsTooLarge):
        delivery.letter(
            member,
            "meeting-cancelled",
            {"meeting": {"title": "Plenary", "starts_at": datetime.datetime(2026, 3, 2, 10, 0)}},
            kind="test",
            dedup_key="too-large",
            attachments=[six, six],
        )
    assert not OutboundEmail.objects.exists()


def test_the_limit_is_ten_megabytes_unless_set():
    from django.conf import settings

    assert settings.OUTBOX_MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("filename", "content_type", "content"),
    [
        ("../etc/passwd", "text/plain", b"x"),
        ("", "text/plain", b"x"),
        ("a.txt", "text/plain\r\nBcc: x@example.com", b"x"),
        ("a.txt", "text/plain\nBcc: x@example.com", b"x"),
        ("a.txt", "text/plain\rBcc: x@example.com", b"x"),
        ("a.txt", "plain", b"x"),
        ("a.txt", "text/plain", "not bytes"),
    ],
)
def test_an_attachment_needs_a_plain_name_a_content_type_and_bytes(filename, content_type, content):
    with pytest.raises((ValueError, TypeError)):
        Attachment(filename, content_type, content)


def test_an_attachment_cannot_change_after_it_was_made():
    # Its size was checked against the limit when the letter was written; it must stay the size checked.
    attachment = Attachment("paper.pdf", "application/pdf", PAPER)
    with pytest.raises(dataclasses.FrozenInstanceError):
        attachment.content = PAPER * 1000


def test_a_text_part_keeps_every_parameter_and_is_read_in_its_own_charset():
    korean = Attachment("목록.txt", "text/plain; format=flowed; charset=euc-kr", NOTE.encode("euc-kr"))
    part = korean.mime_part()
    assert (part.get_content_type(), part.get_param("format"), part.get_content_charset()) == (
        "text/plain",
        "flowed",
        "euc-kr",
    )
    assert part.get_payload(decode=True).decode("euc-kr") == NOTE
    assert part.get_filename() == "목록.txt" and part.get_content_disposition() == "attachment"


def test_a_stored_size_must_be_the_contents_size(member):
    delivery.post([letter_for(member)])
    email = OutboundEmail.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailAttachment.objects.create(
            email=email, position=0, filename="a.txt", content_type="text/plain", content=b"abc", size=2
        )


def test_a_writer_that_lost_the_race_for_a_key_does_not_attach_its_files_twice(member, monkeypatch):
    letter = letter_for(member, attachments=three_attachments())
    delivery.post([letter])
    # As if a concurrent writer had committed the same letter after this one looked up the keys.
    monkeypatch.setattr(delivery, "taken_keys", lambda keys: set())
    delivery.post([letter])
    assert OutboundEmail.objects.count() == 1
    assert list(EmailAttachment.objects.values_list("position", flat=True)) == [0, 1, 2]
