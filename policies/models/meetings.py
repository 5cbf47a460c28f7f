"""Meetings, their ordered agenda items, attendance and members' replies to the invitation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from committee.audit.tracking import RemembersLoadedValues


class Meeting(RemembersLoadedValues, models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary meeting")
        SUBCOMMITTEE = "subcommittee", _("Subcommittee meeting")

    class Language(models.TextChoices):
        KOREAN = "ko", _("Korean")
        ENGLISH = "en", _("English")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        AGENDA_PUBLISHED = "agenda_published", _("Agenda published")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    committee = models.ForeignKey(
        "directory.Committee", verbose_name=_("committee"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    starts_at = models.DateTimeField(_("starts at"), help_text=_("Korea Standard Time."))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    submission_cutoff = models.DateTimeField(
        _("agenda submission cut-off"),
        null=True,
        blank=True,
        help_text=_("Agencies are reminded to submit proposals before this time."),
    )
    # The language of the meeting's papers (agenda book, decision record).
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.KOREAN)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, editable=False
    )
    agenda_published_at = models.DateTimeField(_("agenda published at"), null=True, blank=True, editable=False)
    # iCalendar SEQUENCE: raised whenever a published invitation changes, so calendars update in place.
    invitation_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.committee.code} {self.title}"

    def clean(self):
        # Far-off years are typing errors (and Seoul's 1908 local mean time cannot be written as ISO 8601).
        for name in ("starts_at", "ends_at", "submission_cutoff"):
            moment = getattr(self, name)
            if moment is not None and not 2000 <= moment.year <= 2099:
                raise ValidationError({name: _("Give a date between 2000 and 2099.")})
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
        if not self.location and not self.online_link:
            raise ValidationError(_("Give a place or an online link."))
        if self.submission_cutoff and self.starts_at and self.submission_cutoff >= self.starts_at:
            raise ValidationError({"submission_cutoff": _("The cut-off must come before the meeting.")})

    @property
    def invitation_uid(self) -> str:
        return f"meeting-{self.pk}@bio-committee-desk"


class AgendaItem(RemembersLoadedValues, models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal for decision")
        REPORT = "report", _("Report")
        BRIEFING = "briefing", _("Briefing")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROPOSAL)
    proposal = models.ForeignKey(
        "policies.Proposal",
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    presenter = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("presenting agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    # A report item carried over from an earlier decision (queries.carry_over): the follow-up action it reports
    # on, so the same action is not suggested for this agenda twice.
    follow_up_action = models.ForeignKey(
        "policies.FollowUpAction",
        verbose_name=_("follow-up action"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    # Minutes of an earlier meeting put before the committee for approval (queries.carry_over), likewise once.
    minutes = models.ForeignKey(
        "policies.Minutes",
        verbose_name=_("minutes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="proposal") & models.Q(proposal__isnull=False))
                | (~models.Q(kind="proposal") & models.Q(proposal__isnull=True)),
                name="agenda_item_proposal_iff_kind_proposal",
            ),
            models.CheckConstraint(
                condition=models.Q(follow_up_action__isnull=True) | models.Q(kind="report"),
                name="agenda_item_follow_up_action_only_on_reports",
            ),
            models.UniqueConstraint(
                fields=["meeting", "follow_up_action"],
                condition=models.Q(follow_up_action__isnull=False),
                name="agenda_item_follow_up_action_once_per_meeting",
                violation_error_message=_("This follow-up action is already on this agenda."),
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__isnull=True) | models.Q(kind="report"),
                name="agenda_item_minutes_only_on_reports",
            ),
            models.UniqueConstraint(
                fields=["meeting", "minutes"],
                condition=models.Q(minutes__isnull=False),
                name="agenda_item_minutes_once_per_meeting",
                violation_error_message=_("These minutes are already on this agenda."),
            ),
            # The services keep positions 1..n; deferred so a renumbering inside one transaction may pass
            # through a repeat, never commit one.
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_unique_position",
                deferrable=models.Deferrable.DEFERRED,
                violation_error_message=_("Another item of this agenda has this number."),
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.display_title}"

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return self.proposal.title if self.proposal_id else ""

    def clean(self):
        if self.kind == self.Kind.PROPOSAL and not self.proposal_id:
            raise ValidationError({"proposal": _("Choose the proposal to decide on.")})
        if self.kind != self.Kind.PROPOSAL and self.proposal_id:
            raise ValidationError({"proposal": _("Only items for decision reference a proposal.")})
        if self.kind != self.Kind.PROPOSAL and not self.title:
            raise ValidationError({"title": _("Give the item a title.")})
        if self.follow_up_action_id and self.kind != self.Kind.REPORT:
            raise ValidationError({"follow_up_action": _("Only report items report on a follow-up action.")})
        if self.minutes_id and self.kind != self.Kind.REPORT:
            raise ValidationError({"minutes": _("Only report items put minutes before the committee.")})


class Attendance(RemembersLoadedValues, models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        REPRESENTED = "represented", _("Represented by a delegate")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PRESENT)
    delegate_name = models.CharField(_("delegate"), max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "member__last_name", "member__username"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member"),
        ]

    def __str__(self):
        return f"{self.member} – {self.get_status_display()}"

    def clean(self):
        if self.status == self.Status.REPRESENTED and not self.delegate_name:
            raise ValidationError({"delegate_name": _("Name the delegate.")})


class AttendanceReply(RemembersLoadedValues, models.Model):
    """A member's answer to a meeting invitation, before the meeting: what the attendance sheet starts from."""

    class Answer(models.TextChoices):
        ATTENDING = "attending", _("Attending")
        DELEGATE = "delegate", _("Sending a delegate")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="replies")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="attendance_replies",
    )
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices)
    delegate_name = models.CharField(_("delegate"), max_length=200, blank=True)
    replied_at = models.DateTimeField(_("replied at"))

    class Meta:
        ordering = ["meeting", "member__last_name", "member__username"]
        verbose_name = _("attendance reply")
        verbose_name_plural = _("attendance replies")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_reply_once_per_member"),
            models.CheckConstraint(
                condition=(models.Q(answer="delegate") & ~models.Q(delegate_name=""))
                | (~models.Q(answer="delegate") & models.Q(delegate_name="")),
                name="attendance_reply_delegate_named_iff_delegate",
            ),
        ]

    def __str__(self):
        return f"{self.member} – {self.get_answer_display()}"

    def clean(self):
        if self.answer == self.Answer.DELEGATE and not self.delegate_name.strip():
            raise ValidationError({"delegate_name": _("Name the delegate.")})

    @property
    def attendance_status(self) -> str:
        """The attendance sheet's status this reply announces, for pre-filling it."""
        return REPLY_TO_ATTENDANCE[self.answer]


REPLY_TO_ATTENDANCE = {
    AttendanceReply.Answer.ATTENDING: Attendance.Status.PRESENT,
    AttendanceReply.Answer.DELEGATE: Attendance.Status.REPRESENTED,
    AttendanceReply.Answer.ABSENT: Attendance.Status.ABSENT,
}
