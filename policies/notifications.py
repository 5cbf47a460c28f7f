"""Who hears what: notification rows created in the same transaction as the event that causes them.

Each hook is called by a verb in `services.py` inside its transaction; the outbox queues delivery on
commit, so a rolled-back event notifies nobody. Every letter has a deduplication key naming the event and
the recipient, so an event reaches each person once.
"""

import datetime

import icalendar
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from committee.directory.models import Agency
from committee.outbox.delivery import letter, post
from committee.outbox.models import Notification

from .models import ProposalState

# --- who --------------------------------------------------------------------------------------------


def _people(queryset, *, exclude=None) -> list:
    people = queryset.filter(is_active=True).select_related("profile").distinct().order_by("pk")
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people)


def secretariat_of(committee_id, *, exclude=None) -> list:
    return _people(get_user_model().objects.filter(staffed_committees=committee_id), exclude=exclude)


def liaisons_of(agency_ids, *, exclude=None) -> list:
    return _people(get_user_model().objects.filter(profile__agency_id__in=list(agency_ids)), exclude=exclude)


def members_of(committee, *, exclude=None) -> list:
    memberships = committee.current_memberships()
    return _people(get_user_model().objects.filter(memberships__in=memberships), exclude=exclude)


def _agencies_of(proposal) -> set[int]:
    return {proposal.lead_agency_id, *proposal.co_sponsors.values_list("pk", flat=True)}


def _unique(*groups) -> list:
    seen = {}
    for group in groups:
        for person in group:
            seen.setdefault(person.pk, person)
    return list(seen.values())


# --- where ------------------------------------------------------------------------------------------


def portal_link(name: str, pk: int, fallback: str) -> str:
    """An absolute link into the portal (settings.SITE_URL), for emails and the notifications page."""
    try:
        path = reverse(f"portal:{name}", args=[pk])
    except NoReverseMatch:
        path = fallback
    return f"{settings.SITE_URL}{path}"


def proposal_link(proposal) -> str:
    return portal_link("proposal", proposal.pk, f"/proposals/{proposal.pk}/")


def meeting_link(meeting) -> str:
    return portal_link("meeting", meeting.pk, f"/meetings/{meeting.pk}/")


# --- proposals -------------------------------------------------------------------------------------

AGENCY_NEWS = {"return", "accept", "schedule", "unschedule", "decide", "defer", "withdraw"}


def proposal_transitioned(proposal, event):
    """Submitted/resubmitted: the secretariat. Returned, accepted, scheduled, decided, withdrawn: the agencies."""
    if event.action == "submit":
        recipients = secretariat_of(proposal.committee_id, exclude=event.actor)
        resubmitted = event.from_state == ProposalState.RETURNED
        template, kind = "proposal-submitted", "proposal_resubmitted" if resubmitted else "proposal_submitted"
    elif event.action in AGENCY_NEWS:
        recipients = liaisons_of(_agencies_of(proposal), exclude=event.actor)
        resubmitted = False
        template, kind = "proposal-transitioned", f"proposal_{event.action}"
    else:
        return
    context = {"proposal": proposal, "event": event, "resubmitted": resubmitted}
    post(
        letter(
            person,
            template,
            context,
            kind=kind,
            dedup_key=f"proposal-event:{event.pk}:{person.pk}",
            url=proposal_link(proposal),
        )
        for person in recipients
    )


# --- consultations ---------------------------------------------------------------------------------


def consultation_requested(consultation):
    """The consulted agency's liaisons."""
    proposal = consultation.proposal
    post(
        letter(
            person,
            "consultation-requested",
            {"consultation": consultation, "proposal": proposal},
            kind="consultation_requested",
            dedup_key=f"consultation-requested:{consultation.pk}:{person.pk}",
            url=portal_link("opinion", consultation.pk, f"/consultations/{consultation.pk}/opinion/"),
        )
        for person in liaisons_of([consultation.agency_id])
    )


def opinion_received(consultation, *, revised):
    """The secretariat and the lead agency."""
    proposal = consultation.proposal
    recipients = _unique(
        secretariat_of(proposal.committee_id, exclude=consultation.answered_by),
        liaisons_of([proposal.lead_agency_id], exclude=consultation.answered_by),
    )
    moment = (consultation.revised_at if revised else consultation.answered_at) or timezone.now()
    post(
        letter(
            person,
            "opinion-received",
            {"consultation": consultation, "proposal": proposal, "revised": revised},
            kind="opinion_revised" if revised else "opinion_received",
            dedup_key=f"opinion:{consultation.pk}:{moment.isoformat()}:{person.pk}",
            url=proposal_link(proposal),
        )
        for person in recipients
    )


# --- meetings ----------------------------------------------------------------------------------------


