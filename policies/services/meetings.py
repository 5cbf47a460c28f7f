"""Verbs on meetings: create and change them, keep the agenda, publish, cancel, mark held, record attendance.

The agenda is numbered 1..n without gaps or repeats after every add, remove, move and reorder: each verb locks
the meeting row first (so two adds to one agenda queue up) and renumbers the whole agenda; the unique
constraint (meeting, position) is deferred to the end of the transaction, so a renumbering may pass through
repeats but never commits one.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from committee.directory.models import Agency
from policies import notifications
from policies.models import AgendaItem, Attendance, Decision, FollowUpAction, Meeting, Minutes, Proposal
from policies.papers import queue as papers
from policies.permissions import actors_for
from policies.workflow import MEETINGS, PROPOSALS, Actor, InvalidState, MeetingNotStarted, Transition

from .audit import agenda_order, audit_change
from .common import apply_changes, require_manager
from .proposals import apply_transition

MEETING_FIELDS = ("title", "kind", "language", "starts_at", "ends_at", "location", "online_link", "submission_cutoff")
AGENDA_ITEM_FIELDS = ("title", "presenter", "notes", "position")


def lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)


def require_started(meeting: Meeting) -> None:
    """Refuse to record what happens at a meeting (attendance, decisions, that it was held) before it starts.

    Both instants are aware, so the comparison holds in any zone; the message gives the start in Seoul time.
    """
    if meeting.starts_at > timezone.now():
        starts = date_format(timezone.localtime(meeting.starts_at, timezone.get_default_timezone()), "DATETIME_FORMAT")
        raise MeetingNotStarted(
            _(
                "This meeting starts on %(starts)s (Seoul time): attendance, decisions and that it was held "
                "can be recorded only once it has started."
            )
            % {"starts": starts}
        )


def check_meeting_action(meeting: Meeting, action: str, *, by) -> Transition:
    """Raise why `by` may not take `action` on this meeting now (workflow.MEETINGS: role, then state)."""
    return MEETINGS.check(meeting.status, action, actors_for(by, meeting))


def _agenda_changed(meeting: Meeting):
    """A published invitation changes: raise its sequence so calendars update it in place."""
    if meeting.status == Meeting.Status.AGENDA_PUBLISHED:
        meeting.invitation_sequence += 1
        meeting.save(update_fields=["invitation_sequence", "updated_at"])
        notifications.agenda_changed(meeting)
        papers.agenda_book_due(meeting)


@transaction.atomic
def create_meeting(*, by, committee, **fields) -> Meeting:
    require_manager(by, committee.pk)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    meeting = Meeting(committee=committee, **fields)
    meeting.full_clean()
    meeting.save()
    audit_change("meeting.created", meeting, by=by)
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, by, changes: dict) -> Meeting:
    """Change time, place or title; a published invitation is updated for everyone."""
    locked = lock_meeting(meeting)
    check_meeting_action(locked, "change", by=by)
    changed = apply_changes(locked, changes, MEETING_FIELDS)
    locked.full_clean()
    locked.save()
    if changed:
        _agenda_changed(locked)
    audit_change("meeting.updated", locked, by=by)
    return locked


def _renumber(meeting: Meeting, item_ids: list[int]) -> None:
    """Number these items 1..n in this order, writing only the positions that change."""
    current = dict(meeting.items.values_list("pk", "position"))
    for position, item_id in enumerate(item_ids, start=1):
        if current.get(item_id) != position:
            AgendaItem.objects.filter(pk=item_id).update(position=position)


def _slot(position: int | None, count: int) -> int:
    """Where an item goes among `count` others: the end when not given, else clamped to 1..count+1."""
    return count + 1 if position is None else min(max(position, 1), count + 1)


@transaction.atomic
def add_agenda_item(
    meeting: Meeting,
    *,
    by,
    kind: str = AgendaItem.Kind.PROPOSAL,
    proposal: Proposal | None = None,
    title: str = "",
    presenter: Agency | None = None,
    notes: str = "",
    position: int | None = None,
    follow_up_action: FollowUpAction | None = None,
    minutes: Minutes | None = None,
) -> AgendaItem:
    """Put an accepted proposal (which becomes scheduled) or a free item on a meeting's agenda.

    At the end, or at `position` with the items from there on moving down one. A report item may name the
    follow-up action of this committee it reports on (carried over, queries.carry_over), once per agenda, or
    the minutes of an earlier meeting of this committee it puts before the committee for approval.
    """
    locked = lock_meeting(meeting)
    check_meeting_action(locked, "change", by=by)
    position = _slot(position, locked.items.count())
    locked.items.filter(position__gte=position).update(position=F("position") + 1)
    item = AgendaItem(
        meeting=locked,
        kind=kind,
        proposal=proposal,
        title=title,
        presenter=presenter,
        notes=notes,
        position=position,
        follow_up_action=follow_up_action,
        minutes=minutes,
    )
    item.full_clean()
    if minutes is not None:
        committee_id = Minutes.objects.filter(pk=minutes.pk).values_list("meeting__committee_id", flat=True).first()
        if committee_id != locked.committee_id:
            raise ValidationError({"minutes": _("The minutes belong to another committee.")})
    if follow_up_action is not None:
        committee_id = (
            FollowUpAction.objects.filter(pk=follow_up_action.pk)
            .values_list("decision__agenda_item__meeting__committee_id", flat=True)
            .first()
        )
        if committee_id != locked.committee_id:
            raise ValidationError({"follow_up_action": _("The follow-up action belongs to another committee.")})
    if proposal is not None:
        locked_proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked_proposal.committee_id != locked.committee_id:
            raise ValidationError({"proposal": _("The proposal belongs to another committee.")})
        apply_transition(locked_proposal, "schedule", by=by, actors={Actor.AGENDA}, comment=str(locked))
        if item.presenter is None:
            item.presenter_id = locked_proposal.lead_agency_id
    item.save()
    _agenda_changed(locked)
    audit_change("agenda_item.added", item, by=by, proposal_moved=True)
    return item


@transaction.atomic
def add_agenda_items(meeting: Meeting, *, by, items: list[dict]) -> list[AgendaItem]:
    """Put several items on the agenda at once, in this order, or none: `add_agenda_item` per item (each with
    its audit entry); a refused item refuses them all. Each dict holds `add_agenda_item`'s keyword arguments."""
    return [add_agenda_item(meeting, by=by, **item) for item in items]


