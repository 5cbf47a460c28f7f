"""Who may see and do what: the one policy used by the portal, the API and the admin.

Querysets are restricted to what a user may see (`visible_*`), single actions are
answered by `can_*`, and anything not granted here is denied.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from committee.directory.models import Committee
from committee.directory.scope import Scope, scope_of

from .models import (
    AgendaItem,
    Consultation,
    Decision,
    FollowUpAction,
    Meeting,
    MeetingDocument,
    Minutes,
    OpinionAttachment,
    ProgressReport,
    ProgressReportAttachment,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
)
from .workflow import EDITABLE_STATES, Actor, workflow_of

# --- what a user may see -------------------------------------------------------------------------


def visible_proposals(user, queryset: QuerySet | None = None) -> QuerySet:
    """Own agency's proposals in any state, and every proposal of one's committees once submitted.

    Drafts of other agencies are not merely forbidden but invisible to liaisons and members, so their
    existence does not leak. The committee's secretariat sees its committee's drafts too: it helps agencies
    prepare them and counts them on its dashboard, though it never edits or submits them.
    """
    queryset = Proposal.objects.all() if queryset is None else queryset
    scope = scope_of(user)
    if not scope.authenticated:
        return queryset.none()
    if scope.superuser:
        return queryset
    rule = Q(committee_id__in=scope.staffed)
    if scope.agency_id:
        rule |= Q(lead_agency_id=scope.agency_id)
        # Co-sponsors and consulted agencies have a say in the proposal, even from outside its committee.
        cosponsored = Proposal.co_sponsors.through.objects.filter(proposal_id=OuterRef("pk"), agency_id=scope.agency_id)
        consulted = Consultation.objects.filter(proposal_id=OuterRef("pk"), agency_id=scope.agency_id)
        rule |= Q(Exists(cosponsored) | Exists(consulted), submitted_at__isnull=False)
    others = scope.member_of | scope.agency_committees
    if others:
        rule |= Q(committee_id__in=others, submitted_at__isnull=False)
    return queryset.filter(rule)


def visible_consultations(user, queryset: QuerySet | None = None) -> QuerySet:
    """Consultations are part of the proposal file: whoever sees the proposal sees its opinions."""
    queryset = Consultation.objects.all() if queryset is None else queryset
    return queryset.filter(proposal__in=visible_proposals(user).values("pk"))


def visible_events(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = ProposalEvent.objects.all() if queryset is None else queryset
    return queryset.filter(proposal__in=visible_proposals(user).values("pk"))


def visible_attachments(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = ProposalAttachment.objects.all() if queryset is None else queryset
    return queryset.filter(proposal__in=visible_proposals(user).values("pk"))


def visible_opinion_attachments(user, queryset: QuerySet | None = None) -> QuerySet:
    """An opinion's files are seen by whoever sees the opinion."""
    queryset = OpinionAttachment.objects.all() if queryset is None else queryset
    return queryset.filter(consultation__in=visible_consultations(user).values("pk"))


def visible_progress_attachments(user, queryset: QuerySet | None = None) -> QuerySet:
    """A progress report's files are seen by whoever sees its follow-up action."""
    queryset = ProgressReportAttachment.objects.all() if queryset is None else queryset
    return queryset.filter(report__action__in=visible_actions(user).values("pk"))


