"""What digests are made of, read in a few queries: the news of a window (Material), what each agency owes
(Owed), and what waits for each reader of a batch alone (Personal). Nothing here decides who may see what:
digests.py checks every item against the visibility policy, per reader.

Material and Owed hold no reader's data, so one run of send_digests reads them once for all its batches.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Prefetch, Q
from django.utils import timezone

from committee.directory.models import Agency, CommitteeMembership
from committee.outbox.models import EmailChoice, Notification

from .models import AttendanceReply, Consultation, Decision, FollowUpAction, Meeting, PolicyArea, Proposal
from .permissions import involved_agency_ids

UPCOMING = datetime.timedelta(days=14)
ACTION_DUE_SOON = datetime.timedelta(days=7)  # the first reminder's stage (reminders.ACTION_DAYS_BEFORE)
# What a digest shows of a proposal and what its checks ask (committee, lead agency, submission): a week of a
# national committee's proposals is read lean, without their texts.
PROPOSAL_FIELDS = ("committee", "reference", "title", "lead_agency", "policy_area", "submitted_at")


def _involvement(prefix: str = "", areas: bool = True) -> list[Prefetch]:
    """The proposal's co-sponsors, consulted agencies and (if asked) secondary areas, ids only."""
    parts = [
        Prefetch(f"{prefix}co_sponsors", queryset=Agency.objects.only("id")),
        Prefetch(f"{prefix}consultations", queryset=Consultation.objects.only("id", "proposal_id", "agency_id")),
    ]
    if areas:
        parts.append(Prefetch(f"{prefix}secondary_areas", queryset=PolicyArea.objects.only("id")))
    return parts


class Index:
    """A list's items by committee and by agency, so that a reader's candidates are found without a pass over
    every item. Candidates are a superset of what the visibility policy lets the reader see (sees_proposal,
    sees_meeting and sees_action each require a superuser, a committee the reader reads, or the reader's agency
    leading, involved in or owing the item): the policy's own check still decides, item by item."""

    def __init__(self, items: list, committee_of: Callable, agencies_of: Callable[..., Iterable[int]] = lambda _: ()):
        self.items = items
        self.by_committee: dict[int, list[int]] = defaultdict(list)
        self.by_agency: dict[int, list[int]] = defaultdict(list)
        for position, item in enumerate(items):
            self.by_committee[committee_of(item)].append(position)
            for agency in agencies_of(item):
                self.by_agency[agency].append(position)

    def candidates(self, scope) -> list:
        """In the list's order."""
        if scope.superuser:
            return self.items
        positions = {p for committee in scope.readable_committees for p in self.by_committee.get(committee, ())}
        positions.update(self.by_agency.get(scope.agency_id, ()))
        return [self.items[position] for position in sorted(positions)]


def _prepare(proposal) -> None:
    """Read once what every reader's checks ask of a proposal: its areas and involved agencies."""
    if proposal is not None and not hasattr(proposal, "digest_areas"):
        proposal.digest_areas = {proposal.policy_area_id, *(area.pk for area in proposal.secondary_areas.all())}
        proposal.digest_involved = involved_agency_ids(proposal)


class Material:
    """Everything new in [since, now) that may go into a digest whose window lies within it, oldest first."""

    def __init__(self, since, now):
        self.since, self.now = since, now
        self.proposals = list(
            Proposal.objects.filter(submitted_at__gte=since, submitted_at__lt=now)
            .select_related("lead_agency", "policy_area")
            .only(*PROPOSAL_FIELDS, "lead_agency__acronym", "policy_area__name_ko", "policy_area__name_en")
            .prefetch_related(*_involvement())
            .order_by("submitted_at", "pk")
        )
        # Requests still awaiting an opinion, or answered: never one closed, withdrawn, or on a proposal already
        # decided or withdrawn, which would read as open.
        self.consultations = list(
            Consultation.objects.filter(requested_at__gte=since, requested_at__lt=now)
            .filter(Q(pk__in=Consultation.objects.outstanding().values("pk")) | Q(status=Consultation.Status.ANSWERED))
            .select_related("proposal", "agency")
            .only(
                "proposal",
                "agency__acronym",
                "deadline",
                "requested_at",
                "status",
                "late",
                *(f"proposal__{name}" for name in PROPOSAL_FIELDS),
            )
            .prefetch_related(*_involvement("proposal__"))
            .order_by("requested_at", "pk")
        )
        self.meetings = list(
            Meeting.objects.filter(
                Q(agenda_published_at__gte=since, agenda_published_at__lt=now)
                | Q(starts_at__gte=now, starts_at__lt=now + UPCOMING)
            )
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("starts_at", "pk")
        )
        self.decisions = list(
            Decision.objects.filter(created_at__gte=since, created_at__lt=now)
            .select_related("agenda_item__meeting", "agenda_item__proposal")
            .prefetch_related(*_involvement("agenda_item__proposal__"))
            .order_by("decided_at", "pk")
        )
        # News, not a backlog: the actions that fell overdue within the window (due in [its first Seoul day,
        # today)), still unfinished now.
        self.overdue_actions = list(
            FollowUpAction.objects.overdue(timezone.localdate(now))
            .filter(due_date__gte=timezone.localdate(since))
            .select_related("agency", "decision__agenda_item__meeting", "decision__agenda_item__proposal")
            .prefetch_related(*_involvement("decision__agenda_item__proposal__"))
            .order_by("due_date", "pk")
        )
        self._prepare_all()
        self.index = self._indexes()

    def _prepare_all(self) -> None:
        for proposal in self.proposals:
            _prepare(proposal)
        for consultation in self.consultations:
            _prepare(consultation.proposal)
        for decision in self.decisions:
            _prepare(decision.agenda_item.proposal)
        for action in self.overdue_actions:
            _prepare(action.decision.agenda_item.proposal)

    def _indexes(self) -> dict[str, Index]:
        def proposal_agencies(proposal):
            return {proposal.lead_agency_id, *proposal.digest_involved}

        def decided_in(decision):
            return decision.agenda_item.meeting.committee_id

        return {
            "proposals": Index(self.proposals, lambda p: p.committee_id, proposal_agencies),
            "consultations": Index(
                self.consultations, lambda c: c.proposal.committee_id, lambda c: proposal_agencies(c.proposal)
            ),
            "meetings": Index(self.meetings, lambda m: m.committee_id),
            "decisions": Index(self.decisions, decided_in),
            "overdue_actions": Index(self.overdue_actions, lambda a: decided_in(a.decision), lambda a: (a.agency_id,)),
        }


