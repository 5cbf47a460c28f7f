"""Deadline reminders, computed from the database on every run: consultations, follow-up actions, agenda cut-offs,
and minutes in review that a member has not opened.

Each run works out which stage every open item it reads is in today (Asia/Seoul) and writes one letter per
(item, stage, recipient) with a unique deduplication key, so running twice, or every few minutes, sends each
stage once. A run that was missed catches up with the stage that applies now; earlier stages are skipped.
Nobody is reminded of what they already did, or of what is no longer asked: answered, closed and withdrawn
consultations, those on proposals already decided or withdrawn, done actions, and minutes a member has opened
(or that are no longer in review) drop out of the queries.
Reminders pass the same gate as every other letter (`notifications.audience`): nobody is reminded of what
they may not see.

Consultations and follow-up actions (tens of thousands open at government scale) carry the day their next stage
begins (`next_reminder_on`): the verbs that create them, change their deadline or reopen them set it to the first
stage (and answering, ending or finishing clears it), and each run reads only the rows whose day has come (a
partial index each), writes their letters and moves the day on to the next stage, in one transaction. A run
with nothing due reads no consultation or action. The deduplication keys stay the guarantee against a second
send. Cut-offs and minutes (a few per committee) are still read whole on every run.
"""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from committee.directory.models import Committee
from committee.directory.scope import scopes_of
from committee.outbox.delivery import post, taken_keys

from .models import AgendaItem, Consultation, FollowUpAction, Meeting, Minutes, MinutesReading
from .notifications import (
    Kind,
    audience,
    letter_about,
    meeting_link,
    members_of,
    minutes_link,
    portal_link,
    proposal_link,
)

CONSULTATION_DAYS_BEFORE = (3, 1)
ACTION_DAYS_BEFORE = (7, 1)
CUTOFF_DAYS_BEFORE = 3
MINUTES_DAYS_BEFORE = (3, 1)


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

    def __init__(self, agency_ids, *, only=None):
        people = get_user_model().objects.filter(profile__agency_id__in=set(agency_ids), is_active=True)
        if only is not None:  # the people still owed a letter, when the caller knows them
            people = people.filter(pk__in=only)
        people = list(people.select_related("profile").order_by("pk"))
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


def stage_starts(deadline: datetime.date, thresholds: tuple[int, ...]) -> list[datetime.date]:
    """The days the "N days before" stages begin, earliest first, then the first day past the deadline."""
    before = [deadline - datetime.timedelta(days=n) for n in sorted(thresholds, reverse=True)]
    return [*before, deadline + datetime.timedelta(days=1)]


def consultation_stage(consultation, today) -> str | None:
    days_left = (consultation.deadline - today).days
    if days_left < 0:
        return "overdue"
    return stage_before(days_left, CONSULTATION_DAYS_BEFORE)


def first_consultation_reminder(deadline: datetime.date) -> datetime.date:
    """The day a new or re-dated consultation is first read: its first stage (a later run catches up)."""
    return stage_starts(deadline, CONSULTATION_DAYS_BEFORE)[0]


def next_consultation_reminder(deadline: datetime.date, today: datetime.date) -> datetime.date | None:
    """The day the stage after today's begins; none after the overdue reminder, which is sent once."""
    return next((day for day in stage_starts(deadline, CONSULTATION_DAYS_BEFORE) if day > today), None)


def action_stage(action, today) -> str | None:
    """7 and 1 days before, then on the first overdue day and once a week while it stays overdue."""
    days_left = (action.due_date - today).days
    if days_left < 0:
        return f"overdue-w{(-days_left - 1) // 7}"
    return stage_before(days_left, ACTION_DAYS_BEFORE)


def first_action_reminder(due_date: datetime.date) -> datetime.date:
    """The day a new or reopened action is first read: its first stage (a later run catches up)."""
    return stage_starts(due_date, ACTION_DAYS_BEFORE)[0]


def next_action_reminder(due_date: datetime.date, today: datetime.date) -> datetime.date:
    """The day the stage after today's begins: overdue week w began on due + 1 + 7w, the next one a week later."""
    days_left = (due_date - today).days
    if days_left < 0:
        week = (-days_left - 1) // 7
        return due_date + datetime.timedelta(days=1 + 7 * (week + 1))
    return next(day for day in stage_starts(due_date, ACTION_DAYS_BEFORE) if day > today)


