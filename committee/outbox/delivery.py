"""Writing letters into the outbox and delivering them: render, queue on commit, claim, send, retry.

Guarantees and their limits:

* A notification and its email are rows written in the transaction of the event that causes them, so a
  rolled-back event leaves nothing behind, and a committed one is never lost: if the broker is down at
  commit, the periodic sweeper finds the pending rows and enqueues them again.
* Every row has a unique deduplication key, so an event (or a reminder stage, or a digest period) reaches
  each recipient once however often the code that writes it runs.
* Sending first claims the row with a guarded UPDATE (status pending -> sending, with a fresh claim token),
  so two workers never send the same row at the same time; the claim is marked sent right after the SMTP
  server accepts the message.
* The one honest gap, inherent to SMTP: if a worker dies after the server accepted a message but before the
  row is marked sent, the claim's lease (OUTBOX_CLAIM_LEASE_SECONDS) expires and the message is sent again.
  Delivery is therefore at-least-once in that window and exactly-once everywhere else.
"""

import logging
import smtplib
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from committee.directory.models import profile_of

from .attachments import Attachment, check_size
from .kinds import is_mandatory
from .models import EmailAttachment, EmailChoice, Notification, OutboundEmail
from .unsubscribe import list_headers, unsubscribe_url

logger = logging.getLogger(__name__)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def language_of(user) -> str:
    profile = profile_of(user)
    return (profile.language if profile and profile.language else None) or settings.LANGUAGE_CODE


# --- composing ------------------------------------------------------------------------------------


def make_message(template_name: str, to: str, context: dict, *, language: str | None = None, headers=None):
    """Render templates/emails/<name>-subject.txt, -body.txt and -body.html into one message.

    The message is rendered in `language` (the recipient's), whatever language the caller is in.
    """
    context = {"site_url": settings.SITE_URL, **context}
    language = language or settings.LANGUAGE_CODE
    subject, text = render_texts(template_name, context, language)
    with translation.override(language):
        html = render_to_string(f"emails/{template_name}-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def render_texts(template_name: str, context: dict, language: str) -> tuple[str, str]:
    """A letter's subject (one line) and plain text in `language`."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template_name}-subject.txt", context, using="text")
        text = render_to_string(f"emails/{template_name}-body.txt", context, using="text")
    return " ".join(subject.split())[:300], text  # one line, whatever the template's whitespace


def texts_by_language(template_name: str, context: dict, message, language: str) -> dict:
    """The in-app notification's subject and text in every language offered, as true at the event, so that
    it reads in the reader's language of the moment (Notification.shown_subject)."""
    texts = {language: {"subject": message.subject, "body_text": message.body}}
    for other, _name in settings.LANGUAGES:
        if other not in texts:
            subject, text = render_texts(template_name, context, other)
            texts[other] = {"subject": subject, "body_text": text}
    return texts


@dataclass
class Letter:
    """One message for one person: an in-app notification, an email, or both, written together."""

    recipient: object  # a User
    kind: str
    dedup_key: str
    message: EmailMultiAlternatives
    url: str = ""
    committee_id: int | None = None  # whose business it is: decides who may read the row in the admin
    attachments: tuple[Attachment, ...] = ()  # sent with the email, in this order
    in_app: bool = True
    email: bool = True
    extra: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)  # {language: {subject, body_text}} for the in-app notification

    def __post_init__(self):
        self.attachments = tuple(self.attachments)
        check_size(self.attachments)  # refused when written, not when the worker tries to send it


def letter(recipient, template_name: str, context: dict, *, kind: str, dedup_key: str, url: str = "", **options):
    """Render a letter for `recipient` in their language (the short per-kind functions call this).

    Every email carries a one-click unsubscribe (RFC 8058) from its kind, in its headers and its footer.
    """
    link = unsubscribe_url(recipient.pk, kind)
    language = language_of(recipient)
    context = {"recipient": recipient, "url": url, "unsubscribe_url": link, **context}
    message = make_message(
        template_name,
        recipient.email or "",
        context,
        language=language,
        headers={**list_headers(recipient.pk, kind, link), **(options.pop("headers", None) or {})},
    )
    if options.get("in_app", True):
        options["texts"] = texts_by_language(template_name, context, message, language)
    return Letter(recipient=recipient, kind=kind, dedup_key=dedup_key, message=message, url=url, **options)


def _html_part(message) -> str:
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            return content
    return ""


def taken_keys(keys: Iterable[str]) -> set[str]:
    """The deduplication keys already used, so periodic work can skip rendering what was sent before."""
    keys = list(keys)
    taken = set(Notification.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True))
    return taken | set(OutboundEmail.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True))


