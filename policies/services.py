"""The verbs of the policy lifecycle. Views, the API, the admin and commands change state only here.

Every verb checks permission and state, locks what it changes, writes the proposal timeline and
creates its notifications in the same transaction.
"""

import hashlib
from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.directory.models import Agency, Profile, seoul_today

from . import notifications
from .models import (
    AgendaItem,
    Attendance,
    Consultation,
    Decision,
    DigestPreference,
    FollowUpAction,
    Meeting,
    PolicyArea,
    ProgressReport,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalState,
    ReferenceCounter,
)
from .permissions import (
    actors_for,
    can_draft_for,
    can_edit_proposal,
    can_give_opinion,
    can_manage_committee,
    can_report_progress,
)
from .richtext import clean_rich_text
from .workdays import add_working_days
from .workflow import (
    EDITABLE_STATES,
    USER_ACTIONS,
    Actor,
    InvalidState,
    NotPermitted,
    StaleVersion,
    WorkflowError,
    check_transition,
)


class AttachmentTooLarge(WorkflowError):
    """The upload is over ATTACHMENT_MAX_BYTES (HTTP 413)."""

    status, code = 413, "too_large"


PROPOSAL_FIELDS = (
    "title",
    "summary",
    "body",
    "requested_decision",
    "policy_area",
    "estimated_budget_krw",
)
PROPOSAL_RELATIONS = ("co_sponsors", "secondary_areas")


def _require_manager(user, committee_id):
    if not can_manage_committee(user, committee_id):
        raise NotPermitted(_("Only the committee's secretariat may do this."))


def _record_event(proposal, action, *, by, from_state="", to_state="", comment=""):
    return ProposalEvent.objects.create(
        proposal=proposal,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=by,
        comment=comment,
    )


def _seoul_year(moment: datetime) -> int:
    return timezone.localtime(moment).year


# --- proposals -----------------------------------------------------------------------------------


def _validate_relations(proposal, co_sponsors, secondary_areas):
    errors = {}
    if co_sponsors is not None and any(agency.pk == proposal.lead_agency_id for agency in co_sponsors):
        errors["co_sponsors"] = _("The lead agency cannot also co-sponsor its proposal.")
    if secondary_areas is not None and any(area.pk == proposal.policy_area_id for area in secondary_areas):
        errors["secondary_areas"] = _("The primary policy area cannot also be a secondary one.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_proposal(
    *,
    by,
    committee,
    title,
    summary,
    requested_decision,
    policy_area,
    lead_agency=None,
    body="",
    estimated_budget_krw=None,
    co_sponsors: Iterable[Agency] = (),
    secondary_areas: Iterable = (),
) -> Proposal:
    """A liaison drafts a proposal for their agency; it stays private to the agency until submitted."""
    lead_agency_id = lead_agency.pk if lead_agency else getattr(getattr(by, "profile", None), "agency_id", None)
    if not can_draft_for(by, committee, lead_agency_id):
        raise NotPermitted(_("Only liaisons of a member agency may draft proposals for it in this committee."))
    proposal = Proposal(
        committee=committee,
        lead_agency_id=lead_agency_id,
        title=title,
        summary=summary,
        body=clean_rich_text(body),
        requested_decision=requested_decision,
        policy_area=policy_area,
        estimated_budget_krw=estimated_budget_krw,
        created_by=by,
    )
    co_sponsors, secondary_areas = list(co_sponsors), list(secondary_areas)
    proposal.full_clean()
    _validate_relations(proposal, co_sponsors, secondary_areas)
    proposal.save()
    proposal.co_sponsors.set(co_sponsors)
    proposal.secondary_areas.set(secondary_areas)
    _record_event(proposal, "create", by=by, to_state=proposal.state)
    return proposal


def require_editable(proposal: Proposal, *, by) -> None:
    """Raise why `by` may not change this proposal's text or files now: role first, then state."""
    if not can_edit_proposal(by, proposal):
        if Actor.LEAD_LIAISON in actors_for(by, proposal) and proposal.state not in EDITABLE_STATES:
            raise InvalidState(_("Only draft or returned proposals can be changed."))
        raise NotPermitted(_("Only the lead agency may change this proposal."))