def meeting_invitation(meeting, *, method: str, recipient=None) -> str:
    """An iCalendar invitation for the meeting: same UID throughout, SEQUENCE raised on every change."""
    seoul = timezone.get_default_timezone()
    starts_at = timezone.localtime(meeting.starts_at, seoul)
    ends_at = timezone.localtime(meeting.ends_at, seoul) if meeting.ends_at else starts_at + datetime.timedelta(hours=2)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//National Bio Committee//Bio Committee Desk//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", meeting.invitation_uid)
    event.add("sequence", meeting.invitation_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", f"{meeting.committee.code} {meeting.title}")
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", meeting_link(meeting))
    if meeting.online_link:
        event.add("description", meeting.online_link)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = icalendar.vText(meeting.committee.name_en)
    event.add("organizer", organizer)
    if recipient is not None and recipient.email:
        attendee = icalendar.vCalAddress(f"mailto:{recipient.email}")
        attendee.params["cn"] = icalendar.vText(recipient.get_full_name() or recipient.username)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def _meeting_audience(meeting) -> list:
    """Current members, liaisons of agencies with items, and everyone invited before.

    Whoever has the event in their calendar hears of its changes and its cancellation, even if their
    agency's item was taken off the agenda since.
    """
    items = list(meeting.items.select_related("proposal"))
    agencies = {item.presenter_id for item in items if item.presenter_id}
    agencies |= {item.proposal.lead_agency_id for item in items if item.proposal_id}
    invited = Notification.objects.filter(
        kind__in=INVITATION_KINDS, dedup_key__startswith=f"meeting:{meeting.pk}:"
    ).values("recipient_id")
    return _unique(
        members_of(meeting.committee),
        liaisons_of(agencies),
        _people(get_user_model().objects.filter(pk__in=invited)),
    )


INVITATION_KINDS = ("agenda_published", "agenda_changed")


def _send_invitation(meeting, *, template, kind, method, key):
    items = list(meeting.items.select_related("proposal", "presenter"))
    post(
        letter(
            person,
            template,
            {"meeting": meeting, "items": items},
            kind=kind,
            dedup_key=f"meeting:{meeting.pk}:{key}:{person.pk}",
            url=meeting_link(meeting),
            ics_content=meeting_invitation(meeting, method=method, recipient=person),
            ics_method=method,
        )
        for person in _meeting_audience(meeting)
    )


def agenda_published(meeting):
    """Members and agencies with items, with an iCalendar invitation."""
    _send_invitation(
        meeting,
        template="agenda-published",
        kind="agenda_published",
        method="REQUEST",
        key=f"seq{meeting.invitation_sequence}",
    )


def agenda_changed(meeting):
    """An update to the same invitation (same UID, higher SEQUENCE)."""
    _send_invitation(
        meeting,
        template="agenda-changed",
        kind="agenda_changed",
        method="REQUEST",
        key=f"seq{meeting.invitation_sequence}",
    )


def meeting_cancelled(meeting):
    """A cancellation of the invitation."""
    _send_invitation(meeting, template="meeting-cancelled", kind="meeting_cancelled", method="CANCEL", key="cancel")


# --- decisions and follow-up actions ---------------------------------------------------------------


def decision_recorded(decision):
    """Members and the agencies concerned."""
    item = decision.agenda_item
    meeting = item.meeting
    agencies = set()
    if item.proposal_id:
        agencies |= _agencies_of(item.proposal)
    if item.presenter_id:
        agencies.add(item.presenter_id)
    post(
        letter(
            person,
            "decision-recorded",
            {"decision": decision, "item": item, "meeting": meeting, "proposal": item.proposal},
            kind="decision_recorded",
            dedup_key=f"decision:{decision.pk}:{person.pk}",
            url=proposal_link(item.proposal) if item.proposal_id else meeting_link(meeting),
        )
        for person in _unique(members_of(meeting.committee), liaisons_of(agencies, exclude=decision.recorded_by))
    )


def _action_link(action) -> str:
    return portal_link("action_progress", action.pk, f"/actions/{action.pk}/progress/")


def action_assigned(action):
    """The responsible agency."""
    post(
        letter(
            person,
            "action-assigned",
            {"action": action, "decision": action.decision},
            kind="action_assigned",
            dedup_key=f"action-assigned:{action.pk}:{person.pk}",
            url=_action_link(action),
        )
        for person in liaisons_of([action.agency_id])
    )


def progress_reported(report):
    """The secretariat."""
    action = report.action
    committee_id = action.decision.agenda_item.meeting.committee_id
    agency = Agency.objects.get(pk=action.agency_id)
    post(
        letter(
            person,
            "progress-reported",
            {"report": report, "action": action, "agency": agency},
            kind="progress_reported",
            dedup_key=f"progress:{report.pk}:{person.pk}",
            url=_action_link(action),
        )
        for person in secretariat_of(committee_id, exclude=report.reported_by)
    )
