"""What each person wants to hear by email digest: how often, and about which policy areas."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from committee.audit.tracking import RemembersLoadedValues


class DigestPreference(RemembersLoadedValues, models.Model):
    class Frequency(models.TextChoices):
        OFF = "off", _("No digest")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference")
    frequency = models.CharField(_("digest"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    areas = models.ManyToManyField(
        "policies.PolicyArea",
        verbose_name=_("policy areas"),
        blank=True,
        help_text=_("Leave empty to hear about every area."),
    )
    # Start of the next digest's half-open window [period_start, now); moved forward when a digest is built.
    period_start = models.DateTimeField(_("next digest covers from"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"
