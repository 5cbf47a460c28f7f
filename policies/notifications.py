"""Who hears what: notification rows created in the same transaction as the event that causes them.

Each hook is called by a verb in `policies/services/` inside its transaction; the outbox queues delivery on
commit, so a rolled-back event notifies nobody. Every letter has a deduplication key naming the event and
the recipient, so an event reaches each person once.

Every letter speaks of one object (a proposal, consultation, meeting, decision or follow-up action) and
passes one gate, `audience`: whoever a hook picks (the secretariat, the agencies concerned, members,
everyone invited before), only those the visibility policy (`permissions.visible_*`) shows the object to
hear of it. The letter is filed under the object's committee, which scopes the outbox in the admin.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.directory.models import Agency
from committee.directory.scope import scopes_of
from committee.outbox.delivery import letter, post
from committee.outbox.models import Notification

from .calendar import invitation_attachment
from .models import Consultation, Proposal, ProposalState
from .papers.mail import agenda_book_url, current_agenda_book, with_book
from .permissions import committee_id_of, involved_agency_ids, sees
from .reply_links import reply_links


class Kind(models.TextChoices):
    """Every kind of letter the policy lifecycle writes, with its words; `letter_about` refuses any other."""

    PROPOSAL_SUBMITTED = "proposal_submitted", _("Proposal submitted")
    PROPOSAL_RESUBMITTED = "proposal_resubmitted", _("Proposal resubmitted")
    PROPOSAL_RETURN = "proposal_return", _("Proposal returned for revision")
    PROPOSAL_ACCEPT = "proposal_accept", _("Proposal accepted")
    PROPOSAL_SCHEDULE = "proposal_schedule", _("Proposal placed on an agenda")
    PROPOSAL_UNSCHEDULE = "proposal_unschedule", _("Proposal taken off an agenda")
    PROPOSAL_DECIDE = "proposal_decide", _("Proposal decided")
    PROPOSAL_DEFER = "proposal_defer", _("Proposal deferred")
    PROPOSAL_WITHDRAW = "proposal_withdraw", _("Proposal withdrawn")
    CONSULTATION_REQUESTED = "consultation_requested", _("Opinion requested")
    OPINION_RECEIVED = "opinion_received", _("Opinion received")
    OPINION_REVISED = "opinion_revised", _("Opinion revised")
    CONSULTATION_EXTENDED = "consultation_extended", _("Opinion deadline extended")
    CONSULTATION_CLOSED = "consultation_closed", _("Opinion no longer needed")
    CONSULTATION_WITHDRAWN = "consultation_withdrawn", _("Opinion request withdrawn")
    AGENDA_PUBLISHED = "agenda_published", _("Agenda published")
    AGENDA_CHANGED = "agenda_changed", _("Agenda changed")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    DECISION_RECORDED = "decision_recorded", _("Decision recorded")
    MINUTES_FOR_REVIEW = "minutes_for_review", _("Minutes for review")
    MINUTES_FINAL = "minutes_final", _("Minutes final")
    ACTION_ASSIGNED = "action_assigned", _("Follow-up action assigned")
    PROGRESS_REPORTED = "progress_reported", _("Progress reported")
    REMINDER_CONSULTATION = "reminder_consultation", _("Reminder: opinion due")
    REMINDER_ACTION = "reminder_action", _("Reminder: follow-up action due")
    REMINDER_CUTOFF = "reminder_cutoff", _("Reminder: submission cut-off")
    REMINDER_MINUTES = "reminder_minutes", _("Reminder: minutes to review")
    # Written by digests.py, which checks each item it lists against the same policy.
    DIGEST = "digest", _("Digest")


# Mail a person must receive: their own agency's consultation requests and overdue-action reminders (both go
# only to the agency concerned). No email choice or unsubscribe link turns them off.
MANDATORY_KINDS = frozenset({Kind.CONSULTATION_REQUESTED, Kind.REMINDER_ACTION})
# What the settings page offers per kind: instant, digest only or off. The digest has its own setting.
CHOOSABLE_KINDS = tuple(kind for kind in Kind if kind not in MANDATORY_KINDS and kind != Kind.DIGEST)


# --- the gate ---------------------------------------------------------------------------------------


def audience(about, people, *, scopes=None) -> list:
    """Those of `people` who may see `about`, in order: the one gate between an event and its recipients.

    `scopes` (from `committee.directory.scope.scopes_of`) lets batch work read everyone's scope once for many objects.
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