@transaction.atomic
def update_proposal(proposal: Proposal, *, by, changes: dict, expected_version: int | None = None) -> Proposal:
    """The lead agency revises a draft or returned proposal. A stale `expected_version` is refused."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersion(
            _("This proposal was changed by someone else (version %(current)s, you had %(yours)s). Reload it.")
            % {"current": locked.version, "yours": expected_version}
        )
    require_editable(locked, by=by)
    unknown = set(changes) - set(PROPOSAL_FIELDS) - set(PROPOSAL_RELATIONS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    for name in PROPOSAL_FIELDS:
        if name in changes:
            value = changes[name]
            setattr(locked, name, clean_rich_text(value) if name == "body" else value)
    co_sponsors = list(changes["co_sponsors"]) if "co_sponsors" in changes else None
    secondary_areas = list(changes["secondary_areas"]) if "secondary_areas" in changes else None
    locked.full_clean()
    _validate_relations(
        locked,
        co_sponsors,
        secondary_areas if secondary_areas is not None else list(locked.secondary_areas.all()),
    )
    locked.version += 1
    locked.save()
    if co_sponsors is not None:
        locked.co_sponsors.set(co_sponsors)
    if secondary_areas is not None:
        locked.secondary_areas.set(secondary_areas)
    _record_event(locked, "edit", by=by)
    return locked


def _apply_transition(locked: Proposal, action: str, *, by, actors: set[Actor], comment: str = "") -> Proposal:
    """Move a locked proposal along the workflow table; the caller holds the transaction."""
    transition = check_transition(locked.state, action, actors)
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise ValidationError({"comment": _("Say why: a comment is required for this action.")})
    from_state = locked.state
    update_fields = ["state", "version", "updated_at"]
    if action == "submit":
        # A submission must be complete, whatever path created the draft.
        locked.full_clean()
        if locked.reference is None:
            now = timezone.now()
            year = _seoul_year(now)
            number = ReferenceCounter.next_number(locked.committee_id, year, ReferenceCounter.Series.PROPOSAL)
            locked.reference = f"{locked.committee.code}-{year}-{number:04d}"
            locked.submitted_at = now
            locked.submitted_by = by
            update_fields += ["reference", "submitted_at", "submitted_by"]
    locked.state = transition.target
    locked.version += 1
    locked.save(update_fields=update_fields)
    event = _record_event(locked, action, by=by, from_state=from_state, to_state=locked.state, comment=comment)
    notifications.proposal_transitioned(locked, event)
    return locked


@transaction.atomic
def transition_proposal(proposal: Proposal, action: str, *, by, comment: str = "") -> Proposal:
    """Take one of the actions a person starts directly: submit, withdraw, start_review, return, accept."""
    locked = Proposal.objects.select_for_update().select_related("committee").get(pk=proposal.pk)
    if action not in USER_ACTIONS:
        check_transition(locked.state, action, set())  # unknown action -> InvalidState; known -> NotPermitted
    return _apply_transition(locked, action, by=by, actors=actors_for(by, locked), comment=comment)


def submit_proposal(proposal, *, by, comment=""):
    return transition_proposal(proposal, "submit", by=by, comment=comment)


def withdraw_proposal(proposal, *, by, comment=""):
    return transition_proposal(proposal, "withdraw", by=by, comment=comment)


def start_review(proposal, *, by, comment=""):
    return transition_proposal(proposal, "start_review", by=by, comment=comment)


def return_proposal(proposal, *, by, comment):
    return transition_proposal(proposal, "return", by=by, comment=comment)


def accept_proposal(proposal, *, by, comment=""):
    return transition_proposal(proposal, "accept", by=by, comment=comment)


# --- attachments ---------------------------------------------------------------------------------

# Leading bytes of the binary types we accept, so a renamed executable is not taken for a PDF.
_SIGNATURES = {
    "application/pdf": (b"%PDF",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (b"PK\x03\x04",),
    "application/vnd.hancom.hwpx": (b"PK\x03\x04",),
}
_EXTRA_SUFFIXES = {"image/jpeg": {".jpeg"}}


def check_upload(uploaded_file) -> str:
    """Validate size and type of an upload; return its content type. Raises before anything is stored."""
    if uploaded_file.size > settings.ATTACHMENT_MAX_BYTES:
        raise AttachmentTooLarge(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": uploaded_file.size, "limit": settings.ATTACHMENT_MAX_BYTES}
        )
    content_type = (uploaded_file.content_type or "").split(";")[0].strip().lower()
    allowed_suffix = settings.ATTACHMENT_CONTENT_TYPES.get(content_type)
    name = (uploaded_file.name or "").lower()
    suffixes = {allowed_suffix} | _EXTRA_SUFFIXES.get(content_type, set()) if allowed_suffix else set()
    if not allowed_suffix or not any(name.endswith(suffix) for suffix in suffixes):
        raise ValidationError(
            {
                "file": _("Files of this type are not accepted. Accepted: %(types)s.")
                % {"types": ", ".join(sorted(set(settings.ATTACHMENT_CONTENT_TYPES.values())))}
            }
        )
    signatures = _SIGNATURES.get(content_type)
    if signatures:
        uploaded_file.seek(0)
        head = uploaded_file.read(8)
        uploaded_file.seek(0)
        if not any(head.startswith(signature) for signature in signatures):
            raise ValidationError({"file": _("The file's content does not match its type.")})
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    return content_type


@transaction.atomic
def add_attachment(proposal: Proposal, *, by, uploaded_file) -> ProposalAttachment:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require_editable(locked, by=by)
    content_type = check_upload(uploaded_file)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    original_name = (uploaded_file.name or "file").replace("/", "_").replace("\\", "_")[-255:]
    attachment = ProposalAttachment(
        proposal=locked,
        original_name=original_name,
        content_type=content_type,
        size=uploaded_file.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    attachment.file.save(original_name, uploaded_file, save=False)
    attachment.save()
    _record_event(locked, "attach", by=by, comment=original_name)
    return attachment


@transaction.atomic
def remove_attachment(attachment: ProposalAttachment, *, by) -> None:
    locked = Proposal.objects.select_for_update().get(pk=attachment.proposal_id)
    require_editable(locked, by=by)
    name, storage, path = attachment.original_name, attachment.file.storage, attachment.file.name
    attachment.delete()
    _record_event(locked, "detach", by=by, comment=name)
    transaction.on_commit(lambda: storage.delete(path))


# --- consultations -------------------------------------------------------------------------------

CONSULTABLE_STATES = (ProposalState.SUBMITTED, ProposalState.UNDER_REVIEW)
OPINION_CLOSED_STATES = (ProposalState.DECIDED, ProposalState.WITHDRAWN)


def consultation_deadline(*, deadline: date | None = None, working_days: int | None = None) -> date:
    """A deadline given as a date, or as a number of Korean working days from today."""
    if (deadline is None) == (working_days is None):
        raise ValidationError({"deadline": _("Give either a deadline date or a number of working days.")})
    if working_days is not None:
        if working_days < 1 or working_days > 120:
            raise ValidationError({"working_days": _("Give between 1 and 120 working days.")})
        return add_working_days(seoul_today(), working_days)
    if deadline < seoul_today():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    return deadline


@transaction.atomic
def request_consultations(
    proposal: Proposal,
    *,
    by,
    agencies: Iterable[Agency],
    deadline: date | None = None,
    working_days: int | None = None,
    question: str = "",
) -> list[Consultation]:
    """The secretariat asks agencies for their opinion on a proposal by a deadline."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _require_manager(by, locked.committee_id)
    if locked.state not in CONSULTABLE_STATES:
        raise InvalidState(_("Opinions can be requested only on submitted proposals or those under review."))
    agencies = list(dict.fromkeys(agencies))
    if not agencies:
        raise ValidationError({"agencies": _("Choose at least one agency to consult.")})
    if any(agency.pk == locked.lead_agency_id for agency in agencies):
        raise ValidationError({"agencies": _("The lead agency cannot be consulted on its own proposal.")})
    already = set(
        Consultation.objects.filter(proposal=locked, agency__in=agencies).values_list("agency__acronym", flat=True)
    )
    if already:
        raise ValidationError(
            {"agencies": _("Already consulted: %(agencies)s.") % {"agencies": ", ".join(sorted(already))}}
        )
    due = consultation_deadline(deadline=deadline, working_days=working_days)
    consultations = [
        Consultation.objects.create(proposal=locked, agency=agency, deadline=due, question=question, requested_by=by)
        for agency in agencies
    ]
    _record_event(
        locked,
        "consult",
        by=by,
        comment=_("Opinion requested from %(agencies)s by %(deadline)s.")
        % {"agencies": ", ".join(a.acronym for a in agencies), "deadline": due.isoformat()},
    )
    for consultation in consultations:
        notifications.consultation_requested(consultation)
    return consultations


