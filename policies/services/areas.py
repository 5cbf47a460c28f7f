"""Verbs on policy areas: reference data shared by every committee, kept by the secretariats."""

from django.db import transaction
from django.utils.translation import gettext as _

from committee.directory.scope import is_secretariat_staff
from policies.models import PolicyArea
from policies.workflow import NotPermitted

from .audit import audit_change


@transaction.atomic
def save_policy_area(area: PolicyArea, *, by) -> PolicyArea:
    """Create or change an area (names, description, order, active); any secretariat may."""
    if not is_secretariat_staff(by):
        raise NotPermitted(_("Only the secretariat keeps policy areas."))
    created = area.pk is None
    area.full_clean()
    area.save()
    audit_change("policy_area.created" if created else "policy_area.changed", area, by=by)
    return area


@transaction.atomic
def delete_policy_area(area: PolicyArea, *, by) -> None:
    """Delete an area nothing refers to any more; superusers only (proposals keep theirs: PROTECT)."""
    if not (by.is_active and by.is_superuser):
        raise NotPermitted(_("Only a superuser may delete a policy area."))
    audit_change("policy_area.deleted", area, by=by, deleted=True)
    area.delete()
