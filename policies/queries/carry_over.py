"""Carry-over: what belongs on a meeting's agenda that the secretariat has not put there yet, each with why.

`agenda_suggestions(meeting)` proposes, in this order: proposals deferred at earlier meetings (most deferrals
first), other accepted proposals waiting for a meeting (longest waiting first), the follow-up actions of the
committee's decisions that are overdue or reported done and awaiting verification (as report items), and
minutes awaiting approval. Only the meeting's committee's business, only what the given user may see, never
what is already on this agenda; a constant number of queries however many suggestions there are.
"""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committee.dates import seoul_today
from policies.models import AgendaItem, Decision, FollowUpAction, Meeting, Minutes, Proposal, ProposalEvent
from policies.permissions import visible_actions, visible_minutes, visible_proposals
from policies.workflow import PROPOSALS


class SuggestionKind(StrEnum):
    """What a suggestion puts on the agenda (its `object_id` is of this kind); part of the API."""

    PROPOSAL = "proposal"
    FOLLOW_UP_ACTION = "follow_up_action"
    MINUTES = "minutes"


class Why(StrEnum):
    """Why it is suggested, as a stable code beside the words (`reason`); part of the API."""

    DEFERRED = "deferred"  # a proposal deferred at one or more earlier meetings, back to accepted
    ACCEPTED = "accepted"  # accepted for an agenda and not yet scheduled
    OVERDUE = "overdue"  # a follow-up action past its due date and not done
    AWAITING_VERIFICATION = "awaiting_verification"  # a follow-up action reported done, not yet verified
    MINUTES_AWAITING_APPROVAL = "minutes_awaiting_approval"


@dataclass(frozen=True)
class Suggestion:
    """One thing the agenda could take: what it is, why it is suggested, and the agenda item it would become."""

    kind: SuggestionKind
    object_id: int
    title: str  # how the desk and the API name it (a proposal's reference and title, an action's title)
    why: Why
    reason: str  # why, in words, in the language active when the suggestions were read
    item: dict = field(compare=False, repr=False)  # keyword arguments of services.add_agenda_item
    times_deferred: int = 0

    @property
    def key(self) -> str:
        """A stable name for a form's checkbox: kind and id."""
        return f"{self.kind}-{self.object_id}"

    @property
    def item_kind(self) -> str:
        return self.item["kind"]


def agenda_suggestions(meeting: Meeting, *, user=None) -> list[Suggestion]:
    """What the secretariat may want on this meeting's agenda, in the order above; `user` limits it to what they
    may see (policies.permissions). Five queries at most, whatever the number of suggestions."""
    today = seoul_today()
    return [
        *_proposals(meeting, user),
        *_follow_up_actions(meeting, user, today),
        *_minutes_awaiting_approval(meeting, user),
    ]


