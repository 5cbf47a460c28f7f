"""In-app notifications and the email outbox: rows written with the event, delivered after commit.

Each row names the committee whose business it speaks of, so that the admin can show a committee's
secretariat its own committee's mail and nobody else's. Rows about no single committee (digests, which
gather several) and rows written before the committee was recorded have none: only superusers see those.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    """Something a person should know, shown in the portal and the API; unique per (event, recipient)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        # Losing the committee only narrows who may read the row (to superusers), never widens it.
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The committee whose business this is; empty for mail about several or none."),
    )
    kind = models.CharField(_("kind"), max_length=60)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    dedup_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Subject and text in every language offered, written with the event (so they say what was true then) and
    # shown in the reader's language of the moment; `subject` and `body_text` are in the recipient's language
    # at the time, and all that older rows have.
    texts = models.JSONField(_("texts by language"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def _shown(self, part: str) -> str:
        language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return (self.texts or {}).get(language, {}).get(part) or getattr(self, part)

    @property
    def shown_subject(self) -> str:
        """The subject in the reader's language (the active one)."""
        return self._shown("subject")

    @property
    def shown_body_text(self) -> str:
        return self._shown("body_text")


class OutboundEmail(models.Model):
    """One message to one address, rendered when queued; delivery claims it so it is sent once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
    )
    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        # Losing the committee only narrows who may read the row (to superusers), never widens it.
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The committee whose business this is; empty for mail about several or none."),
    )
    kind = models.CharField(_("kind"), max_length=60)
    dedup_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    to_address = models.EmailField(_("to"), max_length=254)
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="outbox_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.to_address}: {self.subject}"


class EmailAttachment(models.Model):
    """A file sent with an email (a calendar invitation, a paper), kept with it until it is sent and after."""

    email = models.ForeignKey(
        OutboundEmail, verbose_name=_("email"), on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("attachment order", "position"))
    filename = models.CharField(_("file name"), max_length=255)
    # Whole, with its parameters: calendar clients read `method=REQUEST` or `method=CANCEL` from it.
    content_type = models.CharField(_("content type"), max_length=255)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        ordering = ["email", "position"]
        verbose_name = _("email attachment")
        verbose_name_plural = _("email attachments")
        constraints = [
            # Also what keeps a concurrent writer of the same letter from attaching its files twice.
            models.UniqueConstraint(fields=["email", "position"], name="outbox_attachment_position_unique"),
            models.CheckConstraint(condition=models.Q(size=Length("content")), name="outbox_attachment_size_true"),
        ]

    def __str__(self):
        return self.filename


class EmailChoice(models.Model):
    """How a person wants one kind of email: now, only in their digest, or not at all.

    No row means "now". A kind that people must receive (kinds.MANDATORY) is emailed whatever its row says.
    The in-app notification is written either way: the choice is about the inbox, not the portal.
    """

    class Delivery(models.TextChoices):
        INSTANT = "instant", _("Email me now")
        DIGEST = "digest", _("Digest only")
        OFF = "off", _("Off")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="email_choices"
    )
    kind = models.CharField(_("kind"), max_length=60)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.INSTANT)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("email choice")
        verbose_name_plural = _("email choices")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="outbox_email_choice_unique")]

    def __str__(self):
        return f"{self.user}: {self.kind} {self.get_delivery_display()}"