def read_due(due: models.QuerySet, reading: models.QuerySet) -> list:
    """Claim the rows due in the caller's transaction, then read them as `reading` says (with what their letters
    need). A row a verb holds (being extended, reopened) is left to the next run, which sees its new day.

    The claim reads the partial index alone, without joins: a run with nothing due costs one index scan, whatever
    the planner's statistics say about how many rows are due.
    """
    claimed = list(due.order_by("pk").select_for_update(skip_locked=True).values_list("pk", flat=True))
    return list(reading.filter(pk__in=claimed)) if claimed else []


def move_reminders(model: type[models.Model], next_days: dict[int, datetime.date | None]) -> None:
    """Store the day each row read is next due, one UPDATE per distinct day."""
    by_day = defaultdict(list)
    for pk, day in next_days.items():
        by_day[day].append(pk)
    for day, pks in by_day.items():
        model.objects.filter(pk__in=pks).update(next_reminder_on=day)


def consultation_letters(today) -> list:
    """Letters for the open consultations whose reminder day has come; each moves on to its next stage. Those on
    proposals already decided or withdrawn have none left: no opinion is wanted."""
    due = read_due(
        Consultation.objects.reminder_due(today),
        Consultation.objects.select_related("proposal", "agency").prefetch_related(
            "proposal__co_sponsors", "proposal__consultations"
        ),
    )
    move_reminders(
        Consultation,
        {c.pk: None if c.no_longer_wanted else next_consultation_reminder(c.deadline, today) for c in due},
    )
    consultations = [c for c in due if not c.no_longer_wanted and consultation_stage(c, today)]
    liaisons = Liaisons(c.agency_id for c in consultations)
    letters = []
    for consultation in consultations:
        stage = consultation_stage(consultation, today)
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
    """Letters for the unfinished actions whose reminder day has come; each moves on to its next stage."""
    actions = read_due(
        FollowUpAction.objects.reminder_due(today),
        FollowUpAction.objects.select_related("agency", "decision__agenda_item__meeting"),
    )
    move_reminders(FollowUpAction, {a.pk: next_action_reminder(a.due_date, today) for a in actions})
    actions = [a for a in actions if action_stage(a, today)]  # read before its first stage: nothing yet
    liaisons = Liaisons(a.agency_id for a in actions)
    letters = []
    for action in actions:
        stage = action_stage(action, today)
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
                    url=portal_link("action_progress", action.pk),
                )
            )
    return letters


def cutoff_letters(now) -> list:
    """Member agencies are reminded before the submission cut-off of each committee's next meeting.

    Agencies that already have an item on that agenda have done what the reminder asks and are skipped.
    """
    owed = cutoff_reminders_owed(now)
    if not owed:
        return []
    liaisons = Liaisons({agency_id for _m, agency_id, _p in owed}, only={person_id for _m, _a, person_id in owed})
    letters = []
    for meeting, agency_id in dict.fromkeys((meeting, agency_id) for meeting, agency_id, _p in owed):
        cutoff, link = timezone.localtime(meeting.submission_cutoff), meeting_link(meeting)  # one link per meeting
        for person in liaisons.of(agency_id, meeting):
            letters.append(
                Draft(
                    meeting,
                    person,
                    "reminder-cutoff",
                    {"meeting": meeting, "cutoff": cutoff},
                    kind=Kind.REMINDER_CUTOFF,
                    dedup_key=cutoff_key(meeting, person.pk),
                    url=link,
                )
            )
    return letters


def cutoff_key(meeting, person_id) -> str:
    return f"reminder:cutoff:{meeting.pk}:{timezone.localtime(meeting.submission_cutoff).isoformat()}:{person_id}"


