"""Demo history: moving the timestamps and deadlines the services just wrote back to the days the story took.

The services stamp everything with the current time and refuse past deadlines and due dates, as they should
for real work; a demo where every proposal was drafted a second ago would show nothing. These updates touch
timestamps, deadlines and due dates (with the reminder day that follows from them) only, never states, and run
once, when the object is created.
"""

import datetime

from django.utils import timezone

from policies.models import Consultation, Decision, FollowUpAction, Meeting, ProgressReport, Proposal
from policies.reminders import first_action_reminder, first_consultation_reminder
from policies.workflow import CONSULTABLE_STATES

# An agency that let its deadline pass did so this many days ago.
DEADLINE_PASSED_DAYS_AGO = 3


def age_timeline(proposal: Proposal, spec: dict, *, now: datetime.datetime, end: datetime.datetime) -> None:
    """Spread the proposal's events evenly from `spec["days_ago"]` to `end`; a decision keeps its own time."""
    start = now - datetime.timedelta(days=spec["days_ago"])
    events = list(proposal.events.order_by("id"))
    last_agenda_event = events.pop() if events and events[-1].action in ("decide", "defer") else None
    step = (end - start) / max(len(events), 1)
    for index, event in enumerate(events):
        event.created_at = start + step * index
        type(event).objects.filter(pk=event.pk).update(created_at=event.created_at)
    when = {event.action: event.created_at for event in events}
    last = last_agenda_event.created_at if last_agenda_event else (events[-1].created_at if events else start)
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=start, submitted_at=when.get("submit", proposal.submitted_at), updated_at=last
    )
    _age_consultations(proposal, spec, events, start)


def _age_consultations(proposal: Proposal, spec: dict, events: list, start: datetime.datetime) -> None:
    requests = spec.get("consultations", [])
    # The n-th "consult" event is the n-th consultation request of the story.
    consult_events = [event for event in events if event.action == "consult"]
    requested = {
        acronym: event.created_at
        for request, event in zip(requests, consult_events, strict=False)
        for acronym in request["agencies"]
    }
    opinions = [event for event in events if event.action == "opinion"]
    # Consultations whose proposal has moved on keep their length: their deadlines move back with them.
    closed = Proposal.objects.get(pk=proposal.pk).state not in CONSULTABLE_STATES
    for consultation in proposal.consultations.select_related("agency"):
        acronym = consultation.agency.acronym
        changes = {"requested_at": requested.get(acronym, start)}
        if consultation.is_answered:
            changes["answered_at"] = next(
                (e.created_at for e in opinions if (e.details or {}).get("agency") == acronym), changes["requested_at"]
            )
            if closed:
                age = timezone.localdate() - timezone.localdate(changes["requested_at"])
                changes["deadline"] = consultation.deadline - age
                _redate_request_event(proposal, consultation.deadline, changes["deadline"])
        Consultation.objects.filter(pk=consultation.pk).update(**changes)
    for request in (r for r in requests if r.get("past_deadline")):
        for acronym in set(request["agencies"]) - set(request["opinions"]):
            consultation = Consultation.objects.get(proposal=proposal, agency__acronym=acronym)
            deadline = timezone.localdate() - datetime.timedelta(days=DEADLINE_PASSED_DAYS_AGO)
            Consultation.objects.filter(pk=consultation.pk).update(
                deadline=deadline, next_reminder_on=first_consultation_reminder(deadline)
            )
            _redate_request_event(proposal, consultation.deadline, deadline)


def _redate_request_event(proposal: Proposal, old: datetime.date, new: datetime.date) -> None:
    """Keep the timeline's "opinion requested by <date>" (stored as details) in step with a moved deadline."""
    for event in proposal.events.filter(action="consult", details__deadline=old.isoformat()):
        type(event).objects.filter(pk=event.pk).update(details={**event.details, "deadline": new.isoformat()})


def age_held_meeting(meeting: Meeting, decisions: list[Decision]) -> None:
    """The agenda went out a week before the meeting; each decision's timeline event has the decision's time."""
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=meeting.starts_at - datetime.timedelta(days=21),
        agenda_published_at=meeting.starts_at - datetime.timedelta(days=7),
    )
    for decision in decisions:
        Decision.objects.filter(pk=decision.pk).update(created_at=decision.decided_at)
        proposal = decision.agenda_item.proposal
        proposal.events.filter(action__in=("decide", "defer")).update(created_at=decision.decided_at)


def age_action(action: FollowUpAction, *, due: datetime.date, meeting_day: datetime.datetime) -> None:
    """Assigned the day after the meeting, due when the story says (perhaps past), progress on its own days."""
    assigned = meeting_day + datetime.timedelta(days=1)
    FollowUpAction.objects.filter(pk=action.pk).update(created_at=assigned, due_date=due)
    FollowUpAction.objects.unfinished().filter(pk=action.pk).update(next_reminder_on=first_action_reminder(due))
    for report in ProgressReport.objects.filter(action=action):
        ProgressReport.objects.filter(pk=report.pk).update(
            created_at=timezone.make_aware(datetime.datetime.combine(report.reported_on, datetime.time(10, 0)))
        )
