"""The tail every verb shares: one audit entry, in the verb's transaction, saying who changed which object how."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from committee.audit.log import diff, record
from committee.audit.tracking import current_values, loaded_values
from policies.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Decision,
    FollowUpAction,
    Meeting,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
)

# How each audited object reaches its committee, so that committee's secretariat reads the entry.
_COMMITTEE_PATHS = {
    Proposal: "committee_id",
    ProposalAttachment: "proposal.committee_id",
    Consultation: "proposal.committee_id",
    Meeting: "committee_id",
    AgendaItem: "meeting.committee_id",
    Attendance: "meeting.committee_id",
    Decision: "agenda_item.meeting.committee_id",
    FollowUpAction: "decision.agenda_item.meeting.committee_id",
}


def committee_of(target: models.Model) -> int | None:
    """The committee an object belongs to; None for a person's own settings."""
    path = _COMMITTEE_PATHS.get(type(target))
    value: Any = target
    for step in path.split(".") if path else ():
        value = getattr(value, step)
    return value if path else None


def agenda_order(meeting: Meeting) -> list[int]:
    """A meeting's agenda items in their order, as the log of a reordering stores it."""
    return list(meeting.items.order_by("position", "pk").values_list("pk", flat=True))


def _proposal_move(target: models.Model) -> dict[str, list]:
    """The workflow step this verb took on the target's proposal, read back from the proposal timeline."""
    proposal_id = getattr(target, "proposal_id", None)
    if proposal_id is None and isinstance(target, Decision):
        proposal_id = target.agenda_item.proposal_id
    event = ProposalEvent.objects.filter(proposal_id=proposal_id).order_by("-pk").first() if proposal_id else None
    return {"proposal.state": [event.from_state, event.to_state]} if event is not None else {}


def audit_change(
    action: str,
    target: models.Model,
    *,
    by,
    deleted: bool = False,
    changes: dict[str, list] | None = None,
    created: dict[str, models.Model] | None = None,
    proposal_moved: bool = False,
    committee_id: int | None = None,
    detail: str = "",
    fields: Iterable[str] | None = None,
) -> None:
    """Append the verb's one audit entry: the target's columns before (as read) and after (as now).

    A new target has only after-values, a deleted one only before-values (call it before deleting).
    `changes` adds what columns do not show (many-to-manys, an agenda's order); `created` adds the columns
    of other rows the verb created (a progress report), under their name; `proposal_moved` adds the
    proposal's workflow step that an agenda or decision verb took; `fields` limits the target's columns
    logged (none for an account: its password hash has no place in the log); `detail` keeps a reason given.
    """
    after = {} if deleted else current_values(target)
    before = loaded_values(target) or (current_values(target) if deleted else {})
    if fields is not None:
        kept = set(fields)
        after = {name: value for name, value in after.items() if name in kept}
        before = {name: value for name, value in before.items() if name in kept}
    logged = diff(before, after)
    for prefix, row in (created or {}).items():
        logged.update({f"{prefix}.{name}": values for name, values in diff({}, current_values(row)).items()})
    if proposal_moved:
        logged.update(_proposal_move(target))
    logged.update({name: list(values) for name, values in (changes or {}).items() if values[0] != values[1]})
    record(
        action,
        actor=by,
        target=target,
        changes=logged,
        committee_id=committee_id if committee_id is not None else committee_of(target),
        detail=detail,
    )
