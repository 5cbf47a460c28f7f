"""Proposals, their timeline events and attachments."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committee.audit.tracking import RemembersLoadedValues


class ProposalState(models.TextChoices):
    # The values are part of the API: never rename them.
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted for an agenda")
    SCHEDULED = "scheduled", _("Scheduled")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(RemembersLoadedValues, models.Model):
    committee = models.ForeignKey(
        "directory.Committee", verbose_name=_("committee"), on_delete=models.PROTECT, related_name="proposals"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True, null=True, blank=True, editable=False)
    lead_agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="led_proposals"
    )
    co_sponsors = models.ManyToManyField(
        "directory.Agency", verbose_name=_("co-sponsoring agencies"), related_name="cosponsored_proposals", blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), max_length=4000)
    body = models.TextField(_("body"), blank=True, help_text=_("Formatted text; unsafe markup is removed."))
    requested_decision = models.TextField(_("requested decision"), max_length=4000)
    policy_area = models.ForeignKey(
        "policies.PolicyArea", verbose_name=_("policy area"), on_delete=models.PROTECT, related_name="proposals"
    )
    secondary_areas = models.ManyToManyField(
        "policies.PolicyArea", verbose_name=_("secondary policy areas"), related_name="secondary_proposals", blank=True
    )
    estimated_budget_krw = models.PositiveBigIntegerField(_("estimated budget (KRW)"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT, editable=False
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised on every change; guards against lost updates.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["committee", "state"]),
            models.Index(fields=["lead_agency", "state"]),
            models.Index(fields=["policy_area", "state"]),
            # Every list (API, portal, admin) shows the newest first: the page is read off this index and
            # stops after its rows instead of sorting every visible proposal (bench/RESULTS.md).
            models.Index(fields=["-created_at", "-id"], name="proposal_newest_first"),
            # The portal's list and home page show the most recently changed first.
            models.Index(fields=["-updated_at", "-id"], name="proposal_recently_changed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=True) | models.Q(reference__isnull=False),
                name="proposal_submitted_has_reference",
            ),
        ]

    def __str__(self):
        return f"{self.reference or _('(draft)')} {self.title}"

    @property
    def is_editable_state(self) -> bool:
        return self.state in (ProposalState.DRAFT, ProposalState.RETURNED)


class ProposalEvent(models.Model):
    """One step of a proposal's timeline: who did what, when, from which state to which."""

    class Action(models.TextChoices):
        """Every kind of step, with the one label the portal, the admin, the emails and the workflow show.

        The values are part of the API: never rename them. The workflow's transitions (policies/workflow.py)
        take their labels from here.
        """

        CREATE = "create", _("Drafted")
        EDIT = "edit", _("Text revised")
        ATTACH = "attach", _("File attached")
        DETACH = "detach", _("File removed")
        CONSULT = "consult", _("Opinions requested")
        OPINION = "opinion", _("Opinion given")
        OPINION_REVISED = "opinion_revised", _("Opinion revised")
        CONSULTATION_EXTENDED = "consultation_extended", _("Opinion deadline extended")
        CONSULTATION_CLOSED = "consultation_closed", _("Consultation closed")
        CONSULTATION_WITHDRAWN = "consultation_withdrawn", _("Consultation withdrawn")
        SUBMIT = "submit", _("Submit")
        WITHDRAW = "withdraw", _("Withdraw")
        START_REVIEW = "start_review", _("Start review")
        RETURN = "return", _("Return for revision")
        ACCEPT = "accept", _("Accept for an agenda")
        SCHEDULE = "schedule", _("Place on an agenda")
        UNSCHEDULE = "unschedule", _("Take off the agenda")
        DECIDE = "decide", _("Decide")
        DEFER = "defer", _("Defer")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    from_state = models.CharField(
        pgettext_lazy("proposal state", "from"), max_length=20, choices=ProposalState.choices, blank=True
    )
    to_state = models.CharField(
        pgettext_lazy("proposal state", "to"), max_length=20, choices=ProposalState.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    # What a person typed, kept as typed; what the system says about the step is `details` (codes and values),
    # put into words in the reader's language when shown (`summary`). Old rows have it all in `comment`.
    comment = models.TextField(_("comment"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")

    def __str__(self):
        return f"{self.proposal_id}: {self.action} {self.from_state}->{self.to_state}"

    def summary(self) -> str:
        """What the system records about this step, in the active language ('' when it says nothing)."""
        from .consultations import Consultation
        from .decisions import Decision

        details = self.details or {}
        if "decision" in details:
            return f"{details['decision']}: {Decision.Outcome(details['outcome']).label}"
        if "position" in details:
            return f"{details['agency']}: {Consultation.Position(details['position']).label}"
        if "agencies" in details:
            return _("Opinion requested from %(agencies)s by %(deadline)s.") % {
                "agencies": ", ".join(details["agencies"]),
                "deadline": details["deadline"],
            }
        return ""

    def text(self) -> str:
        """The step's words for one line of a timeline: what a person wrote, else what the system records."""
        return self.comment or self.summary()


def attachment_path(instance, filename):
    # Never trust the uploaded name for the path: keep only a safe suffix.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{instance.proposal_id}/{instance.sha256[:32]}{suffix}"


class ProposalAttachment(RemembersLoadedValues, models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def clean(self):
        if self.size > settings.ATTACHMENT_MAX_BYTES:
            raise ValidationError(_("The file is larger than the limit."))
        if self.content_type not in settings.ATTACHMENT_CONTENT_TYPES:
            raise ValidationError(_("This type of file is not accepted."))