def require_opinion_giver(consultation: Consultation, *, by) -> None:
    if not can_give_opinion(by, consultation):
        raise NotPermitted(_("Only liaisons of the consulted agency may answer this consultation."))


@transaction.atomic
def give_opinion(consultation: Consultation, *, by, position: str, opinion: str) -> Consultation:
    """A consulted agency answers, and may revise its answer until the end of the deadline day."""
    locked = Consultation.objects.select_for_update().select_related("proposal", "agency").get(pk=consultation.pk)
    require_opinion_giver(locked, by=by)
    if not locked.is_open():
        raise InvalidState(_("The deadline of this consultation has passed."))
    if locked.proposal.state in OPINION_CLOSED_STATES:
        raise InvalidState(_("The proposal is already decided or withdrawn."))
    opinion = (opinion or "").strip()
    if position not in Consultation.Position.values:
        raise ValidationError({"position": _("Choose concur, concur with conditions or object.")})
    if position != Consultation.Position.CONCUR and not opinion:
        raise ValidationError({"opinion": _("Explain your conditions or objection.")})
    revised = locked.is_answered
    now = timezone.now()
    locked.position, locked.opinion, locked.answered_by = position, opinion, by
    if revised:
        locked.revised_at = now
    else:
        locked.answered_at = now
    locked.save(update_fields=["position", "opinion", "answered_by", "answered_at", "revised_at"])
    _record_event(
        locked.proposal,
        "opinion_revised" if revised else "opinion",
        by=by,
        comment=f"{locked.agency.acronym}: {locked.get_position_display()}",
    )
    notifications.opinion_received(locked, revised=revised)
    return locked