@transaction.atomic
def update_agenda_item(item: AgendaItem, *, by, changes: dict) -> AgendaItem:
    """Change an item's wording; a new `position` moves it there and renumbers the rest."""
    locked = lock_meeting(item.meeting)
    check_meeting_action(locked, "change", by=by)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    changes = dict(changes)
    position = changes.pop("position", None)
    changed = apply_changes(item, changes, AGENDA_ITEM_FIELDS)
    item.full_clean()
    item.save()
    if position is not None:
        order = [pk for pk in agenda_order(locked) if pk != item.pk]
        slot = _slot(position, len(order))
        if slot != item.position:
            order.insert(slot - 1, item.pk)
            _renumber(locked, order)
            item.position = slot
            changed.append("position")
    if changed:
        _agenda_changed(locked)
    audit_change("agenda_item.updated", item, by=by)
    return item


@transaction.atomic
def remove_agenda_item(item: AgendaItem, *, by) -> None:
    """Take an item off the agenda; its proposal goes back to accepted."""
    locked = lock_meeting(item.meeting)
    check_meeting_action(locked, "change", by=by)
    if Decision.objects.filter(agenda_item=item).exists():
        raise InvalidState(_("A decided item cannot be taken off the agenda."))
    if item.proposal_id:
        locked_proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id)
        apply_transition(locked_proposal, "unschedule", by=by, actors={Actor.AGENDA}, comment=str(locked))
    audit_change("agenda_item.removed", item, by=by, deleted=True, proposal_moved=True)
    item.delete()
    _renumber(locked, agenda_order(locked))
    _agenda_changed(locked)