def visible_meetings(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Meeting.objects.all() if queryset is None else queryset
    scope = scope_of(user)
    if not scope.authenticated:
        return queryset.none()
    if scope.superuser:
        return queryset
    return queryset.filter(committee_id__in=scope.readable_committees)


def visible_meeting_documents(user, queryset: QuerySet | None = None) -> QuerySet:
    """A meeting's papers: whoever sees the meeting, and the agencies with an item on its agenda.

    An agency presenting an item or leading a proposal on the agenda reads the book of that meeting even when
    it is not one of the committee's agencies; nobody else outside the committee does.
    """
    queryset = MeetingDocument.objects.all() if queryset is None else queryset
    scope = scope_of(user)
    if not scope.authenticated:
        return queryset.none()
    if scope.superuser:
        return queryset
    rule = Q(meeting__committee_id__in=scope.readable_committees)
    if scope.agency_id:
        on_agenda = AgendaItem.objects.filter(meeting_id=OuterRef("meeting_id")).filter(
            Q(presenter_id=scope.agency_id) | Q(proposal__lead_agency_id=scope.agency_id)
        )
        rule |= Q(Exists(on_agenda))
    return queryset.filter(rule)


def visible_minutes(user, queryset: QuerySet | None = None) -> QuerySet:
    """Minutes in review or final: whoever sees the meeting. A draft is the secretariat's working paper."""
    queryset = Minutes.objects.all() if queryset is None else queryset
    scope = scope_of(user)
    if not scope.authenticated:
        return queryset.none()
    if scope.superuser:
        return queryset
    shown = Q(meeting__committee_id__in=scope.readable_committees) & ~Q(status=Minutes.Status.DRAFT)
    return queryset.filter(shown | Q(meeting__committee_id__in=scope.staffed))


def visible_agenda_items(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = AgendaItem.objects.all() if queryset is None else queryset
    return queryset.filter(meeting__in=visible_meetings(user).values("pk"))


def visible_decisions(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Decision.objects.all() if queryset is None else queryset
    return queryset.filter(agenda_item__meeting__in=visible_meetings(user).values("pk"))


def public_decisions(queryset: QuerySet | None = None) -> QuerySet:
    """What anyone may read, signed in or not: the decisions the secretariat made public (the register).

    Public means made_public_at is set; the register shows of them only what it chooses to
    (policies/queries/register.py), never the resolution, the votes or who recorded them.
    """
    queryset = Decision.objects.all() if queryset is None else queryset
    return queryset.filter(made_public_at__isnull=False)


def visible_actions(user, queryset: QuerySet | None = None) -> QuerySet:
    """Follow-up actions of visible decisions, plus every action assigned to one's own agency."""
    queryset = FollowUpAction.objects.all() if queryset is None else queryset
    scope = scope_of(user)
    if not scope.authenticated:
        return queryset.none()
    if scope.superuser:
        return queryset
    rule = Q(decision__agenda_item__meeting__committee_id__in=scope.readable_committees)
    if scope.agency_id:
        rule |= Q(agency_id=scope.agency_id)
    return queryset.filter(rule)


# --- what a user may do -------------------------------------------------------------------------


def actors_for(user, obj: Proposal | Consultation | Meeting | Minutes | FollowUpAction) -> set[Actor]:
    """The capacities in which `user` acts on a proposal, consultation, meeting, minutes or follow-up action."""
    scope = scope_of(user)
    actors = set()
    if isinstance(obj, Minutes):
        committee_id = obj.meeting.committee_id
        if scope.staffs(committee_id):
            actors.add(Actor.SECRETARIAT)
        if committee_id in scope.member_of:
            actors.add(Actor.MEMBER)
        return actors
    if isinstance(obj, FollowUpAction):
        if scope.agency_id and scope.agency_id == obj.agency_id:
            actors.add(Actor.RESPONSIBLE_LIAISON)
        # Only someone who staffs a committee needs the action's committee looked up.
        if (scope.superuser or scope.staffed) and scope.staffs(committee_id_of(obj)):
            actors.add(Actor.SECRETARIAT)
        return actors
    if isinstance(obj, Consultation):
        if scope.agency_id and scope.agency_id == obj.agency_id:
            actors.add(Actor.CONSULTED_LIAISON)
        if scope.staffs(obj.proposal.committee_id):
            actors.add(Actor.SECRETARIAT)
        return actors
    if scope.staffs(obj.committee_id):
        actors.add(Actor.SECRETARIAT)
    if isinstance(obj, Proposal) and scope.agency_id and scope.agency_id == obj.lead_agency_id:
        actors.add(Actor.LEAD_LIAISON)
    return actors


def allowed_actions(user, obj: Proposal | Consultation | Meeting | Minutes | FollowUpAction) -> list[str]:
    """What `user` may do to the object now: the actions its workflow table offers their role in its state."""
    table, state = workflow_of(obj)
    return table.available(state, actors_for(user, obj))


def can_draft_for(user, committee: Committee, agency_id: int | None) -> bool:
    """Liaisons draft proposals for their own agency, in committees their agency belongs to."""
    scope = scope_of(user)
    return bool(scope.agency_id) and scope.agency_id == agency_id and committee.pk in scope.agency_committees


def can_edit_proposal(user, proposal: Proposal) -> bool:
    """Only the lead agency changes a proposal's text, and only while it is a draft or returned."""
    return Actor.LEAD_LIAISON in actors_for(user, proposal) and proposal.state in EDITABLE_STATES


def can_give_opinion(user, consultation: Consultation) -> bool:
    scope = scope_of(user)
    return bool(scope.agency_id) and scope.agency_id == consultation.agency_id


def can_report_progress(user, action: FollowUpAction) -> bool:
    scope = scope_of(user)
    return bool(scope.agency_id) and scope.agency_id == action.agency_id


# --- the same rules for objects already in memory (batch work such as digests) ------------------


def involved_agency_ids(proposal: Proposal) -> set[int]:
    """Co-sponsoring and consulted agencies; prefetch `co_sponsors` and `consultations` when calling in a loop."""
    return {agency.pk for agency in proposal.co_sponsors.all()} | {
        consultation.agency_id for consultation in proposal.consultations.all()
    }


def sees_proposal(scope: Scope, proposal: Proposal, involved_ids) -> bool:
    """`visible_proposals` for one proposal in memory; keep the two in step (tests compare them)."""
    if not scope.authenticated:
        return False
    if scope.superuser or proposal.committee_id in scope.staffed:
        return True
    if scope.agency_id and scope.agency_id == proposal.lead_agency_id:
        return True
    submitted = proposal.submitted_at is not None
    if submitted and scope.agency_id and scope.agency_id in involved_ids:
        return True
    return submitted and proposal.committee_id in (scope.member_of | scope.agency_committees)


def sees_meeting(scope: Scope, committee_id: int) -> bool:
    """`visible_meetings` (and so agenda items and decisions) for a meeting of this committee."""
    return scope.authenticated and (scope.superuser or committee_id in scope.readable_committees)


def sees_action(scope: Scope, action: FollowUpAction, committee_id: int) -> bool:
    """`visible_actions` for one action in memory, given its decision's committee."""
    if not scope.authenticated:
        return False
    return scope.superuser or committee_id in scope.readable_committees or scope.agency_id == action.agency_id


def committee_id_of(obj) -> int:
    """The committee whose business an object of the policy lifecycle is (its proposal's or meeting's)."""
    if isinstance(obj, Proposal | Meeting):
        return obj.committee_id
    if isinstance(obj, Consultation | ProposalEvent | ProposalAttachment):
        return obj.proposal.committee_id
    if isinstance(obj, AgendaItem | Minutes):
        return obj.meeting.committee_id
    if isinstance(obj, Decision):
        return obj.agenda_item.meeting.committee_id
    if isinstance(obj, FollowUpAction):
        return obj.decision.agenda_item.meeting.committee_id
    if isinstance(obj, ProgressReport):
        return committee_id_of(obj.action)
    if isinstance(obj, OpinionAttachment):
        return committee_id_of(obj.consultation)
    if isinstance(obj, ProgressReportAttachment):
        return committee_id_of(obj.report)
    raise TypeError(f"No committee rule for {type(obj).__name__}")


def sees(scope: Scope, obj, involved_ids=None) -> bool:
    """`visible_*` for one object in memory, whatever its kind; an object of no known kind is seen by nobody.

    `involved_ids` (see `involved_agency_ids`) saves two queries per call when the caller asks about the
    same proposal for many people.
    """
    if isinstance(obj, Proposal):
        return sees_proposal(scope, obj, involved_agency_ids(obj) if involved_ids is None else involved_ids)
    if isinstance(obj, Consultation | ProposalEvent | ProposalAttachment):
        return sees(scope, obj.proposal, involved_ids)
    if isinstance(obj, Meeting | AgendaItem | Decision):
        return sees_meeting(scope, committee_id_of(obj))
    if isinstance(obj, FollowUpAction):
        return sees_action(scope, obj, committee_id_of(obj))
    if isinstance(obj, ProgressReport):
        return sees(scope, obj.action)
    if isinstance(obj, OpinionAttachment):
        return sees(scope, obj.consultation, involved_ids)
    if isinstance(obj, ProgressReportAttachment):
        return sees(scope, obj.report)
    return False