def consolidated_position(proposal: Proposal) -> dict[str, list[Consultation]]:
    """Who concurred, who concurred with conditions, who objected, who is still silent."""
    position = {value: [] for value in Consultation.Position.values}
    position["silent"] = []
    for consultation in proposal.consultations.all():
        position[consultation.position or "silent"].append(consultation)
    return position


# --- meetings and agendas ------------------------------------------------------------------------


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)


def _require_editable_agenda(meeting: Meeting):
    if not meeting.is_agenda_editable:
        raise InvalidState(_("The agenda of a meeting that was held or cancelled cannot change."))


def _agenda_changed(meeting: Meeting):
    """A published invitation changes: raise its sequence so calendars update it in place."""
    if meeting.status == Meeting.Status.AGENDA_PUBLISHED:
        meeting.invitation_sequence += 1
        meeting.save(update_fields=["invitation_sequence", "updated_at"])
        notifications.agenda_changed(meeting)


MEETING_FIELDS = ("title", "kind", "starts_at", "ends_at", "location", "online_link", "submission_cutoff")


@transaction.atomic
def create_meeting(*, by, committee, **fields) -> Meeting:
    _require_manager(by, committee.pk)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    meeting = Meeting(committee=committee, **fields)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, by, changes: dict) -> Meeting:
    """Change time, place or title; a published invitation is updated for everyone."""
    locked = _lock_meeting(meeting)
    _require_manager(by, locked.committee_id)
    _require_editable_agenda(locked)
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    changed = [name for name in changes if getattr(locked, name) != changes[name]]
    for name in changed:
        setattr(locked, name, changes[name])
    locked.full_clean()
    locked.save()
    if changed:
        _agenda_changed(locked)
    return locked


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
) -> AgendaItem:
    """Put an accepted proposal (which becomes scheduled) or a free item on a meeting's agenda."""
    locked = _lock_meeting(meeting)
    _require_manager(by, locked.committee_id)
    _require_editable_agenda(locked)
    if position is None:
        position = (locked.items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = AgendaItem(
        meeting=locked, kind=kind, proposal=proposal, title=title, presenter=presenter, notes=notes, position=position
    )
    item.full_clean()
    if proposal is not None:
        locked_proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked_proposal.committee_id != locked.committee_id:
            raise ValidationError({"proposal": _("The proposal belongs to another committee.")})
        _apply_transition(locked_proposal, "schedule", by=by, actors={Actor.AGENDA}, comment=str(locked))
        if item.presenter is None:
            item.presenter_id = locked_proposal.lead_agency_id
    item.save()
    _agenda_changed(locked)
    return item


@transaction.atomic
def update_agenda_item(item: AgendaItem, *, by, changes: dict) -> AgendaItem:
    locked = _lock_meeting(item.meeting)
    _require_manager(by, locked.committee_id)
    _require_editable_agenda(locked)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    allowed = {"title", "presenter", "notes", "position"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    changed = [name for name in changes if getattr(item, name) != changes[name]]
    for name in changed:
        setattr(item, name, changes[name])
    item.full_clean()
    item.save()
    if changed:
        _agenda_changed(locked)
    return item


@transaction.atomic
def remove_agenda_item(item: AgendaItem, *, by) -> None:
    """Take an item off the agenda; its proposal goes back to accepted."""
    locked = _lock_meeting(item.meeting)
    _require_manager(by, locked.committee_id)
    _require_editable_agenda(locked)
    if Decision.objects.filter(agenda_item=item).exists():
        raise InvalidState(_("A decided item cannot be taken off the agenda."))
    if item.proposal_id:
        locked_proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id)
        _apply_transition(locked_proposal, "unschedule", by=by, actors={Actor.AGENDA}, comment=str(locked))
    item.delete()
    _agenda_changed(locked)


@transaction.atomic
def reorder_agenda(meeting: Meeting, *, by, item_ids: list[int]) -> None:
    locked = _lock_meeting(meeting)
    _require_manager(by, locked.committee_id)
    _require_editable_agenda(locked)
    current = set(locked.items.values_list("id", flat=True))
    if set(item_ids) != current or len(item_ids) != len(current):
        raise ValidationError({"items": _("Give every item of this agenda exactly once.")})
    for position, item_id in enumerate(item_ids, start=1):
        AgendaItem.objects.filter(pk=item_id).update(position=position)
    _agenda_changed(locked)


@transaction.atomic
def publish_agenda(meeting: Meeting, *, by) -> Meeting:
    locked = _lock_meeting(meeting)
    _require_manager(by, locked.committee_id)
    if locked.status != Meeting.Status.PLANNED:
        raise InvalidState(_("Only the agenda of a planned meeting can be published."))
    if not locked.items.exists():
        raise ValidationError(_("An empty agenda cannot be published."))
    locked.status = Meeting.Status.AGENDA_PUBLISHED
    locked.agenda_published_at = timezone.now()
    locked.save(update_fields=["status", "agenda_published_at", "updated_at"])
    notifications.agenda_published(locked)
    return locked


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by, reason: str = "") -> Meeting:
    """Cancel a meeting; undecided proposals on its agenda go back to accepted."""
    locked = _lock_meeting(meeting)
    _require_manager(by, locked.committee_id)
    _require_editable_agenda(locked)
    was_published = locked.status == Meeting.Status.AGENDA_PUBLISHED
    for item in locked.items.filter(proposal__isnull=False, decision__isnull=True):
        locked_proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id)
        if locked_proposal.state == ProposalState.SCHEDULED:
            _apply_transition(
                locked_proposal, "unschedule", by=by, actors={Actor.AGENDA}, comment=reason or str(locked)
            )
    locked.status = Meeting.Status.CANCELLED
    update_fields = ["status", "updated_at"]
    if was_published:
        locked.invitation_sequence += 1
        update_fields.append("invitation_sequence")
    locked.save(update_fields=update_fields)
    if was_published:
        notifications.meeting_cancelled(locked)
    return locked


