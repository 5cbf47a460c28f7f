"""Decisions on agenda items, the follow-up actions they assign, and progress on those actions."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committee.audit.tracking import RemembersLoadedValues
from committee.dates import seoul_today


class Decision(RemembersLoadedValues, models.Model):
    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        ADOPTED_WITH_AMENDMENTS = "adopted_with_amendments", _("Adopted with amendments")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    agenda_item = models.OneToOneField(
        "policies.AgendaItem", verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="decision"
    )
    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    resolution = models.TextField(_("resolution"))
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    outcome_basis = models.TextField(
        _("basis without a vote"),
        blank=True,
        help_text=_(
            "Why the outcome stands without a vote or other than the votes say, e.g. adopted by consensus "
            "without a vote."
        ),
    )
    decided_at = models.DateTimeField(_("decided at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The public decision register (/register/) lists a decision once the secretariat made it public, which
    # it may do only when the meeting's minutes are final; the public summary may differ from the resolution.
    public_summary = models.TextField(_("public summary"), blank=True)
    made_public_at = models.DateTimeField(_("made public at"), null=True, blank=True, editable=False)
    made_public_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made public by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            models.Index(
                fields=["-decided_at", "-id"], condition=models.Q(made_public_at__isnull=False), name="decision_public"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(made_public_at__isnull=True) | ~models.Q(public_summary=""),
                name="public_decision_has_summary",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.get_outcome_display()}"

    @property
    def is_public(self) -> bool:
        return self.made_public_at is not None


class FollowUpActionQuerySet(models.QuerySet):
    def unfinished(self):
        return self.exclude(status=FollowUpAction.Status.DONE)

    @staticmethod
    def overdue_condition(today=None) -> models.Q:
        return ~models.Q(status=FollowUpAction.Status.DONE) & models.Q(due_date__lt=today or seoul_today())

    def overdue(self, today=None):
        return self.filter(self.overdue_condition(today))

    def with_overdue_flag(self, today=None):
        """`is_overdue` on each row from its own columns (an EXISTS over the table planned a scan of every action)."""
        flag = models.Case(
            models.When(self.overdue_condition(today), then=models.Value(True)),
            default=models.Value(False),
            output_field=models.BooleanField(),
        )
        return self.annotate(is_overdue=flag)

    def reminder_due(self, today):
        """Unfinished actions whose next reminder stage has begun (the sweep's read; see the partial index)."""
        return self.unfinished().filter(next_reminder_on__lte=today)

    def in_stage(self, stage: str):
        """The actions at this stage of the workflow table (see FollowUpAction.stage)."""
        Stage, Status = FollowUpAction.Stage, FollowUpAction.Status
        if stage == Stage.REPORTED_DONE:
            return self.filter(status=Status.DONE, verified_at__isnull=True)
        if stage == Stage.VERIFIED:
            return self.filter(status=Status.DONE, verified_at__isnull=False)
        return self.filter(status=stage)


class FollowUpAction(RemembersLoadedValues, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("follow-up action status", "Open")  # not the "Open" of a link
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    class Stage(models.TextChoices):
        """Where the action stands in its workflow (policies.workflow.FOLLOW_UP): the stored status, with done
        split by the secretariat's verification."""

        OPEN = "open", pgettext_lazy("follow-up action status", "Open")
        IN_PROGRESS = "in_progress", _("In progress")
        REPORTED_DONE = "reported_done", _("Reported done")
        VERIFIED = "verified", _("Verified")

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="follow_up_actions"
    )
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, editable=False)
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), default=0, validators=[MaxValueValidator(100)], editable=False
    )
    done_reported_at = models.DateTimeField(_("reported done at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The day the reminder sweep next reads this action (the start of its next reminder stage, by the rules in
    # policies.reminders); null while it is done.
    next_reminder_on = models.DateField(_("next reminder on"), null=True, blank=True, editable=False)

    objects = FollowUpActionQuerySet.as_manager()
    untracked_columns = frozenset({"next_reminder_on"})

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [
            # The default order's: a page of a long list walks it instead of sorting every visible row.
            models.Index(fields=["due_date", "id"], name="action_by_due_date"),
            # Matches FollowUpActionQuerySet.reminder_due: the sweep reads the few rows due, never every unfinished
            # action (tens of thousands are overdue at 200,000 actions).
            models.Index(fields=["next_reminder_on"], condition=~models.Q(status="done"), name="action_reminder_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent_complete__lte=100), name="action_percent_at_most_100"),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None) -> bool:
        return self.status != self.Status.DONE and self.due_date < (today or seoul_today())

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def stage(self) -> str:
        if self.status == self.Status.DONE:
            return self.Stage.VERIFIED if self.is_verified else self.Stage.REPORTED_DONE
        return self.Stage(self.status)

    def enter_stage(self, stage: str, *, by, now) -> list[str]:
        """Store a stage of the workflow in the status and verification columns; return the fields changed.

        Verifying keeps the report of done; any other stage clears the verification, and only reporting done
        stamps when it was reported.
        """
        if stage == self.Stage.VERIFIED:
            self.verified_by, self.verified_at = by, now
            return ["verified_by", "verified_at"]
        self.status = self.Status.DONE if stage == self.Stage.REPORTED_DONE else self.Status(stage)
        self.verified_by = self.verified_at = None
        self.done_reported_at = now if stage == self.Stage.REPORTED_DONE else None
        return ["status", "verified_by", "verified_at", "done_reported_at"]


class ProgressReport(models.Model):
    action = models.ForeignKey(
        FollowUpAction, verbose_name=_("follow-up action"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    text = models.TextField(_("progress"))
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), validators=[MaxValueValidator(100)])
    reported_on = models.DateField(_("as of"), default=seoul_today)
    reports_done = models.BooleanField(_("reports the action done"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(condition=models.Q(percent_complete__lte=100), name="progress_percent_at_most_100"),
        ]

    def __str__(self):
        return f"{self.action} – {self.percent_complete}%"
