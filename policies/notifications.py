"""Who hears what: notification rows created in the same transaction as the event that causes them.

Each hook is called by a verb in `policies/services/` inside its transaction; the outbox queues delivery on
commit, so a rolled-back event notifies nobody. Every letter has a deduplication key naming the event and
the recipient, so an event reaches each person once.

Every letter speaks of one object (a proposal, consultation, meeting, decision or follow-up action) and
passes one gate, `audience`: whoever a hook picks (the secretariat, the agencies concerned, members,
everyone invited before), only those the visibility policy (`permissions.visible_*`) shows the object to
hear of it. The letter is filed under the object's committee, which scopes the outbox in the admin.
"""

from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from committee.directory.models import Agency
from committee.outbox.delivery import letter, post
from committee.outbox.models import Notification

from .calendar import invitation_attachment
from .models import Consultation, Proposal, ProposalState
from .permissions import committee_id_of, involved_agency_ids, scopes_of, sees


class Kind(StrEnum):
    """Every kind of letter the policy lifecycle writes; `letter_about` refuses any other."""

    PROPOSAL_SUBMITTED = "proposal_submitted"
    PROPOSAL_RESUBMITTED = "proposal_resubmitted"
    PROPOSAL_RETURN = "proposal_return"
    PROPOSAL_ACCEPT = "proposal_accept"
    PROPOSAL_SCHEDULE = "proposal_schedule"
    PROPOSAL_UNSCHEDULE = "proposal_unschedule"
    PROPOSAL_DECIDE = "proposal_decide"
    PROPOSAL_DEFER = "proposal_defer"
    PROPOSAL_WITHDRAW = "proposal_withdraw"
    CONSULTATION_REQUESTED = "consultation_requested"
    OPINION_RECEIVED = "opinion_received"
    OPINION_REVISED = "opinion_revised"
    AGENDA_PUBLISHED = "agenda_published"
    AGENDA_CHANGED = "agenda_changed"
    MEETING_CANCELLED = "meeting_cancelled"
    DECISION_RECORDED = "decision_recorded"
    ACTION_ASSIGNED = "action_assigned"
    PROGRESS_REPORTED = "progress_reported"
    REMINDER_CONSULTATION = "reminder_consultation"
    REMINDER_ACTION = "reminder_action"
    REMINDER_CUTOFF = "reminder_cutoff"
    DIGEST = "digest"  # written by digests.py, which checks each item it lists against the same policy


# --- the gate ---------------------------------------------------------------------------------------


def audience(about, people, *, scopes=None) -> list:
    """Those of `people` who may see `about`, in order: the one gate between an event and its recipients.

    `scopes` (from `permissions.scopes_of`) lets batch work read everyone's scope once for many objects.
    A constant number of queries however many people.
    """
    people = list(people)
    if scopes is None:
        scopes = scopes_of(people)
    proposal = about.proposal if isinstance(about, Consultation) else about
    involved_ids = involved_agency_ids(proposal) if isinstance(proposal, Proposal) else None
    return [person for person in people if person.pk in scopes and sees(scopes[person.pk], about, involved_ids)]


def letter_about(about, person, template: str, context: dict, *, kind: str, dedup_key: str, url: str, **options):
    """A letter about `about`, of a known kind, filed under the object's committee (call `audience` first)."""
    return letter(
        person,
        template,
        context,
        kind=Kind(kind),
        dedup_key=dedup_key,
        url=url,
        committee_id=committee_id_of(about),
        **options,
    )


def tell(about, people, template: str, context: dict, *, kind: str, key: str, url: str, options_for=None) -> list:
    """Write a letter about `about` to each of `people` who may see it, keyed `<key>:<person id>`."""
    return post(
        letter_about(
            about,
            person,
            template,
            context,
            kind=kind,
            dedup_key=f"{key}:{person.pk}",
            url=url,
            **(options_for(person) if options_for else {}),
        )
        for person in audience(about, people)
    )


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
        template, kind = "proposal-submitted", Kind.PROPOSAL_RESUBMITTED if resubmitted else Kind.PROPOSAL_SUBMITTED
    elif event.action in AGENCY_NEWS:
        recipients = liaisons_of(_agencies_of(proposal), exclude=event.actor)
        resubmitted = False
        template, kind = "proposal-transitioned", Kind(f"proposal_{event.action}")
    else:
        return
    context = {"proposal": proposal, "event": event, "resubmitted": resubmitted}
    key = f"proposal-event:{event.pk}"
    tell(proposal, recipients, template, context, kind=kind, key=key, url=proposal_link(proposal))