@transaction.atomic
def mark_meeting_held(meeting: Meeting, *, by) -> Meeting:
    locked = _lock_meeting(meeting)
    _require_manager(by, locked.committee_id)
    if locked.status != Meeting.Status.AGENDA_PUBLISHED:
        raise InvalidState(_("Only a meeting with a published agenda can be marked as held."))
    locked.status = Meeting.Status.HELD
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def record_attendance(meeting: Meeting, *, by, member, status: str, delegate_name: str = "") -> Attendance:
    locked = _lock_meeting(meeting)
    _require_manager(by, locked.committee_id)
    if locked.status == Meeting.Status.CANCELLED:
        raise InvalidState(_("Attendance cannot be recorded for a cancelled meeting."))
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
    return attendance


def quorum_status(meeting: Meeting) -> dict:
    """Members on the meeting day, how many make a quorum, how many attend, and whether that suffices."""
    meeting_day = timezone.localtime(meeting.starts_at).date()
    member_ids = set(meeting.committee.current_memberships(on=meeting_day).values_list("user_id", flat=True))
    counted = [Attendance.Status.PRESENT]
    if meeting.committee.delegates_count_for_quorum:
        counted.append(Attendance.Status.REPRESENTED)
    attending = meeting.attendances.filter(member_id__in=member_ids, status__in=counted).count()
    recorded = meeting.attendances.exists()
    required = meeting.committee.quorum_for(len(member_ids))
    return {
        "members": len(member_ids),
        "required": required,
        "attending": attending,
        "recorded": recorded,
        "has_quorum": recorded and attending >= required,
    }


