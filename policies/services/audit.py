"""The tail every verb shares: one audit entry, in the verb's transaction, saying who changed which object how."""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from committee.audit.log import diff, record
from committee.audit.tracking import current_values, loaded_values
from policies.models import (
    AgendaItem,
    Attendance,
    AttendanceReply,
    CalendarFeed,
    Consultation,
    Decision,
    FollowUpAction,
    Meeting,
    Minutes,
    MinutesComment,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
)

# Every action the policy lifecycle records, with its words (committee.audit.actions; registered in apps.py).
AUDIT_ACTIONS = {
    "proposal.created": _("Proposal created"),
    "proposal.updated": _("Proposal edited"),
    "proposal.submitted": _("Proposal submitted"),
    "proposal.withdrawn": _("Proposal withdrawn"),
    "proposal.review_started": _("Review started"),
    "proposal.returned": _("Proposal returned for revision"),
    "proposal.accepted": _("Proposal accepted"),
    "attachment.added": _("Attachment added"),
    "attachment.removed": _("Attachment removed"),
    "consultation.requested": _("Opinions requested"),
    "opinion.given": _("Opinion given"),
    "opinion.revised": _("Opinion revised"),
    "opinion_attachment.added": _("File added to an opinion"),
    "opinion_attachment.removed": _("File removed from an opinion"),
    "consultation.extended": _("Opinion deadline extended"),
    "consultation.closed": _("Opinion request closed"),
    "consultation.withdrawn": _("Opinion request withdrawn"),
    "meeting.created": _("Meeting created"),
    "meeting.updated": _("Meeting changed"),
    "meeting.agenda_published": _("Agenda published"),
    "meeting.cancelled": _("Meeting cancelled"),
    "meeting.held": _("Meeting marked as held"),
    "agenda_item.added": _("Agenda item added"),
    "agenda_item.updated": _("Agenda item changed"),
    "agenda_item.removed": _("Agenda item removed"),
    "agenda.reordered": _("Agenda reordered"),
    "attendance.recorded": _("Attendance recorded"),
    "attendance.replied": _("Reply to meeting invitation"),
    "decision.recorded": _("Decision recorded"),
    "decision.made_public": _("Decision made public"),
    "decision.withdrawn_from_public": _("Decision withdrawn from the public register"),
    "minutes.started": _("Minutes started"),
    "minutes.edited": _("Minutes edited"),
    "minutes.sent_for_review": _("Minutes sent for review"),
    "minutes.finalised": _("Minutes finalised"),
    "minutes.corrected": _("Final minutes corrected"),
    "minutes_comment.added": _("Comment on minutes"),
    "meeting_document.built": _("Meeting paper built"),
    "action.assigned": _("Follow-up action assigned"),
    "action.progress_reported": _("Progress reported"),
    "action.verified": _("Follow-up action verified"),
    "action.reopened": _("Follow-up action reopened"),
    "preferences.updated": _("Notification settings changed"),
    "policy_area.created": _("Policy area created"),
    "policy_area.changed": _("Policy area changed"),
    "policy_area.deleted": _("Policy area deleted"),
    "calendar_feed.rotated": _("Calendar link renewed"),
}

# How each audited object reaches its committee, so that committee's secretariat reads the entry.
_COMMITTEE_PATHS = {
    Proposal: "committee_id",
    ProposalAttachment: "proposal.committee_id",
    Consultation: "proposal.committee_id",
    Meeting: "committee_id",
    AgendaItem: "meeting.committee_id",
    Attendance: "meeting.committee_id",
    AttendanceReply: "meeting.committee_id",
    Decision: "agenda_item.meeting.committee_id",
    FollowUpAction: "decision.agenda_item.meeting.committee_id",
    CalendarFeed: "committee_id",
    Minutes: "meeting.committee_id",
    MinutesComment: "minutes.meeting.committee_id",
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
