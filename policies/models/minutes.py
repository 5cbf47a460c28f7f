"""The minutes of a held meeting: the working draft, its final versions and corrections, members' comments.

One `Minutes` per meeting follows `MINUTES` in policies/workflow.py (draft -> in review -> final). While it
is draft or in review the secretariat writes a discussion summary per agenda item (`MinutesItem`); finalising
freezes the minutes as drafted from the meeting's data into `MinutesVersion` 1, and a correction of final
minutes adds version 2, 3, ... with its reason. A version row is never changed or deleted once written: the
model refuses, so the record of what the committee approved stays as it was approved.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from committee.audit.tracking import RemembersLoadedValues
from committee.dates import seoul_today


class Minutes(RemembersLoadedValues, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        FINAL = "final", _("Final")

    meeting = models.OneToOneField(
        "policies.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    # Members comment until the end of this day (KST); set when the draft is sent for review.
    review_deadline = models.DateField(_("comments due"), null=True, blank=True, editable=False)
    sent_for_review_at = models.DateTimeField(_("sent for review at"), null=True, blank=True, editable=False)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True, editable=False)
    # The number of the newest final version; 0 until the minutes are final.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="final") | models.Q(version__gte=1), name="final_minutes_have_a_version"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(review_deadline__isnull=False),
                name="reviewed_minutes_have_a_deadline",
            ),
        ]

    def __str__(self):
        return str(_("Minutes of %(meeting)s") % {"meeting": self.meeting.title})

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def comments_late(self) -> bool:
        """In review past the deadline (Seoul's date): a comment written now is still taken, marked late."""
        return (
            self.status == self.Status.IN_REVIEW
            and self.review_deadline is not None
            and seoul_today() > self.review_deadline
        )


class MinutesItem(RemembersLoadedValues, models.Model):
    """The secretariat's summary of the discussion of one agenda item, in the working draft."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="items")
    agenda_item = models.ForeignKey(
        "policies.AgendaItem", verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="+"
    )
    summary = models.TextField(_("discussion summary"), blank=True)

    class Meta:
        verbose_name = _("minutes item")
        verbose_name_plural = _("minutes items")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "agenda_item"], name="minutes_item_once_per_agenda_item"),
        ]

    def __str__(self):
        return str(self.agenda_item)


class FrozenRecord(Exception):
    """A final version of the minutes cannot be changed or deleted: correct the minutes instead."""


class MinutesVersion(models.Model):
    """One final text of the minutes, as drafted from the meeting's data when it was finalised or corrected."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    # The minutes as drafted (policies.queries.minutes.draft_content): codes and values, put into words on reading.
    content = models.JSONField(_("content"))
    # Empty for the first final version; a correction says why it supersedes the one before.
    reason = models.TextField(_("reason for the correction"), blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(_("made at"))

    class Meta:
        ordering = ["minutes", "-number"]
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_version_once"),
            models.CheckConstraint(
                condition=models.Q(number=1) | ~models.Q(reason=""), name="minutes_correction_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.minutes} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise FrozenRecord("A final version of the minutes is never changed; correct the minutes instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenRecord("A final version of the minutes is never deleted.")


class MinutesComment(models.Model):
    """A member's comment on minutes in review, on one agenda item or on the whole."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="comments")
    agenda_item = models.ForeignKey(
        "policies.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"))
    late = models.BooleanField(
        _("late"), default=False, help_text=_("Written after the review deadline, before the minutes were final.")
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")

    def __str__(self):
        return f"{self.author} – {self.created_at:%Y-%m-%d}"


class MinutesReading(models.Model):
    """That a member opened the minutes' page: reminders skip whoever has looked at minutes in review."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="readings")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_opened_at = models.DateTimeField()
    last_opened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["minutes", "reader"], name="minutes_read_once_per_reader"),
        ]

    def __str__(self):
        return f"{self.reader} – {self.minutes}"
