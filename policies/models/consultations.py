"""Consultations: the secretariat asks an agency for its opinion on a proposal by a deadline."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from committee.audit.tracking import RemembersLoadedValues
from committee.directory.models import seoul_today


class ConsultationQuerySet(models.QuerySet):
    def awaiting_opinion(self):
        return self.filter(answered_at__isnull=True)

    def past_deadline(self, today=None):
        return self.awaiting_opinion().filter(deadline__lt=today or seoul_today())


class Consultation(RemembersLoadedValues, models.Model):
    class Position(models.TextChoices):
        CONCUR = "concur", _("Concur")
        CONCUR_WITH_CONDITIONS = "concur_with_conditions", _("Concur with conditions")
        OBJECT = "object", _("Object")

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
    position = models.CharField(_("position"), max_length=30, choices=Position.choices, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
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

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "agency"], name="consultation_one_per_agency"),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(position=""),
                name="consultation_answer_has_position",
            ),
        ]

    def __str__(self):
        return f"{self.proposal} – {self.agency.acronym}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_open(self, today=None) -> bool:
        """Opinions may be given or revised until the end of the deadline day."""
        return (today or seoul_today()) <= self.deadline

    def is_overdue(self, today=None) -> bool:
        return not self.is_answered and not self.is_open(today)
