"""Verbs on a person's own settings: language, email digest, and how each kind of email reaches them."""

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.audit.log import diff, snapshot
from committee.directory.models import Profile
from committee.outbox.models import EmailChoice
from policies.models import DigestPreference, PolicyArea
from policies.notifications import CHOOSABLE_KINDS, MANDATORY_KINDS, Kind

from .audit import audit_change


@transaction.atomic
def update_preferences(
    user,
    *,
    by=None,
    language: str | None = None,
    frequency: str | None = None,
    areas=None,
    email_choices: Mapping[str, str] | None = None,
) -> DigestPreference | None:
    """A person's language, digest choice (how often, which policy areas; no areas means all) and, per kind of
    email, `email_choices` = {kind: "instant" | "digest" | "off"}; kinds people must receive cannot be changed.

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
    if email_choices is not None:
        _check_email_choices(email_choices)
    before = _current_choices(user)
    if language is not None:
        Profile.objects.update_or_create(user=user, defaults={"language": language})
    for kind, delivery in (email_choices or {}).items():
        if kind in MANDATORY_KINDS:
            continue  # always "instant" (checked above)
        EmailChoice.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
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
    for kind, delivery in EmailChoice.objects.filter(user=user).values_list("kind", "delivery"):
        choices[f"email.{kind}"] = delivery
    return choices


def _check_email_choices(email: Mapping[str, str]) -> None:
    for kind, delivery in email.items():
        if kind in MANDATORY_KINDS and delivery != EmailChoice.Delivery.INSTANT:
            message = _("%(kind)s emails cannot be turned off.") % {"kind": Kind(kind).label}
            raise ValidationError({"email_choices": message})
        if kind not in CHOOSABLE_KINDS and kind not in MANDATORY_KINDS:
            raise ValidationError({"email_choices": _("There is no kind of email called %(kind)s.") % {"kind": kind}})
        if delivery not in EmailChoice.Delivery.values:
            raise ValidationError({"email_choices": _("Choose to be emailed now, in the digest only, or not at all.")})


def unsubscribe(user, kind: str) -> None:
    """One-click unsubscribe from one kind of email (the outbox's view calls this, from a signed link).

    The digest is switched off, any other kind turned "off"; a kind people must receive is refused.
    """
    if kind == Kind.DIGEST:
        update_preferences(user, frequency=DigestPreference.Frequency.OFF)
    else:
        update_preferences(user, email_choices={kind: EmailChoice.Delivery.OFF})


def _active_areas(areas) -> list[PolicyArea]:
    """The chosen areas, if each is a policy area still in use; a retired or unknown one is refused."""
    areas = list(areas)
    chosen = {area.pk for area in areas if isinstance(area, PolicyArea)}
    active = set(PolicyArea.objects.filter(pk__in=chosen, is_active=True).values_list("pk", flat=True))
    if chosen != active or not all(isinstance(area, PolicyArea) for area in areas):
        raise ValidationError({"areas": _("Choose among the policy areas in use.")})
    return areas
