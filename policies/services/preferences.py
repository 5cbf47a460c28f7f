"""Verbs on a person's own settings: language and email digest."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.audit.log import diff, snapshot
from committee.directory.models import Profile
from policies.models import DigestPreference, PolicyArea

from .audit import audit_change


@transaction.atomic
def update_preferences(
    user, *, by=None, language: str | None = None, frequency: str | None = None, areas=None
) -> DigestPreference | None:
    """A person's language and digest choice (how often, which policy areas; no areas means all).

    Every choice is checked before anything is written. Switching digests back on starts a fresh window,
    so nothing from the silent months is replayed. `by` is the person, or the secretariat helping them in
    the admin; the digest preference is returned when one was written.
    """
    if language is not None and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose Korean or English.")})
    if frequency is not None and frequency not in DigestPreference.Frequency.values:
        raise ValidationError({"frequency": _("Choose no digest, daily or weekly.")})
    if areas is not None:
        areas = _active_areas(areas)
    before = _current_choices(user)
    if language is not None:
        Profile.objects.update_or_create(user=user, defaults={"language": language})
    preference = None
    if frequency is not None or areas is not None:
        preference = _save_digest_choice(user, frequency, areas)
    changes = diff(before, _current_choices(user))
    audit_change("preferences.updated", user, by=by or user, fields=(), changes=changes)
    return preference


def _save_digest_choice(user, frequency: str | None, areas) -> DigestPreference:
    preference, _created = DigestPreference.objects.select_for_update().get_or_create(user=user)
    if frequency is not None:
        if preference.frequency == DigestPreference.Frequency.OFF and frequency != DigestPreference.Frequency.OFF:
            preference.period_start = timezone.now()
        preference.frequency = frequency
        preference.save(update_fields=["frequency", "period_start"])
    if areas is not None:
        preference.areas.set(areas)
    return preference


def _current_choices(user) -> dict:
    """Language, digest frequency and areas as the audit log stores them (None where nothing is stored)."""
    profile = Profile.objects.filter(user=user).first()
    preference = DigestPreference.objects.filter(user=user).first()
    choices = {"language": profile.language if profile else None, "frequency": None, "areas": []}
    if preference is not None:
        choices.update(snapshot(preference, ["frequency", "areas"]))
    return choices


def _active_areas(areas) -> list[PolicyArea]:
    """The chosen areas, if each is a policy area still in use; a retired or unknown one is refused."""
    areas = list(areas)
    chosen = {area.pk for area in areas if isinstance(area, PolicyArea)}
    active = set(PolicyArea.objects.filter(pk__in=chosen, is_active=True).values_list("pk", flat=True))
    if chosen != active or not all(isinstance(area, PolicyArea) for area in areas):
        raise ValidationError({"areas": _("Choose among the policy areas in use.")})
    return areas