# --- decisions and follow-up actions -------------------------------------------------------------


@transaction.atomic
def record_decision(
    item: AgendaItem,
    *,
    by,
    outcome: str,
    resolution: str,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    decided_at: datetime | None = None,
) -> Decision:
    """Record the committee's decision on a proposal item; a deferral sends the proposal back to accepted."""
    meeting = _lock_meeting(item.meeting)
    _require_manager(by, meeting.committee_id)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.kind != AgendaItem.Kind.PROPOSAL:
        raise InvalidState(_("Only items for decision can be decided; reports and briefings are noted."))
    if not meeting.takes_decisions:
        raise InvalidState(_("Decisions are recorded for meetings whose agenda was published."))
    if Decision.objects.filter(agenda_item=item).exists():
        raise InvalidState(_("This item already has a decision."))
    if outcome not in Decision.Outcome.values:
        raise ValidationError({"outcome": _("Choose adopted, adopted with amendments, rejected or deferred.")})
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Write the resolution.")})
    if outcome != Decision.Outcome.DEFERRED:
        quorum = quorum_status(meeting)
        if not quorum["recorded"]:
            raise InvalidState(_("Record attendance first: a decision needs a quorum."))
        if not quorum["has_quorum"]:
            raise InvalidState(
                _("No quorum: %(attending)s of %(members)s members attend, %(required)s are needed.") % quorum
            )
    decided_at = decided_at or timezone.now()
    year = _seoul_year(decided_at)
    number = ReferenceCounter.next_number(meeting.committee_id, year, ReferenceCounter.Series.DECISION)
    decision = Decision(
        agenda_item=item,
        number=f"{meeting.committee.code}-{year}-D-{number:03d}",
        outcome=outcome,
        resolution=resolution.strip(),
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        decided_at=decided_at,
        recorded_by=by,
    )
    decision.full_clean()
    decision.save()
    locked_proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id)
    action = "defer" if outcome == Decision.Outcome.DEFERRED else "decide"
    _apply_transition(
        locked_proposal,
        action,
        by=by,
        actors={Actor.AGENDA},
        comment=f"{decision.number}: {decision.get_outcome_display()}",
    )
    notifications.decision_recorded(decision)
    return decision


ADOPTED_OUTCOMES = (Decision.Outcome.ADOPTED, Decision.Outcome.ADOPTED_WITH_AMENDMENTS)


@transaction.atomic
def assign_follow_up_action(
    decision: Decision, *, by, agency: Agency, title: str, due_date: date, description: str = ""
) -> FollowUpAction:
    committee_id = decision.agenda_item.meeting.committee_id
    _require_manager(by, committee_id)
    if decision.outcome not in ADOPTED_OUTCOMES:
        raise InvalidState(_("Follow-up actions follow adopted decisions only."))
    if due_date < seoul_today():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    action = FollowUpAction(
        decision=decision, agency=agency, title=title, description=description, due_date=due_date, assigned_by=by
    )
    action.full_clean()
    action.save()
    notifications.action_assigned(action)
    return action


def require_progress_reporter(action: FollowUpAction, *, by) -> None:
    if not can_report_progress(by, action):
        raise NotPermitted(_("Only liaisons of the responsible agency may report progress on this action."))