@transaction.atomic
def reorder_agenda(meeting: Meeting, *, by, item_ids: list[int]) -> None:
    locked = lock_meeting(meeting)
    check_meeting_action(locked, "change", by=by)
    current = set(locked.items.values_list("id", flat=True))
    if set(item_ids) != current or len(item_ids) != len(current):
        raise ValidationError({"items": _("Give every item of this agenda exactly once.")})
    order = agenda_order(locked)
    _renumber(locked, item_ids)
    _agenda_changed(locked)
    audit_change("agenda.reordered", locked, by=by, changes={"agenda": [order, agenda_order(locked)]})


@transaction.atomic
def publish_agenda(meeting: Meeting, *, by) -> Meeting:
    locked = lock_meeting(meeting)
    transition = check_meeting_action(locked, "publish_agenda", by=by)
    if not locked.items.exists():
        raise ValidationError(_("An empty agenda cannot be published."))
    locked.status = transition.target
    locked.agenda_published_at = timezone.now()
    locked.save(update_fields=["status", "agenda_published_at", "updated_at"])
    notifications.agenda_published(locked)
    papers.agenda_book_due(locked)
    audit_change("meeting.agenda_published", locked, by=by)
    return locked


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by, reason: str = "") -> Meeting:
    """Cancel a meeting; undecided proposals on its agenda go back to accepted."""
    locked = lock_meeting(meeting)
    transition = check_meeting_action(locked, "cancel", by=by)
    was_published = locked.status == Meeting.Status.AGENDA_PUBLISHED
    unscheduled = []
    for item in locked.items.filter(proposal__isnull=False, decision__isnull=True):
        locked_proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id)
        if PROPOSALS.allows(locked_proposal.state, "unschedule"):
            apply_transition(locked_proposal, "unschedule", by=by, actors={Actor.AGENDA}, comment=reason or str(locked))
            unscheduled.append(locked_proposal.pk)
    locked.status = transition.target
    update_fields = ["status", "updated_at"]
    if was_published:
        locked.invitation_sequence += 1
        update_fields.append("invitation_sequence")
    locked.save(update_fields=update_fields)
    if was_published:
        notifications.meeting_cancelled(locked)
    audit_change(
        "meeting.cancelled",
        locked,
        by=by,
        detail=reason,
        changes={"proposals_back_to_accepted": [[], sorted(unscheduled)]},
    )
    return locked


@transaction.atomic
def mark_meeting_held(meeting: Meeting, *, by) -> Meeting:
    """The meeting took place: only once it has started, and only with its agenda published."""
    locked = lock_meeting(meeting)
    transition = check_meeting_action(locked, "mark_held", by=by)
    require_started(locked)
    locked.status = transition.target
    locked.save(update_fields=["status", "updated_at"])
    papers.decision_record_due(locked)
    audit_change("meeting.held", locked, by=by)
    return locked


@transaction.atomic
def record_attendance(meeting: Meeting, *, by, member, status: str, delegate_name: str = "") -> Attendance:
    locked = lock_meeting(meeting)
    check_meeting_action(locked, "record_attendance", by=by)
    require_started(locked)
    meeting_day = timezone.localtime(locked.starts_at).date()
    if not locked.committee.current_memberships(on=meeting_day).filter(user=member).exists():
        raise ValidationError({"member": _("%(member)s is not a member of this committee.") % {"member": member}})
    attendance = Attendance.objects.filter(meeting=locked, member=member).first() or Attendance(
        meeting=locked, member=member
    )
    attendance.status = status
    attendance.delegate_name = delegate_name if status == Attendance.Status.REPRESENTED else ""
    attendance.full_clean()
    attendance.save()
    audit_change("attendance.recorded", attendance, by=by)
    return attendance


@transaction.atomic
def record_attendance_sheet(meeting: Meeting, *, by, rows: list[dict]) -> list[Attendance]:
    """Record a whole attendance sheet or nothing: `record_attendance` per row (each with its audit entry).

    Each row is `{"member": user, "status": ..., "delegate_name": ...}`; a refused row refuses the sheet.
    """
    return [
        record_attendance(
            meeting, by=by, member=row["member"], status=row["status"], delegate_name=row.get("delegate_name", "")
        )
        for row in rows
    ]
