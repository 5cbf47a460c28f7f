"""Consultations: the secretariat asks an agency for its opinion on a proposal by a deadline.

A consultation's `status` follows the CONSULTATIONS table in `policies/workflow.py`: open until the agency
answers (answered), or until the secretariat closes it (the opinion is no longer needed) or withdraws the
request. An opinion given after the deadline is `late`. Past the deadline an open consultation stays open:
the agency may still answer, late, until the secretariat closes or withdraws it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committee.audit.tracking import RemembersLoadedValues
from committee.dates import seoul_today

from .proposals import ProposalState

# Proposals whose story is over: an opinion on them is no longer asked for, whatever the consultation says.
PROPOSAL_STATES_ENDING_CONSULTATIONS = frozenset({ProposalState.DECIDED, ProposalState.WITHDRAWN})


class ConsultationQuerySet(models.QuerySet):
    def awaiting_opinion(self):
        """Open: asked, not answered, neither closed nor withdrawn (whatever the proposal's state)."""
        return self.filter(status=Consultation.Status.OPEN)

    def outstanding(self):
        """Open consultations whose opinion is still wanted: not on a proposal already decided or withdrawn."""
        return self.awaiting_opinion().exclude(proposal__state__in=PROPOSAL_STATES_ENDING_CONSULTATIONS)

    def reminder_due(self, today):
        """Open consultations whose next reminder stage has begun (the sweep's read; see the partial index)."""
        return self.awaiting_opinion().filter(next_reminder_on__lte=today)

    def past_deadline(self, today=None):
        """Outstanding consultations whose deadline has passed: the agency may still send a late opinion."""
        return self.outstanding().filter(deadline__lt=today or seoul_today())


class Consultation(RemembersLoadedValues, models.Model):
    class Position(models.TextChoices):
        CONCUR = "concur", _("Concur")
        CONCUR_WITH_CONDITIONS = "concur_with_conditions", _("Concur with conditions")
        OBJECT = "object", _("Object")

    class Status(models.TextChoices):
        """The values are part of the API: never rename them."""

        OPEN = "open", pgettext_lazy("consultation status", "Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    proposal = models.ForeignKey(
        "policies.Proposal", verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="consultations"
    )
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("consulted agency"), on_delete=models.PROTECT, related_name="consultations"
    )
    question = models.TextField(_("question"), blank=True)
    deadline = models.DateField(_("deadline"), help_text=_("Opinions are accepted until the end of this day (KST)."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, editable=False, db_index=True
    )
    position = models.CharField(_("position"), max_length=30, choices=Position.choices, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    late = models.BooleanField(_("late"), default=False, help_text=_("The opinion was given after the deadline."))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    revised_at = models.DateTimeField(_("last revised at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed or withdrawn at"), null=True, blank=True)
    # The day the reminder sweep next reads this consultation (the start of its next reminder stage, by the rules
    # in policies.reminders); null once no stage remains: answered, ended, no longer wanted, or reminded overdue.
    next_reminder_on = models.DateField(_("next reminder on"), null=True, blank=True, editable=False)

    objects = ConsultationQuerySet.as_manager()
    untracked_columns = frozenset({"next_reminder_on"})

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [
            # The default order's: a page of a long list walks it instead of sorting every visible row.
            models.Index(fields=["deadline", "id"], name="consultation_by_deadline"),
            # Matches ConsultationQuerySet.reminder_due: the sweep reads the few rows due, never the open ones.
            models.Index(
                fields=["next_reminder_on"], condition=models.Q(status="open"), name="consultation_reminder_due"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "agency"], name="consultation_one_per_agency"),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(position=""),
                name="consultation_answer_has_position",
            ),
            # Answered exactly when an answer is recorded; only an answer can be late; only an unanswered
            # consultation is closed or withdrawn, and then it says when.
            models.CheckConstraint(
                condition=models.Q(status="answered", answered_at__isnull=False)
                | (~models.Q(status="answered") & models.Q(answered_at__isnull=True, late=False)),
                name="consultation_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["closed", "withdrawn"], closed_at__isnull=False)
                | (~models.Q(status__in=["closed", "withdrawn"]) & models.Q(closed_at__isnull=True)),
                name="consultation_ended_says_when",
            ),
        ]

    def __str__(self):
        return f"{self.proposal} – {self.agency.acronym}"

    @property
    def is_answered(self) -> bool:
        return self.status == self.Status.ANSWERED

    @property
    def is_ended(self) -> bool:
        """Closed or withdrawn by the secretariat: no opinion is wanted any more."""
        return self.status in (self.Status.CLOSED, self.Status.WITHDRAWN)

    def is_open(self, today=None) -> bool:
        """The deadline has not passed: opinions are on time, and may be revised, until the end of that day."""
        return (today or seoul_today()) <= self.deadline

    def is_overdue(self, today=None) -> bool:
        """Still awaited after the deadline (an opinion sent now would be late)."""
        return self.status == self.Status.OPEN and not self.is_open(today)

    def takes_opinion(self, today=None) -> bool:
        """Whether the agency may answer, or revise its answer, now: what the faces offer (give_opinion decides).

        An open consultation takes an answer even past its deadline (marked late); an answer is revised only
        until the end of the deadline day; nothing is taken once the proposal is decided or withdrawn.
        """
        if self.proposal.state in PROPOSAL_STATES_ENDING_CONSULTATIONS:
            return False
        if self.status == self.Status.OPEN:
            return True
        return self.status == self.Status.ANSWERED and self.is_open(today)

    @property
    def no_longer_wanted(self) -> bool:
        """Closed, withdrawn, or its proposal decided or withdrawn: the agency's opinion is not awaited."""
        return self.is_ended or (not self.is_answered and self.proposal.state in PROPOSAL_STATES_ENDING_CONSULTATIONS)