# --- consultations ---------------------------------------------------------------------------------


def consultation_requested(consultation):
    """The consulted agency's liaisons."""
    tell(
        consultation,
        liaisons_of([consultation.agency_id]),
        "consultation-requested",
        {"consultation": consultation, "proposal": consultation.proposal},
        kind=Kind.CONSULTATION_REQUESTED,
        key=f"consultation-requested:{consultation.pk}",
        url=portal_link("opinion", consultation.pk, f"/consultations/{consultation.pk}/opinion/"),
    )


def opinion_received(consultation, *, revised):
    """The secretariat and the lead agency."""
    proposal = consultation.proposal
    recipients = _unique(
        secretariat_of(proposal.committee_id, exclude=consultation.answered_by),
        liaisons_of([proposal.lead_agency_id], exclude=consultation.answered_by),
    )
    moment = (consultation.revised_at if revised else consultation.answered_at) or timezone.now()
    tell(
        consultation,
        recipients,
        "opinion-received",
        {"consultation": consultation, "proposal": proposal, "revised": revised},
        kind=Kind.OPINION_REVISED if revised else Kind.OPINION_RECEIVED,
        key=f"opinion:{consultation.pk}:{moment.isoformat()}",
        url=proposal_link(proposal),
    )


# --- meetings ----------------------------------------------------------------------------------------


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


INVITATION_KINDS = (Kind.AGENDA_PUBLISHED, Kind.AGENDA_CHANGED)


def _send_invitation(meeting, *, template, kind, method, key):
    items = list(meeting.items.select_related("proposal", "presenter"))
    url = meeting_link(meeting)
    tell(
        meeting,
        _meeting_audience(meeting),
        template,
        {"meeting": meeting, "items": items},
        kind=kind,
        key=f"meeting:{meeting.pk}:{key}",
        url=url,
        options_for=lambda person: {
            "attachments": [invitation_attachment(meeting, method=method, url=url, recipient=person)],
        },
    )


def agenda_published(meeting):
    """Members and agencies with items, with an iCalendar invitation."""
    _send_invitation(
        meeting,
        template="agenda-published",
        kind=Kind.AGENDA_PUBLISHED,
        method="REQUEST",
        key=f"seq{meeting.invitation_sequence}",
    )


def agenda_changed(meeting):
    """An update to the same invitation (same UID, higher SEQUENCE)."""
    _send_invitation(
        meeting,
        template="agenda-changed",
        kind=Kind.AGENDA_CHANGED,
        method="REQUEST",
        key=f"seq{meeting.invitation_sequence}",
    )


def meeting_cancelled(meeting):
    """A cancellation of the invitation."""
    _send_invitation(meeting, template="meeting-cancelled", kind=Kind.MEETING_CANCELLED, method="CANCEL", key="cancel")


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
    tell(
        decision,
        _unique(members_of(meeting.committee), liaisons_of(agencies, exclude=decision.recorded_by)),
        "decision-recorded",
        {"decision": decision, "item": item, "meeting": meeting, "proposal": item.proposal},
        kind=Kind.DECISION_RECORDED,
        key=f"decision:{decision.pk}",
        url=proposal_link(item.proposal) if item.proposal_id else meeting_link(meeting),
    )


def _action_link(action) -> str:
    return portal_link("action_progress", action.pk, f"/actions/{action.pk}/progress/")


def action_assigned(action):
    """The responsible agency."""
    tell(
        action,
        liaisons_of([action.agency_id]),
        "action-assigned",
        {"action": action, "decision": action.decision},
        kind=Kind.ACTION_ASSIGNED,
        key=f"action-assigned:{action.pk}",
        url=_action_link(action),
    )


def progress_reported(report):
    """The secretariat."""
    action = report.action
    agency = Agency.objects.get(pk=action.agency_id)
    tell(
        action,
        secretariat_of(committee_id_of(action), exclude=report.reported_by),
        "progress-reported",
        {"report": report, "action": action, "agency": agency},
        kind=Kind.PROGRESS_REPORTED,
        key=f"progress:{report.pk}",
        url=_action_link(action),
    )