class Owed:
    """What the given agencies owe, whoever reads it: opinions still wanted of them, most urgent first, and
    their unfinished follow-up actions due within ACTION_DUE_SOON or overdue, however long ago."""

    def __init__(self, agencies, now):
        self.agencies = frozenset(agencies)
        self.today = timezone.localdate(now)
        # Every one is counted, though few are listed: thousands of rows at national scale, read lean.
        self.consultations = list(
            Consultation.objects.outstanding()
            .filter(agency_id__in=self.agencies)
            .select_related("proposal")
            .only("agency", "deadline", "proposal", *(f"proposal__{name}" for name in PROPOSAL_FIELDS))
            .prefetch_related(*_involvement("proposal__", areas=False))
            .order_by("deadline", "pk")
        )
        for consultation in self.consultations:
            consultation.proposal.digest_involved = involved_agency_ids(consultation.proposal)
        self.actions = list(
            FollowUpAction.objects.unfinished()
            .filter(agency_id__in=self.agencies, due_date__lte=self.today + ACTION_DUE_SOON)
            .select_related("decision__agenda_item__meeting")
            .only("agency", "title", "due_date", "percent_complete", "decision__agenda_item__meeting__committee")
            .order_by("due_date", "pk")
        )


class Personal:
    """What waits for each reader of one batch alone: invitations they have not answered, and the notifications
    they chose to hear of only in their digest (already sent through the notification gate)."""

    def __init__(self, user_ids, since, now):
        self.held = self._held_notifications(user_ids, since, now)
        self.unanswered = self._unanswered_invitations(user_ids, now)

    @staticmethod
    def _unanswered_invitations(user_ids, now) -> dict[int, list[Meeting]]:
        """Meetings within the upcoming fortnight whose invitation (sent when the agenda is published) a reader
        has not answered, though a member of the committee on the meeting day: what the reply verb would take."""
        meetings = list(
            Meeting.objects.filter(
                status=Meeting.Status.AGENDA_PUBLISHED, starts_at__gt=now, starts_at__lt=now + UPCOMING
            ).order_by("starts_at", "pk")
        )
        if not meetings:
            return {}
        memberships = list(
            CommitteeMembership.objects.filter(
                user_id__in=user_ids, committee_id__in={meeting.committee_id for meeting in meetings}
            ).only("user_id", "committee_id", "term_start", "term_end")
        )
        replied = set(
            AttendanceReply.objects.filter(meeting__in=meetings, member_id__in=user_ids).values_list(
                "meeting_id", "member_id"
            )
        )
        unanswered: dict[int, list[Meeting]] = {}
        for meeting in meetings:
            day = timezone.localtime(meeting.starts_at).date()
            invited = {
                membership.user_id
                for membership in memberships
                if membership.committee_id == meeting.committee_id
                and membership.term_start <= day
                and (membership.term_end is None or day <= membership.term_end)
            }
            for user_id in sorted(invited):
                if (meeting.pk, user_id) not in replied:
                    unanswered.setdefault(user_id, []).append(meeting)
        return unanswered

    @staticmethod
    def _held_notifications(user_ids, since, now) -> dict[int, list]:
        chosen = EmailChoice.objects.filter(user_id__in=user_ids, delivery=EmailChoice.Delivery.DIGEST)
        held = {}
        rows = Notification.objects.filter(
            recipient_id__in=user_ids, created_at__gte=since, created_at__lt=now, kind__in=chosen.values("kind")
        ).order_by("created_at", "pk")
        kinds = {(user_id, kind) for user_id, kind in chosen.values_list("user_id", "kind")}
        for row in rows.only("recipient_id", "kind", "subject", "url", "created_at"):
            if (row.recipient_id, row.kind) in kinds:
                held.setdefault(row.recipient_id, []).append(row)
        return held
