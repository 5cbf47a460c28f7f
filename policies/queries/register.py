"""Reads for the public decision register (/register/): what anyone may read of the decisions made public.

Guarantees:
- only decisions in `permissions.public_decisions` (made public by the secretariat) are ever read here;
- what leaves this module is a `RegisterEntry`, which holds the public fields and nothing else: number, date,
  committee, title, policy area, outcome, public summary and the follow-up actions counted by status. Never
  the resolution, the votes, who recorded the decision or who made it public, the actions' agencies or text;
- a page of the register costs the same few queries whatever the number of decisions or actions.
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from committee.directory.models import Committee
from policies.models import Decision, FollowUpAction, PolicyArea, Proposal
from policies.permissions import public_decisions
from policies.search import terms_of

PAGE_SIZE = 20
FEED_SIZE = 50

# What a visitor's words are looked for in: the number, the item's or proposal's title and the public summary.
# Not the resolution, not the proposal's internal text: a search must not tell what the page would not show.
SEARCH_FIELDS = ("number", "agenda_item__title", "agenda_item__proposal__title", "public_summary")


@dataclass(frozen=True)
class ActionCounts:
    """A public decision's follow-up actions by status (done counts reported done, verified or not)."""

    open: int
    in_progress: int
    done: int

    @property
    def total(self) -> int:
        return self.open + self.in_progress + self.done


@dataclass(frozen=True)
class RegisterEntry:
    """One public decision as the register shows it: nothing here is internal."""

    number: str
    decided_on: datetime.date
    committee_code: str
    committee_name: str
    title: str
    policy_area: str  # empty for an item without a proposal
    outcome: str  # Decision.Outcome value
    outcome_label: str
    public_summary: str
    made_public_at: datetime.datetime
    actions: ActionCounts


@dataclass(frozen=True)
class RegisterQuery:
    """What a visitor asked for: words, and optionally a committee (code), a policy area (code) and a year."""

    text: str = ""
    committee: str = ""
    area: str = ""
    year: int | None = None


@dataclass(frozen=True)
class RegisterChoices:
    """What the filters offer: committees with public decisions, the policy areas, the years with decisions."""

    committees: list[tuple[str, str]]
    areas: list[tuple[str, str]]
    years: list[int]


def _register_rows() -> QuerySet:
    """Public decisions with what an entry needs, in one query: the joins are all to-one, the counts grouped."""
    status = FollowUpAction.Status
    return (
        public_decisions()
        .select_related("agenda_item__meeting__committee", "agenda_item__proposal__policy_area")
        .annotate(
            actions_open=Count("follow_up_actions", filter=Q(follow_up_actions__status=status.OPEN)),
            actions_in_progress=Count("follow_up_actions", filter=Q(follow_up_actions__status=status.IN_PROGRESS)),
            actions_done=Count("follow_up_actions", filter=Q(follow_up_actions__status=status.DONE)),
        )
    )


def _entry(decision: Decision) -> RegisterEntry:
    item = decision.agenda_item
    proposal = item.proposal
    return RegisterEntry(
        number=decision.number,
        decided_on=timezone.localtime(decision.decided_at).date(),
        committee_code=item.meeting.committee.code,
        committee_name=item.meeting.committee.name,
        title=item.display_title,
        policy_area=proposal.policy_area.name if proposal is not None else "",
        outcome=decision.outcome,
        outcome_label=decision.get_outcome_display(),
        public_summary=decision.public_summary,
        made_public_at=decision.made_public_at,
        actions=ActionCounts(decision.actions_open, decision.actions_in_progress, decision.actions_done),
    )


def _matching(rows: QuerySet, query: RegisterQuery) -> QuerySet:
    terms = terms_of(query.text or "")
    if terms:
        per_term = [reduce(or_, (Q(**{f"{field}__icontains": term}) for field in SEARCH_FIELDS)) for term in terms]
        rows = rows.filter(reduce(and_, per_term))
    if query.committee:
        rows = rows.filter(agenda_item__meeting__committee__code=query.committee)
    if query.area:
        # The proposal's primary area or one of its secondary ones; EXISTS, so no decision is listed twice.
        secondary = Proposal.secondary_areas.through.objects.filter(
            proposal_id=OuterRef("agenda_item__proposal_id"), policyarea__code=query.area
        )
        rows = rows.filter(Q(agenda_item__proposal__policy_area__code=query.area) | Exists(secondary))
    if query.year is not None:
        rows = rows.filter(decided_at__year=query.year)  # the year in Seoul (TIME_ZONE), as a range on the index
    return rows


def search_register(query: RegisterQuery) -> QuerySet:
    """The public decisions matching the query, newest decision first (the `decision_public` index's order)."""
    return _matching(_register_rows(), query).order_by("-decided_at", "-id")


def register_page(query: RegisterQuery, page_number=None, *, per_page: int | None = None) -> Page:
    """One page of the register as RegisterEntry rows; a page number out of range gives the nearest page.

    Two queries: the count and the page's rows with their action counts.
    """
    page = Paginator(search_register(query), per_page or PAGE_SIZE).get_page(page_number)
    page.object_list = [_entry(decision) for decision in page.object_list]
    return page


def no_entries() -> Page:
    """An empty page, for a request whose filters could not be read (the form says why)."""
    return Paginator([], PAGE_SIZE).get_page(1)


def public_entry(number: str) -> RegisterEntry | None:
    """The public decision with this number, or None when there is none or it is not public."""
    decision = _register_rows().filter(number=number).first()
    return _entry(decision) if decision is not None else None


def latest_entries(limit: int = FEED_SIZE) -> list[RegisterEntry]:
    """The decisions made public most recently, for the feed: what is new to the public comes first."""
    rows = _register_rows().order_by("-made_public_at", "-id")[:limit]
    return [_entry(decision) for decision in rows]


def last_made_public_at() -> datetime.datetime | None:
    return public_decisions().aggregate(at=Max("made_public_at"))["at"]


def filter_choices() -> RegisterChoices:
    """Three queries, whatever the number of decisions."""
    public = public_decisions()
    committees = Committee.objects.filter(meetings__items__decision__in=public.values("pk")).distinct().order_by("code")
    areas = PolicyArea.objects.filter(is_active=True).order_by("position", "code")
    years = public.datetimes("decided_at", "year", order="DESC")  # in Seoul time (TIME_ZONE)
    return RegisterChoices(
        committees=[(committee.code, f"{committee.code} {committee.name}") for committee in committees],
        areas=[(area.code, area.name) for area in areas],
        years=[moment.year for moment in years],
    )