def tell(
    about, people, template: str, context: dict, *, kind: str, key: str, url: str, options_for=None, context_for=None
) -> list:
    """Write a letter about `about` to each of `people` who may see it, keyed `<key>:<person id>`.

    `context_for(person)` adds what only that person's letter says (their own signed links).
    """
    return post(
        letter_about(
            about,
            person,
            template,
            {**context, **context_for(person)} if context_for else context,
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


def portal_link(name: str, pk: int) -> str:
    """An absolute link into the portal (settings.SITE_URL), for emails and the notifications page."""
    return f"{settings.SITE_URL}{reverse(f'portal:{name}', args=[pk])}"


def proposal_link(proposal) -> str:
    return portal_link("proposal", proposal.pk)


def meeting_link(meeting) -> str:
    return portal_link("meeting", meeting.pk)


def agenda_item_link(item) -> str:
    """The item on its meeting's page, where its decision and follow-up actions are shown."""
    return f"{portal_link('meeting', item.meeting_id)}#item-{item.pk}"


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
        template, kind = "proposal-transitioned", Kind(f"proposal_{event.action}")
    else:
        return
    context = {"proposal": proposal, "event": event, "resubmitted": kind == Kind.PROPOSAL_RESUBMITTED}
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
        url=_opinion_link(consultation),
    )


def _opinion_link(consultation) -> str:
    return portal_link("opinion", consultation.pk)


def consultation_extended(consultation, *, previous_deadline):
    """The consulted agency's liaisons: they have until the new deadline."""
    tell(
        consultation,
        liaisons_of([consultation.agency_id]),
        "consultation-extended",
        {"consultation": consultation, "proposal": consultation.proposal, "previous_deadline": previous_deadline},
        kind=Kind.CONSULTATION_EXTENDED,
        key=f"consultation-extended:{consultation.pk}:{consultation.deadline.isoformat()}",
        url=_opinion_link(consultation),
    )


def consultation_ended(consultation, *, reason=""):
    """The consulted agency's liaisons: the secretariat closed the consultation or withdrew its request."""
    withdrawn = consultation.status == Consultation.Status.WITHDRAWN
    tell(
        consultation,
        liaisons_of([consultation.agency_id]),
        "consultation-withdrawn" if withdrawn else "consultation-closed",
        {"consultation": consultation, "proposal": consultation.proposal, "reason": reason},
        kind=Kind.CONSULTATION_WITHDRAWN if withdrawn else Kind.CONSULTATION_CLOSED,
        key=f"consultation-{consultation.status}:{consultation.pk}",
        url=proposal_link(consultation.proposal),
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


def invitation_recipients(meeting) -> list:
    """Who an invitation about this meeting would reach now (the desk names them before publishing).

    The same two steps `_send_invitation` takes through `tell`: the meeting's audience, then the gate.
    """
    return audience(meeting, _meeting_audience(meeting))


def _send_invitation(meeting, *, template, kind, method, key):
    items = list(meeting.items.select_related("proposal", "presenter"))
    url = meeting_link(meeting)
    book_url = agenda_book_url(meeting) if method == "REQUEST" else ""
    book = current_agenda_book(meeting) if book_url else None

    def attachments_for(person):
        invitation = invitation_attachment(meeting, method=method, url=url, recipient=person)
        return {"attachments": with_book([invitation], book)}

    # Members on the meeting day answer from the email: one signed link per answer, for them alone.
    meeting_day = timezone.localtime(meeting.starts_at).date()
    member_ids = set(meeting.committee.current_memberships(on=meeting_day).values_list("user_id", flat=True))
    replying = method == "REQUEST"
    tell(
        meeting,
        _meeting_audience(meeting),
        template,
        {"meeting": meeting, "items": items, "agenda_book_url": book_url},
        kind=kind,
        key=f"meeting:{meeting.pk}:{key}",
        url=url,
        options_for=attachments_for,
        context_for=lambda person: {
            "reply_links": reply_links(meeting, person) if replying and person.pk in member_ids else [],
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


# --- minutes ----------------------------------------------------------------------------------------


def minutes_link(meeting) -> str:
    return f"{settings.SITE_URL}{reverse('portal:meeting_minutes', args=[meeting.pk])}"


def minutes_for_review(minutes):
    """The committee's members: comments are asked for by the deadline. The letter is about the meeting."""
    meeting = minutes.meeting
    tell(
        meeting,
        members_of(meeting.committee),
        "minutes-for-review",
        {"meeting": meeting, "minutes": minutes, "deadline": minutes.review_deadline},
        kind=Kind.MINUTES_FOR_REVIEW,
        key=f"minutes-review:{minutes.pk}:{minutes.review_deadline.isoformat()}",
        url=minutes_link(meeting),
    )


def minutes_final(minutes, version):
    """The committee's members: the minutes are final (version 1), or corrected (a later version, with why)."""
    meeting = minutes.meeting
    tell(
        meeting,
        members_of(meeting.committee),
        "minutes-final",
        {"meeting": meeting, "minutes": minutes, "version": version},
        kind=Kind.MINUTES_FINAL,
        key=f"minutes-final:{minutes.pk}:v{version.number}",
        url=minutes_link(meeting),
    )


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
    return portal_link("action_progress", action.pk)


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
