"""What several service modules share: the secretariat check, the proposal timeline row, the year in Seoul."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.directory.scope import can_manage_committee
from policies.models import ProposalEvent
from policies.workflow import NotPermitted


def require_manager(user, committee_id: int) -> None:
    if not can_manage_committee(user, committee_id):
        raise NotPermitted(_("Only the committee's secretariat may do this."))


def record_event(
    proposal, action: str, *, by, from_state: str = "", to_state: str = "", comment: str = "", details=None
):
    """One timeline row. `comment` is what a person typed; `details` what happened, as codes and values that
    `ProposalEvent.summary` puts into each reader's language (never words in the actor's language)."""
    return ProposalEvent.objects.create(
        proposal=proposal,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=by,
        comment=comment,
        details=details or {},
    )


def seoul_year(moment: datetime) -> int:
    """Numbers restart on 1 January in Seoul, not in UTC."""
    return timezone.localtime(moment).year


def apply_changes(obj, changes: dict, allowed) -> list[str]:
    """Set the changed fields of `changes` on `obj` and return their names; a field not `allowed` is a 400."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    changed = [name for name in changes if getattr(obj, name) != changes[name]]
    for name in changed:
        setattr(obj, name, changes[name])
    return changed