def _day(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _proposal_title(proposal: Proposal) -> str:
    return f"{proposal.reference} {proposal.title}" if proposal.reference else proposal.title


def _proposals(meeting: Meeting, user) -> list[Suggestion]:
    """Accepted proposals of the committee, deferred ones first; two queries (one when none was deferred)."""
    accepted_at = (
        ProposalEvent.objects.filter(proposal=OuterRef("pk"), action=ProposalEvent.Action.ACCEPT)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    proposals = Proposal.objects.filter(
        committee_id=meeting.committee_id, state__in=PROPOSALS.states_allowing("schedule")
    )
    if user is not None:
        proposals = visible_proposals(user, proposals)
    proposals = list(
        proposals.select_related("lead_agency")
        .annotate(
            accepted_at=Subquery(accepted_at),
            times_deferred=Count(
                "agenda_items__decision", filter=Q(agenda_items__decision__outcome=Decision.Outcome.DEFERRED)
            ),
        )
        .order_by("pk")
    )
    deferrals = _deferrals([p.pk for p in proposals if p.times_deferred])
    far_past = timezone.make_aware(datetime.datetime(2000, 1, 1))

    def order(proposal):
        if proposal.times_deferred:
            # Most deferrals first; among equals, the one deferred longest ago.
            return (0, -proposal.times_deferred, deferrals[proposal.pk][-1][1], proposal.pk)
        return (1, 0, proposal.accepted_at or far_past, proposal.pk)

    suggestions = []
    for proposal in sorted(proposals, key=order):
        item = {"kind": AgendaItem.Kind.PROPOSAL, "proposal": proposal}
        if proposal.times_deferred:
            meetings = ", ".join(f"{title} ({_day(when)})" for title, when in deferrals[proposal.pk])
            reason = ngettext(
                "Deferred %(count)d time: %(meetings)s.",
                "Deferred %(count)d times: %(meetings)s.",
                proposal.times_deferred,
            ) % {"count": proposal.times_deferred, "meetings": meetings}
            why = Why.DEFERRED
        else:
            accepted = proposal.accepted_at or proposal.updated_at  # rows from before the timeline recorded it
            reason = _("Accepted on %(date)s, not yet scheduled.") % {"date": _day(accepted)}
            why = Why.ACCEPTED
        suggestions.append(
            Suggestion(
                kind=SuggestionKind.PROPOSAL,
                object_id=proposal.pk,
                title=_proposal_title(proposal),
                why=why,
                reason=reason,
                item=item,
                times_deferred=proposal.times_deferred,
            )
        )
    return suggestions


def _deferrals(proposal_ids: list[int]) -> dict[int, list[tuple[str, datetime.datetime]]]:
    """Per proposal, the meetings that deferred it (title, when decided), earliest first; one query or none."""
    if not proposal_ids:
        return {}
    found: dict[int, list[tuple[str, datetime.datetime]]] = {}
    decisions = (
        Decision.objects.filter(outcome=Decision.Outcome.DEFERRED, agenda_item__proposal_id__in=proposal_ids)
        .order_by("decided_at", "pk")
        .values_list("agenda_item__proposal_id", "agenda_item__meeting__title", "decided_at")
    )
    for proposal_id, title, decided_at in decisions:
        found.setdefault(proposal_id, []).append((title, decided_at))
    return found


def _follow_up_actions(meeting: Meeting, user, today: datetime.date) -> list[Suggestion]:
    """Overdue actions (earliest due first), then actions reported done awaiting verification (earliest report
    first), of the committee's decisions and not already on this agenda; one query."""
    Status = FollowUpAction.Status
    overdue = Q(due_date__lt=today) & ~Q(status=Status.DONE)
    reported_done = Q(status=Status.DONE, verified_at__isnull=True)
    actions = FollowUpAction.objects.filter(decision__agenda_item__meeting__committee_id=meeting.committee_id).filter(
        overdue | reported_done
    )
    if user is not None:
        actions = visible_actions(user, actions)
    on_this_agenda = AgendaItem.objects.filter(meeting=meeting, follow_up_action=OuterRef("pk"))
    actions = actions.exclude(Exists(on_this_agenda))
    actions = list(actions.select_related("agency", "decision").order_by("pk"))

    def order(action):
        if action.status == Status.DONE:
            return (1, action.done_reported_at or timezone.now(), action.pk)
        return (0, action.due_date, action.pk)

    suggestions = []
    for action in sorted(actions, key=order):
        agency = action.agency.acronym
        if action.status == Status.DONE:
            why = Why.AWAITING_VERIFICATION
            reason = _("Reported done on %(date)s by %(agency)s, awaiting verification.") % {
                "date": _day(action.done_reported_at),
                "agency": agency,
            }
        else:
            why = Why.OVERDUE
            reason = _("Overdue since %(date)s (%(agency)s, %(percent)s%% complete).") % {
                "date": (action.due_date + datetime.timedelta(days=1)).isoformat(),
                "agency": agency,
                "percent": action.percent_complete,
            }
        suggestions.append(
            Suggestion(
                kind=SuggestionKind.FOLLOW_UP_ACTION,
                object_id=action.pk,
                title=action.title,
                why=why,
                reason=reason,
                item=_report_item(meeting, action, why),
            )
        )
    return suggestions


def _report_item(meeting: Meeting, action: FollowUpAction, why: Why) -> dict:
    """The report item an action becomes: its title and status in the meeting's language (that of its papers)."""
    with translation.override(meeting.language):
        if why == Why.AWAITING_VERIFICATION:
            status = _("Reported done on %(date)s; awaiting the secretariat's verification.") % {
                "date": _day(action.done_reported_at)
            }
        else:
            status = _("Due on %(date)s and overdue; %(percent)s%% complete.") % {
                "date": action.due_date.isoformat(),
                "percent": action.percent_complete,
            }
        title = _("Follow-up action report: %(title)s") % {"title": action.title}
        notes = _("Decision %(number)s, %(agency)s. %(status)s") % {
            "number": action.decision.number,
            "agency": action.agency.acronym,
            "status": status,
        }
    return {
        "kind": AgendaItem.Kind.REPORT,
        "title": title[: AgendaItem._meta.get_field("title").max_length],
        "notes": notes,
        "presenter": action.agency,
        "follow_up_action": action,
    }


def _minutes_awaiting_approval(meeting: Meeting, user) -> list[Suggestion]:
    """Minutes of the committee's earlier meetings in review, awaiting the committee's approval, oldest meeting
    first, as report items; not those already on this agenda. One query."""
    minutes = Minutes.objects.filter(
        meeting__committee_id=meeting.committee_id, status=Minutes.Status.IN_REVIEW
    ).exclude(meeting=meeting)
    if user is not None:
        minutes = visible_minutes(user, minutes)
    on_this_agenda = AgendaItem.objects.filter(meeting=meeting, minutes=OuterRef("pk"))
    minutes = minutes.exclude(Exists(on_this_agenda)).select_related("meeting").order_by("meeting__starts_at", "pk")
    suggestions = []
    for draft in minutes:
        held = draft.meeting
        reason = _("Minutes of %(meeting)s (%(date)s), in review since %(since)s; comments due %(deadline)s.") % {
            "meeting": held.title,
            "date": _day(held.starts_at),
            "since": _day(draft.sent_for_review_at),
            "deadline": draft.review_deadline.isoformat() if draft.review_deadline else "",
        }
        with translation.override(meeting.language):
            title = _("Approval of the minutes: %(meeting)s") % {"meeting": held.title}
            notes = _("Minutes of the meeting of %(date)s, in review; comments due %(deadline)s.") % {
                "date": _day(held.starts_at),
                "deadline": draft.review_deadline.isoformat() if draft.review_deadline else "",
            }
        suggestions.append(
            Suggestion(
                kind=SuggestionKind.MINUTES,
                object_id=draft.pk,
                title=str(draft),
                why=Why.MINUTES_AWAITING_APPROVAL,
                reason=reason,
                item={
                    "kind": AgendaItem.Kind.REPORT,
                    "title": title[: AgendaItem._meta.get_field("title").max_length],
                    "notes": notes,
                    "minutes": draft,
                },
            )
        )
    return suggestions