def cutoff_reminders_owed(now) -> list[tuple]:
    """(meeting, agency id, liaison id) of the cut-off reminders due and not yet written, found from ids and keys
    alone: once a cut-off's letters are out, a run loads no person and computes no audience."""
    today = timezone.localdate(now)
    horizon = today + datetime.timedelta(days=CUTOFF_DAYS_BEFORE)
    next_meetings = (  # the first of each committee's planned meetings whose cut-off is ahead
        Meeting.objects.filter(submission_cutoff__gt=now, status=Meeting.Status.PLANNED)
        .select_related("committee")
        .order_by("committee_id", "starts_at")
        .distinct("committee_id")
    )
    due = [m for m in next_meetings if timezone.localdate(m.submission_cutoff) <= horizon]
    if not due:
        return []
    member_agencies = defaultdict(set)
    memberships = Committee.agencies.through.objects.filter(committee_id__in=[m.committee_id for m in due])
    for committee_id, agency_id in memberships.values_list("committee_id", "agency_id"):
        member_agencies[committee_id].add(agency_id)
    on_agenda = defaultdict(set)
    for meeting_id, presenter_id in AgendaItem.objects.filter(meeting__in=due).values_list(
        "meeting_id", "presenter_id"
    ):
        on_agenda[meeting_id].add(presenter_id)
    people = defaultdict(list)
    active = get_user_model().objects.filter(
        is_active=True, profile__agency_id__in=set().union(*member_agencies.values())
    )
    for person_id, agency_id in active.values_list("pk", "profile__agency_id").order_by("pk"):
        people[agency_id].append(person_id)
    candidates = [
        (meeting, agency_id, person_id)
        for meeting in due
        for agency_id in sorted(member_agencies[meeting.committee_id] - on_agenda[meeting.pk])
        for person_id in people[agency_id]
    ]
    taken = taken_keys(cutoff_key(meeting, person_id) for meeting, _a, person_id in candidates)
    return [(m, a, p) for m, a, p in candidates if cutoff_key(m, p) not in taken]


def minutes_stage(minutes, today) -> str | None:
    """As for consultations: 3 and 1 days before the review deadline, then once when it has passed. Never on the
    day the minutes went out for review: the members have just been asked."""
    if timezone.localdate(minutes.sent_for_review_at) >= today:
        return None
    days_left = (minutes.review_deadline - today).days
    if days_left < 0:
        return "overdue"
    return stage_before(days_left, MINUTES_DAYS_BEFORE)


def minutes_letters(today) -> list:
    """Members who have not opened minutes in review; whoever opened them did what the reminder asks."""
    horizon = today + datetime.timedelta(days=max(MINUTES_DAYS_BEFORE))
    in_review = list(
        Minutes.objects.filter(status=Minutes.Status.IN_REVIEW, review_deadline__lte=horizon).select_related(
            "meeting__committee"
        )
    )
    opened = defaultdict(set)
    for minutes_id, reader_id in MinutesReading.objects.filter(minutes__in=in_review).values_list(
        "minutes_id", "reader_id"
    ):
        opened[minutes_id].add(reader_id)
    letters = []
    for minutes in in_review:
        stage = minutes_stage(minutes, today)
        if stage is None:
            continue
        meeting = minutes.meeting
        days_left = (minutes.review_deadline - today).days
        context = {
            "meeting": meeting,
            "deadline": minutes.review_deadline,
            "overdue": days_left < 0,
            "days_left": days_left,
        }
        unopened = [person for person in members_of(meeting.committee) if person.pk not in opened[minutes.pk]]
        for person in audience(meeting, unopened):
            letters.append(
                Draft(
                    meeting,
                    person,
                    "reminder-minutes",
                    context,
                    kind=Kind.REMINDER_MINUTES,
                    dedup_key=f"reminder:minutes:{minutes.pk}:{minutes.review_deadline}:{stage}:{person.pk}",
                    url=minutes_link(meeting),
                )
            )
    return letters


def send_reminders(now=None) -> int:
    """Write every reminder that is due now; returns how many emails were queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)  # Asia/Seoul, the committee's time zone
    queued = 0
    for build in (
        lambda: consultation_letters(today),
        lambda: action_letters(today),
        lambda: cutoff_letters(now),
        lambda: minutes_letters(today),
    ):
        with transaction.atomic():
            drafts = build()
            taken = taken_keys(draft.dedup_key for draft in drafts)
            queued += len(post(draft.render() for draft in drafts if draft.dedup_key not in taken))
    return queued
