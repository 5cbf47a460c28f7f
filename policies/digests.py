"""Email digests: what happened in a person's policy areas since their last digest, built in batches.

Each preference stores the start of its next window; a digest covers [period_start, now) and the window is
moved forward in the same transaction that writes the digest to the outbox, under a row lock taken with
SKIP LOCKED. Running twice, or two workers at once, or a worker dying mid-batch, gives each person at most
one digest per period (the key digest:<user>:<period_start> is unique as well). Nothing is sent when there
is nothing to say, but the window still moves. Each batch takes a constant number of queries.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from committee.outbox.delivery import letter, post
from committee.outbox.unsubscribe import list_headers, unsubscribe_url

from .models import Consultation, Decision, DigestPreference, FollowUpAction, Meeting, Proposal
from .notifications import Kind, meeting_link, proposal_link
from .permissions import involved_agency_ids, scopes_of, sees_action, sees_meeting, sees_proposal

PERIODS = {
    DigestPreference.Frequency.DAILY: datetime.timedelta(days=1),
    DigestPreference.Frequency.WEEKLY: datetime.timedelta(days=7),
}
UPCOMING = datetime.timedelta(days=14)
BATCH_SIZE = 100
LIST_NAME = "digest"


def due_preferences(now):
    due = Q()
    for frequency, length in PERIODS.items():
        due |= Q(frequency=frequency, period_start__lte=now - length)
    return DigestPreference.objects.filter(due, user__is_active=True)


def unsubscribe(user_id: int) -> None:
    """One-click unsubscribe: no more digests for this person (the outbox's view has checked they exist).

    Someone with no preference yet gets one that is off, so that enrolment never signs them up again.
    """
    DigestPreference.objects.update_or_create(user_id=user_id, defaults={"frequency": DigestPreference.Frequency.OFF})


def _areas_of(proposal) -> set[int]:
    return {proposal.policy_area_id, *(area.pk for area in proposal.secondary_areas.all())}


class Material:
    """Everything that may go into any digest of one batch, read once for the whole batch."""

    def __init__(self, since, now):
        today = timezone.localdate(now)
        proposal_related = ("co_sponsors", "consultations", "secondary_areas")
        self.proposals = list(
            Proposal.objects.filter(submitted_at__gte=since, submitted_at__lt=now)
            .select_related("lead_agency", "policy_area")
            .prefetch_related(*proposal_related)
            .order_by("submitted_at", "pk")
        )
        self.consultations = list(
            Consultation.objects.filter(requested_at__gte=since, requested_at__lt=now)
            .select_related("proposal", "agency")
            .prefetch_related(*(f"proposal__{name}" for name in proposal_related))
            .order_by("requested_at", "pk")
        )
        self.meetings = list(
            Meeting.objects.filter(
                Q(agenda_published_at__gte=since, agenda_published_at__lt=now)
                | Q(starts_at__gte=now, starts_at__lt=now + UPCOMING)
            )
            .exclude(status=Meeting.Status.CANCELLED)
            .select_related("committee")
            .order_by("starts_at", "pk")
        )
        self.decisions = list(
            Decision.objects.filter(created_at__gte=since, created_at__lt=now)
            .select_related("agenda_item__meeting", "agenda_item__proposal")
            .prefetch_related(*(f"agenda_item__proposal__{name}" for name in proposal_related))
            .order_by("decided_at", "pk")
        )
        self.overdue_actions = list(
            FollowUpAction.objects.overdue(today)
            .select_related("agency", "decision__agenda_item__meeting", "decision__agenda_item__proposal")
            .prefetch_related(*(f"decision__agenda_item__proposal__{name}" for name in proposal_related))
            .order_by("due_date", "pk")
        )
        for proposal in self.proposals:
            proposal.digest_link = proposal_link(proposal)
        for meeting in self.meetings:
            meeting.digest_link = meeting_link(meeting)

    def for_person(self, preference, scope, now) -> dict:
        start = preference.period_start
        wanted = {area.pk for area in preference.areas.all()}

        def in_areas(proposal):
            return not wanted or bool(wanted & _areas_of(proposal))

        def readable(proposal):
            return sees_proposal(scope, proposal, involved_agency_ids(proposal))

        def in_window(moment):
            # The window's end (now, excluded) is the Material's; the batch reads from its earliest start.
            return start <= moment

        return {
            "proposals": [p for p in self.proposals if in_window(p.submitted_at) and readable(p) and in_areas(p)],
            "consultations": [
                c
                for c in self.consultations
                if in_window(c.requested_at) and readable(c.proposal) and in_areas(c.proposal)
            ],
            "meetings": [
                m
                for m in self.meetings
                if sees_meeting(scope, m.committee_id)
                and (m.starts_at >= now or (m.agenda_published_at and in_window(m.agenda_published_at)))
            ],
            "decisions": [
                d
                for d in self.decisions
                if in_window(d.created_at)
                and sees_meeting(scope, d.agenda_item.meeting.committee_id)
                and (d.agenda_item.proposal is None or in_areas(d.agenda_item.proposal))
            ],
            "overdue_actions": [
                a
                for a in self.overdue_actions
                if sees_action(scope, a, a.decision.agenda_item.meeting.committee_id)
                and (a.decision.agenda_item.proposal is None or in_areas(a.decision.agenda_item.proposal))
            ],
        }


def digest_letter(preference, content: dict, now):
    user = preference.user
    context = {
        **content,
        "window_start": timezone.localtime(preference.period_start),
        "window_end": timezone.localtime(now),
        "weekly": preference.frequency == DigestPreference.Frequency.WEEKLY,
        "unsubscribe_url": unsubscribe_url(user.pk, LIST_NAME),
    }
    return letter(
        user,
        "digest",
        context,
        kind=Kind.DIGEST,
        dedup_key=f"digest:{user.pk}:{preference.period_start.isoformat()}",
        headers=list_headers(user.pk, LIST_NAME),
        in_app=False,
        # A digest gathers several committees' news: no committee's secretariat may read it, only superusers.
        committee_id=None,
    )


def build_batch(preferences, now) -> int:
    """Write the digests of one batch of locked preferences and move their windows; returns emails queued."""
    scopes = scopes_of([preference.user for preference in preferences])
    material = Material(min(preference.period_start for preference in preferences), now)
    letters = []
    for preference in preferences:
        scope = scopes.get(preference.user_id)
        if scope is None:
            continue
        content = material.for_person(preference, scope, now)
        if any(content.values()):
            letters.append(digest_letter(preference, content, now))
    queued = post(letters)
    DigestPreference.objects.filter(pk__in=[preference.pk for preference in preferences]).update(period_start=now)
    return len(queued)


def enrol_newcomers(now) -> int:
    """Current members and liaisons without a preference get the default (weekly, every area) from now on.

    They can change it or switch it off at any time; until then they hear about their committees.
    """
    today = timezone.localdate(now)
    current_member = Q(memberships__term_start__lte=today) & (
        Q(memberships__term_end__isnull=True) | Q(memberships__term_end__gte=today)
    )
    newcomers = (
        get_user_model()
        .objects.filter(is_active=True, digest_preference__isnull=True)
        .filter(current_member | Q(profile__agency__isnull=False))
        .values_list("pk", flat=True)
        .distinct()
    )
    created = DigestPreference.objects.bulk_create(
        [DigestPreference(user_id=pk, period_start=now) for pk in newcomers], ignore_conflicts=True
    )
    return len(created)


def send_digests(now=None, batch_size: int = BATCH_SIZE) -> int:
    """Send every digest whose period has elapsed; safe to run as often as you like."""
    now = now or timezone.now()
    enrol_newcomers(now)
    # A new subscriber's first window starts now, rather than replaying the whole history.
    DigestPreference.objects.filter(frequency__in=list(PERIODS), period_start__isnull=True).update(period_start=now)
    queued = 0
    while True:
        with transaction.atomic():
            preferences = list(
                due_preferences(now)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("user__profile")
                .prefetch_related("areas")
                .order_by("pk")[:batch_size]
            )
            if not preferences:
                return queued
            queued += build_batch(preferences, now)