def post(letters: Iterable[Letter]) -> list[int]:
    """Write letters to the outbox in the caller's transaction; delivery is queued when it commits.

    A letter whose deduplication key was already used is skipped, so re-running whatever writes letters
    (a retried task, a reminder run twice) adds nothing. A constant number of queries, however many letters.
    Returns the ids of the emails queued.
    """
    letters = [item for item in letters if getattr(item.recipient, "is_active", True)]
    if not letters:
        return []
    taken = taken_keys(item.dedup_key for item in letters)
    fresh = list({item.dedup_key: item for item in letters if item.dedup_key not in taken}.values())
    if not fresh:
        return []
    now = timezone.now()
    notification_ids = _write_notifications([item for item in fresh if item.in_app], now)
    _write_emails(emailed_now(fresh), notification_ids, now)
    written = OutboundEmail.objects.filter(dedup_key__in=[item.dedup_key for item in fresh]).values_list(
        "dedup_key", "id", "status"
    )
    email_ids = [pk for _key, pk, status in written if status == OutboundEmail.Status.PENDING]
    _attach(fresh, {key: pk for key, pk, _status in written})
    enqueue_on_commit(email_ids)
    return email_ids


def emailed_now(letters: list[Letter]) -> list[Letter]:
    """The letters to email now: those with an address whose recipient has not chosen "digest only" or "off"
    for their kind (EmailChoice), and every letter of a kind people must receive. One query."""
    letters = [item for item in letters if item.email and item.message.to and item.message.to[0]]
    optional = [item for item in letters if not is_mandatory(item.kind)]
    if not optional:
        return letters
    held = set(
        EmailChoice.objects.filter(
            user_id__in={item.recipient.pk for item in optional},
            kind__in={str(item.kind) for item in optional},
        )
        .exclude(delivery=EmailChoice.Delivery.INSTANT)
        .values_list("user_id", "kind")
    )
    return [item for item in letters if (item.recipient.pk, str(item.kind)) not in held]


# In both writers, ignore_conflicts: a concurrent writer of the same key wins and this one adds nothing.


def _write_notifications(letters: list[Letter], now) -> dict[str, int]:
    """Write the letters' in-app notifications; returns the id under each deduplication key."""
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=item.recipient,
                committee_id=item.committee_id,
                kind=item.kind,
                subject=item.message.subject,
                body_text=item.message.body,
                body_html=_html_part(item.message),
                texts=item.texts,
                url=item.url,
                dedup_key=item.dedup_key,
                created_at=now,
            )
            for item in letters
        ],
        ignore_conflicts=True,
    )
    keys = [item.dedup_key for item in letters]
    return dict(Notification.objects.filter(dedup_key__in=keys).values_list("dedup_key", "id"))


def _write_emails(letters: list[Letter], notification_ids: dict[str, int], now) -> None:
    OutboundEmail.objects.bulk_create(
        [
            OutboundEmail(
                notification_id=notification_ids.get(item.dedup_key),
                committee_id=item.committee_id,
                kind=item.kind,
                dedup_key=item.dedup_key,
                to_address=item.message.to[0],
                from_address=item.message.from_email or "",
                subject=item.message.subject,
                body_text=item.message.body,
                body_html=_html_part(item.message),
                headers=dict(item.message.extra_headers),
                created_at=now,
                next_attempt_at=now,
            )
            for item in letters
        ],
        ignore_conflicts=True,
    )


def _attach(letters: list[Letter], email_ids: dict[str, int]) -> None:
    """Store each letter's attachments with its email, in order.

    A concurrent writer of the same letter has stored the same files at the same positions (same key, same
    event), so its rows win and these are dropped: the email carries one set, never two.
    """
    rows = [
        EmailAttachment(
            email_id=email_ids[item.dedup_key],
            position=position,
            filename=attachment.filename,
            content_type=attachment.content_type,
            content=attachment.content,
            size=attachment.size,
        )
        for item in letters
        if item.dedup_key in email_ids
        for position, attachment in enumerate(item.attachments)
    ]
    if rows:
        EmailAttachment.objects.bulk_create(rows, ignore_conflicts=True)


# --- queueing -------------------------------------------------------------------------------------

BATCH_SIZE = 50


def enqueue_on_commit(email_ids: list[int]) -> None:
    """The one way delivery is queued: after the transaction that wrote the rows commits."""
    if email_ids:
        ids = list(email_ids)
        transaction.on_commit(lambda: enqueue_delivery(ids))


# After a failed publish, this process stops trying for a while: each attempt can hold a web request for
# CELERY_BROKER_CONNECTION_TIMEOUT seconds, and the sweeper delivers the rows anyway.
BROKER_PAUSE_SECONDS = 30
_broker_paused_until = 0.0