@transaction.atomic
def report_progress(
    action: FollowUpAction,
    *,
    by,
    text: str,
    percent_complete: int,
    reports_done: bool = False,
    reported_on: date | None = None,
) -> ProgressReport:
    """The responsible agency reports progress; reporting done awaits the secretariat's verification."""
    locked = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    require_progress_reporter(locked, by=by)
    if locked.status == FollowUpAction.Status.DONE:
        raise InvalidState(_("This action is already reported done; the secretariat may reopen it."))
    reported_on = reported_on or seoul_today()
    if reported_on > seoul_today():
        raise ValidationError({"reported_on": _("Progress cannot be reported for a future date.")})
    if reports_done:
        percent_complete = 100
    report = ProgressReport(
        action=locked,
        text=(text or "").strip(),
        percent_complete=percent_complete,
        reports_done=reports_done,
        reported_on=reported_on,
        reported_by=by,
    )
    report.full_clean()
    report.save()
    locked.percent_complete = percent_complete
    locked.status = FollowUpAction.Status.DONE if reports_done else FollowUpAction.Status.IN_PROGRESS
    if reports_done:
        locked.done_reported_at = timezone.now()
    locked.save(update_fields=["percent_complete", "status", "done_reported_at"])
    notifications.progress_reported(report)
    return report


@transaction.atomic
def verify_action(action: FollowUpAction, *, by) -> FollowUpAction:
    locked = (
        FollowUpAction.objects.select_for_update().select_related("decision__agenda_item__meeting").get(pk=action.pk)
    )
    _require_manager(by, locked.decision.agenda_item.meeting.committee_id)
    if locked.status != FollowUpAction.Status.DONE or locked.is_verified:
        raise InvalidState(_("Only actions reported done and not yet verified can be verified."))
    locked.verified_by, locked.verified_at = by, timezone.now()
    locked.save(update_fields=["verified_by", "verified_at"])
    return locked


@transaction.atomic
def reopen_action(action: FollowUpAction, *, by, comment: str) -> FollowUpAction:
    """The secretariat does not accept a report of done: the action is in progress again."""
    locked = (
        FollowUpAction.objects.select_for_update().select_related("decision__agenda_item__meeting").get(pk=action.pk)
    )
    _require_manager(by, locked.decision.agenda_item.meeting.committee_id)
    if locked.status != FollowUpAction.Status.DONE:
        raise InvalidState(_("Only actions reported done can be reopened."))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the action is reopened.")})
    ProgressReport.objects.create(
        action=locked,
        text=comment.strip(),
        percent_complete=locked.percent_complete,
        reported_by=by,
    )
    locked.status = FollowUpAction.Status.IN_PROGRESS
    locked.verified_by = locked.verified_at = locked.done_reported_at = None
    locked.save(update_fields=["status", "verified_by", "verified_at", "done_reported_at"])
    return locked


# --- personal preferences ------------------------------------------------------------------------


@transaction.atomic
def update_preferences(user, *, language: str | None = None, frequency: str | None = None, areas=None):
    """A person's language and digest choice (how often, which policy areas; no areas means all).

    Every choice is checked before anything is written. Switching digests back on starts a fresh window,
    so nothing from the silent months is replayed.
    """
    if language is not None and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose Korean or English.")})
    if frequency is not None and frequency not in DigestPreference.Frequency.values:
        raise ValidationError({"frequency": _("Choose no digest, daily or weekly.")})
    if areas is not None:
        areas = _active_areas(areas)
    if language is not None:
        Profile.objects.update_or_create(user=user, defaults={"language": language})
    if frequency is None and areas is None:
        return
    preference, _created = DigestPreference.objects.select_for_update().get_or_create(user=user)
    if frequency is not None:
        if preference.frequency == DigestPreference.Frequency.OFF and frequency != DigestPreference.Frequency.OFF:
            preference.period_start = timezone.now()
        preference.frequency = frequency
        preference.save(update_fields=["frequency", "period_start"])
    if areas is not None:
        preference.areas.set(areas)


def _active_areas(areas) -> list[PolicyArea]:
    """The chosen areas, if each is a policy area still in use; a retired or unknown one is refused."""
    areas = list(areas)
    chosen = {area.pk for area in areas if isinstance(area, PolicyArea)}
    active = set(PolicyArea.objects.filter(pk__in=chosen, is_active=True).values_list("pk", flat=True))
    if chosen != active or not all(isinstance(area, PolicyArea) for area in areas):
        raise ValidationError({"areas": _("Choose among the policy areas in use.")})
    return areas
