"""Deadline reminders, computed from the database on every run: consultations, follow-up actions, agenda cut-offs.

Each run works out which stage every open item is in today (Asia/Seoul) and writes one letter per
(item, stage, recipient) with a unique deduplication key, so running twice, or every few minutes, sends each
stage once. A run that was missed catches up with the stage that applies now; earlier stages are skipped.
Nobody is reminded of what they already did: answered consultations and done actions drop out of the queries.
Reminders pass the same gate as every other letter (`notifications.audience`): nobody is reminded of what
they may not see.
"""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from committee.directory.models import Committee
from committee.outbox.delivery import post, taken_keys

from .models import AgendaItem, Consultation, FollowUpAction, Meeting
from .notifications import Kind, audience, letter_about, meeting_link, portal_link, proposal_link
from .permissions import scopes_of
from .workflow import OPINION_CLOSED_STATES

CONSULTATION_DAYS_BEFORE = (3, 1)
ACTION_DAYS_BEFORE = (7, 1)
CUTOFF_DAYS_BEFORE = 3


class Draft:
    """A reminder not yet rendered: rendering waits until we know its key was not used before."""

    def __init__(self, about, person, template, context, *, kind, dedup_key, url):
        self.about, self.person, self.template, self.context = about, person, template, context
        self.kind, self.dedup_key, self.url = kind, dedup_key, url

    def render(self):
        return letter_about(
            self.about, self.person, self.template, self.context, kind=self.kind, dedup_key=self.dedup_key, url=self.url
        )


class Liaisons:
    """The active liaisons of some agencies and their scopes, read once per run for every item."""

    def __init__(self, agency_ids):
        people = list(
            get_user_model()
            .objects.filter(profile__agency_id__in=set(agency_ids), is_active=True)
            .select_related("profile")
            .order_by("pk")
        )
        self.scopes = scopes_of(people)
        self.by_agency = defaultdict(list)
        for person in people:
            self.by_agency[person.profile.agency_id].append(person)

    def of(self, agency_id, about) -> list:
        """The agency's liaisons who may see `about`."""
        return audience(about, self.by_agency[agency_id], scopes=self.scopes)


def stage_before(days_left: int, thresholds: tuple[int, ...]) -> str | None:
    """The most urgent "N days before" stage that applies, e.g. 2 days left with (3, 1) -> "d3"."""
    applicable = [n for n in thresholds if days_left <= n]
    return f"d{min(applicable)}" if applicable else None


def consultation_stage(consultation, today) -> str | None:
    days_left = (consultation.deadline - today).days
    if days_left < 0:
        return "overdue"
    return stage_before(days_left, CONSULTATION_DAYS_BEFORE)


def action_stage(action, today) -> str | None:
    """7 and 1 days before, then on the first overdue day and once a week while it stays overdue."""
    days_left = (action.due_date - today).days
    if days_left < 0:
        return f"overdue-w{(-days_left - 1) // 7}"
    return stage_before(days_left, ACTION_DAYS_BEFORE)


def consultation_letters(today) -> list:
    horizon = today + datetime.timedelta(days=max(CONSULTATION_DAYS_BEFORE))
    consultations = list(
        Consultation.objects.awaiting_opinion()
        .filter(deadline__lte=horizon)
        .exclude(proposal__state__in=OPINION_CLOSED_STATES)
        .select_related("proposal", "agency")
        .prefetch_related("proposal__co_sponsors", "proposal__consultations")
    )
    liaisons = Liaisons(c.agency_id for c in consultations)
    letters = []
    for consultation in consultations:
        stage = consultation_stage(consultation, today)
        if stage is None:
            continue
        context = {
            "consultation": consultation,
            "proposal": consultation.proposal,
            "overdue": stage == "overdue",
            "days_left": (consultation.deadline - today).days,
        }
        for person in liaisons.of(consultation.agency_id, consultation):
            letters.append(
                Draft(
                    consultation,
                    person,
                    "reminder-consultation",
                    context,
                    kind=Kind.REMINDER_CONSULTATION,
                    dedup_key=f"reminder:consultation:{consultation.pk}:{consultation.deadline}:{stage}:{person.pk}",
                    url=proposal_link(consultation.proposal),
                )
            )
    return letters