def enqueue_delivery(email_ids: list[int]) -> bool:
    """Publish delivery tasks now. If the broker is unreachable, log and move on: the sweeper catches up."""
    global _broker_paused_until
    from .tasks import deliver_emails

    if time.monotonic() < _broker_paused_until:
        logger.info("Broker recently unreachable; %d email(s) left for the outbox sweeper", len(email_ids))
        return False
    for start in range(0, len(email_ids), BATCH_SIZE):
        chunk = email_ids[start : start + BATCH_SIZE]
        try:
            deliver_emails.apply_async((chunk,), retry=False)
        except Exception:  # any broker failure: the rows stay pending for the sweeper
            _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
            logger.warning("Broker unreachable; %d email(s) left for the outbox sweeper", len(email_ids) - start)
            return False
    return True


# --- delivering -----------------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """Exponential: base, 2*base, 4*base ... capped at OUTBOX_BACKOFF_MAX_SECONDS."""
    base = _setting("OUTBOX_BACKOFF_SECONDS", 60)
    cap = _setting("OUTBOX_BACKOFF_MAX_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _due_filter(now):
    lease_expired = now - timedelta(seconds=_setting("OUTBOX_CLAIM_LEASE_SECONDS", 600))
    return Q(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=lease_expired
    )


def claim(email_id: int) -> OutboundEmail | None:
    """Take one row for sending, or None if it is not due, already sent, or someone else holds it."""
    now = timezone.now()
    token = uuid.uuid4().hex
    claimed = (
        OutboundEmail.objects.filter(_due_filter(now), pk=email_id)
        .exclude(status=OutboundEmail.Status.SENT)
        .update(status=OutboundEmail.Status.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return None
    return OutboundEmail.objects.get(pk=email_id)


def build_message(email: OutboundEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        email.subject,
        email.body_text,
        email.from_address or settings.DEFAULT_FROM_EMAIL,
        [email.to_address],
        headers=email.headers or {},
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for stored in email.attachments.all():
        message.attach(Attachment(stored.filename, stored.content_type, bytes(stored.content)).mime_part())
    return message


def is_permanent(exc: Exception) -> bool:
    """A 5xx answer about this message or address: retrying will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reason in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _finish(email: OutboundEmail, **fields) -> bool:
    """Record the outcome, but only while the claim is still ours."""
    done = OutboundEmail.objects.filter(pk=email.pk, claim_token=email.claim_token).update(**fields)
    if not done:
        logger.warning("Outbound email %s: claim lost before recording %s", email.pk, fields.get("status"))
    return bool(done)


def send_one(email: OutboundEmail, connection) -> str:
    """Send a claimed row and record the outcome; returns the new status."""
    try:
        if getattr(connection, "connection", True) is None:
            connection.open()  # opened here, it stays open for the rest of the batch
        build_message(email, connection).send(fail_silently=False)
    except Exception as exc:  # every failure is recorded on the row, none is lost
        connection.close()  # the session may be broken; the next message opens a new one
        error = f"{type(exc).__name__}: {exc}"[:2000]
        now = timezone.now()
        if is_permanent(exc) or email.attempts >= _setting("OUTBOX_MAX_ATTEMPTS", 8):
            logger.warning("Outbound email %s failed for good: %s", email.pk, error)
            _finish(email, status=OutboundEmail.Status.FAILED, last_error=error, claim_token="")
            return OutboundEmail.Status.FAILED
        logger.info("Outbound email %s failed (attempt %s), will retry: %s", email.pk, email.attempts, error)
        _finish(
            email,
            status=OutboundEmail.Status.PENDING,
            last_error=error,
            next_attempt_at=now + backoff(email.attempts),
            claim_token="",
        )
        return OutboundEmail.Status.PENDING
    _finish(email, status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error="")
    return OutboundEmail.Status.SENT


def deliver(email_ids: Iterable[int]) -> dict[str, int]:
    """Send the given rows that are due, over one SMTP session; rows claimed elsewhere are skipped."""
    outcome = {"sent": 0, "pending": 0, "failed": 0, "skipped": 0}
    connection = get_connection(fail_silently=False)
    try:
        for email_id in email_ids:
            email = claim(email_id)
            if email is None:
                outcome["skipped"] += 1
                continue
            outcome[send_one(email, connection)] += 1
    finally:
        connection.close()
    return outcome


def due_email_ids(limit: int = 1000) -> list[int]:
    """Pending rows whose next attempt is due, and claims abandoned by a dead worker (lease expired)."""
    return list(
        OutboundEmail.objects.filter(_due_filter(timezone.now()))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def sweep(limit: int = 1000) -> int:
    """Enqueue whatever is due; what the broker refuses now is found again next time."""
    ids = due_email_ids(limit)
    if ids:
        enqueue_delivery(ids)
    return len(ids)


def retry_failed(queryset) -> int:
    """Put failed rows back in the queue (the admin's "retry" action)."""
    ids = list(queryset.filter(status=OutboundEmail.Status.FAILED).values_list("id", flat=True))
    OutboundEmail.objects.filter(pk__in=ids, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="", claim_token=""
    )
    enqueue_on_commit(ids)
    return len(ids)
