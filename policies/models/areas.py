"""Policy areas: health care, food, resources, energy, environment, and any the secretariat adds."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committee.audit.tracking import RemembersLoadedValues
from committee.directory.models import BilingualName


class PolicyArea(RemembersLoadedValues, BilingualName):
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z][a-z0-9_-]*$", _("Use lower-case letters, digits, - or _."))],
    )
    description = models.TextField(_("description"), blank=True)
    # "position" is also a consultation's stance; the context keeps their translations apart.
    position = models.PositiveSmallIntegerField(pgettext_lazy("display order", "position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")

    def __str__(self):
        return self.name