def action_letters(today) -> list:
    horizon = today + datetime.timedelta(days=max(ACTION_DAYS_BEFORE))
    actions = list(
        FollowUpAction.objects.unfinished()
        .filter(due_date__lte=horizon)
        .select_related("agency", "decision__agenda_item__meeting")
    )
    liaisons = Liaisons(a.agency_id for a in actions)
    letters = []
    for action in actions:
        stage = action_stage(action, today)
        if stage is None:
            continue
        days_left = (action.due_date - today).days
        context = {"action": action, "overdue": days_left < 0, "days_left": days_left, "days_overdue": -days_left}
        for person in liaisons.of(action.agency_id, action):
            letters.append(
                Draft(
                    action,
                    person,
                    "reminder-action",
                    context,
                    kind=Kind.REMINDER_ACTION,
                    dedup_key=f"reminder:action:{action.pk}:{action.due_date}:{stage}:{person.pk}",
                    url=portal_link("action_progress", action.pk, f"/actions/{action.pk}/progress/"),
                )
            )
    return letters


def cutoff_letters(now) -> list:
    """Member agencies are reminded before the submission cut-off of each committee's next meeting.

    Agencies that already have an item on that agenda have done what the reminder asks and are skipped.
    """
    today = timezone.localdate(now)
    horizon = today + datetime.timedelta(days=CUTOFF_DAYS_BEFORE)
    upcoming = (
        Meeting.objects.filter(submission_cutoff__gt=now, status=Meeting.Status.PLANNED)
        .select_related("committee")
        .order_by("committee_id", "starts_at")
    )
    next_meetings = {}
    for meeting in upcoming:
        next_meetings.setdefault(meeting.committee_id, meeting)
    due = [m for m in next_meetings.values() if timezone.localdate(m.submission_cutoff) <= horizon]
    if not due:
        return []
    member_agencies = defaultdict(set)
    memberships = Committee.agencies.through.objects.filter(committee_id__in=[m.committee_id for m in due])
    for committee_id, agency_id in memberships.values_list("committee_id", "agency_id"):
        member_agencies[committee_id].add(agency_id)
    on_agenda = defaultdict(set)
    items = AgendaItem.objects.filter(meeting__in=due)
    for meeting_id, presenter_id in items.values_list("meeting_id", "presenter_id"):
        on_agenda[meeting_id].add(presenter_id)
    liaisons = Liaisons(set().union(*member_agencies.values()) if member_agencies else set())
    letters = []
    for meeting in due:
        cutoff = timezone.localtime(meeting.submission_cutoff)
        for agency_id in sorted(member_agencies[meeting.committee_id] - on_agenda[meeting.pk]):
            for person in liaisons.of(agency_id, meeting):
                letters.append(
                    Draft(
                        meeting,
                        person,
                        "reminder-cutoff",
                        {"meeting": meeting, "cutoff": cutoff},
                        kind=Kind.REMINDER_CUTOFF,
                        dedup_key=f"reminder:cutoff:{meeting.pk}:{cutoff.isoformat()}:{person.pk}",
                        url=meeting_link(meeting),
                    )
                )
    return letters


def send_reminders(now=None) -> int:
    """Write every reminder that is due now; returns how many emails were queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)  # Asia/Seoul, the committee's time zone
    queued = 0
    for build in (lambda: consultation_letters(today), lambda: action_letters(today), lambda: cutoff_letters(now)):
        with transaction.atomic():
            drafts = build()
            taken = taken_keys(draft.dedup_key for draft in drafts)
            queued += len(post(draft.render() for draft in drafts if draft.dedup_key not in taken))
    return queued
