"""Email digests: what needs the reader first (opinions their agency owes, its follow-up actions due or overdue,
meeting invitations they have not answered, the notifications they asked to hear of only here), then what
happened in their policy areas since their last digest, built in batches. Every item passes the same visibility
checks as the rest of the digest.

Each preference stores the start of its next window; a digest covers [period_start, now) and the window is
moved forward in the same transaction that writes the digest to the outbox, under a row lock taken with
SKIP LOCKED. Running twice, or two workers at once, or a worker dying mid-batch, gives each person at most
one digest per period (the key digest:<user>:<period_start> is unique as well). Nothing is sent when there
is nothing to say, but the window still moves. Each batch takes a constant number of queries.

A digest is news: each section lists at most SECTION_LIMIT items and says how many more the reader may see,
with a link to the page where they see them all; the follow-up actions of the reader's areas are those that
became overdue during the window, not every action ever overdue. The counts in the subject are full counts.

One run reads the news and what each agency owes once, for all its batches (digest_material.py); readers who
share a scope, areas and window share one selection, and each listed item's line is rendered once per language
(emails/digest-line.*), so a letter costs its reader's own lines, not a pass over everything.
"""

import datetime
from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Min, Q
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from committee.directory.scope import is_secretariat_staff, scopes_of
from committee.outbox.delivery import letter, post

from .digest_material import Material, Owed, Personal
from .models import DigestPreference
from .notifications import Kind, agenda_item_link, meeting_link, portal_link, proposal_link
from .permissions import sees_action, sees_meeting, sees_proposal
from .reply_links import reply_links

PERIODS = {
    DigestPreference.Frequency.DAILY: datetime.timedelta(days=1),
    DigestPreference.Frequency.WEEKLY: datetime.timedelta(days=7),
}
BATCH_SIZE = 100
SECTION_LIMIT = 20  # items listed per section of a digest; the rest are counted, with a link to see them all
PERSONAL = ("replies_owed", "held")  # the reader's own lists, whose lines no other letter shares


def due_preferences(now):
    due = Q()
    for frequency, length in PERIODS.items():
        due |= Q(frequency=frequency, period_start__lte=now - length)
    return DigestPreference.objects.filter(due, user__is_active=True)


# --- what each reader may be told ------------------------------------------------------------------------


class Timeline(NamedTuple):
    """Items in the order of the moment (or day) a window tests, with those moments: a window's start cuts it."""

    items: list
    moments: list

    @classmethod
    def of(cls, items: list, moment: str) -> "Timeline":
        return cls(items, [getattr(item, moment) for item in items])

    def since(self, first) -> list:
        return self.items[bisect_left(self.moments, first) :]


class News:
    """One run's reads (Material, Owed), its rendered lines and its links, shared by all its batches."""

    def __init__(self, since, agencies, now):
        self.now, self.today = now, timezone.localdate(now)
        self.material, self.owed = Material(since, now), Owed(agencies, now)
        self.lines, self.links = Lines(self.today), see_all_links()
        self._visible: dict = {}
        self._changes: dict[tuple, dict[str, list]] = {}
        self._owed_by: dict = {}

    def covers(self, since, agencies) -> bool:
        return self.material.since <= since and set(agencies) <= self.owed.agencies

    def changes_for(self, preference, scope) -> dict[str, list]:
        """What is new in the reader's window that they may see in their areas; the same for every reader of
        the same scope, areas and window, so computed once for them all."""
        wanted = frozenset(area.pk for area in preference.areas.all())
        key = (scope, wanted, preference.period_start)
        if key not in self._changes:
            self._changes[key] = self._changes_in(scope, wanted, preference.period_start)
        return self._changes[key]

    def _changes_in(self, scope, wanted: frozenset[int], start) -> dict[str, list]:
        visible, now = self._visible_to(scope), self.now

        def in_areas(proposal):
            return proposal is None or not wanted or not wanted.isdisjoint(proposal.digest_areas)

        # The window's end (now, excluded) is the Material's, which reads from the run's earliest start.
        return {
            "proposals": [p for p in visible["proposals"].since(start) if in_areas(p)],
            "consultations": [c for c in visible["consultations"].since(start) if in_areas(c.proposal)],
            "meetings": [
                m
                for m in visible["meetings"]
                if m.starts_at >= now or (m.agenda_published_at and start <= m.agenda_published_at)
            ],
            "decisions": [
                d for d in visible["decisions"] if start <= d.created_at and in_areas(d.agenda_item.proposal)
            ],
            "overdue_actions": [
                a
                for a in visible["overdue_actions"].since(timezone.localdate(start))
                if in_areas(a.decision.agenda_item.proposal)
            ],
        }

    def _visible_to(self, scope) -> dict:
        """Every item of the run's news that this scope may see, by the policy's own checks, made once per scope
        (readers of one scope differ only in their areas and windows)."""
        if scope not in self._visible:

            def candidates(name):  # those the scope may see are among them; sees_* decides
                return self.material.index[name].candidates(scope)

            def readable(proposal):
                return sees_proposal(scope, proposal, proposal.digest_involved)

            self._visible[scope] = {
                "proposals": Timeline.of([p for p in candidates("proposals") if readable(p)], "submitted_at"),
                "consultations": Timeline.of(
                    [c for c in candidates("consultations") if readable(c.proposal)], "requested_at"
                ),
                "meetings": [m for m in candidates("meetings") if sees_meeting(scope, m.committee_id)],
                "decisions": [
                    d for d in candidates("decisions") if sees_meeting(scope, d.agenda_item.meeting.committee_id)
                ],
                "overdue_actions": Timeline.of(
                    [
                        a
                        for a in candidates("overdue_actions")
                        if sees_action(scope, a, a.decision.agenda_item.meeting.committee_id)
                    ],
                    "due_date",
                ),
            }
        return self._visible[scope]

    def needs_of(self, preference, scope, personal: Personal) -> dict[str, list]:
        """What waits for the reader, whatever their areas: what their agency owes, and their own lists."""
        if scope not in self._owed_by:
            self._owed_by[scope] = self._owed_to(scope)
        return {
            **self._owed_by[scope],
            "replies_owed": personal.unanswered.get(preference.user_id, []),
            "held": [n for n in personal.held.get(preference.user_id, ()) if n.created_at >= preference.period_start],
        }

    def _owed_to(self, scope) -> dict[str, list]:
        """What the reader's agency owes, as they may see it: the same for every liaison of the agency."""
        agency = scope.agency_id
        return {
            "opinions_due": [
                c
                for c in self.owed.consultations
                if agency and c.agency_id == agency and sees_proposal(scope, c.proposal, c.proposal.digest_involved)
            ],
            "actions_due": [
                a
                for a in self.owed.actions
                if agency
                and a.agency_id == agency
                and sees_action(scope, a, a.decision.agenda_item.meeting.committee_id)
            ],
        }


def leading_with_needs(needs: dict[str, list], changes: dict[str, list]) -> dict[str, list]:
    """What needs the reader, then what changed, without listing an item twice (nor changing either)."""
    owed = {consultation.pk for consultation in needs["opinions_due"]}
    due = {action.pk for action in needs["actions_due"]}
    invited = {meeting.pk for meeting in needs["replies_owed"]}
    return {
        **needs,
        **changes,
        "meetings": [m for m in changes["meetings"] if m.pk not in invited],
        "consultations": [c for c in changes["consultations"] if c.pk not in owed],
        "overdue_actions": [a for a in changes["overdue_actions"] if a.pk not in due],
    }


# --- how it reads ----------------------------------------------------------------------------------------


# Where each section's line leads: the page that shows its item to whoever the digest may list it for. A
# consultation is part of its proposal's file; a decision and its actions are shown under their agenda item on
# the meeting's page (an overdue action is listed there only to readers of that committee: its own agency's
# people find it among what they owe). What the reader's agency owes is answered on its own form.
ITEM_LINKS = {
    "proposals": proposal_link,
    "consultations": lambda consultation: proposal_link(consultation.proposal),
    "meetings": meeting_link,
    "decisions": lambda decision: agenda_item_link(decision.agenda_item),
    "overdue_actions": lambda action: agenda_item_link(action.decision.agenda_item),
    "opinions_due": lambda consultation: portal_link("opinion", consultation.pk),
    "actions_due": lambda action: portal_link("action_progress", action.pk),
}


class Lines:
    """Each listed item's line (emails/digest-line.html and .txt) rendered once per language and shared by every
    letter that lists it."""

    def __init__(self, today):
        self.today = today
        self.templates = {
            "html": get_template("emails/digest-line.html"),
            "txt": get_template("emails/digest-line.txt", using="text"),  # plain text: nothing escaped
        }
        self.rendered: dict[tuple, str] = {}

    def join(self, section: str, items: list, form: str) -> str:
        language = translation.get_language()
        lines = []
        for item in items:
            key = (section, item.pk, form, language)
            if key not in self.rendered:
                context = {"section": section, "item": item, "today": self.today, "link": ITEM_LINKS[section](item)}
                self.rendered[key] = self.templates[form].render(context)
            lines.append(self.rendered[key])
        return mark_safe("".join(lines))  # nosec B308 B703: html lines escaped by their template; txt is plain


@dataclass(frozen=True)
class Section:
    """One list of a digest: the first items, how many the reader may see in all, and where they see them."""

    name: str
    shown: list
    total: int
    link: str
    lines: Lines | None  # None for PERSONAL lists, which the templates loop over themselves

    @property
    def more(self) -> int:
        return self.total - len(self.shown)

    @property
    def more_said(self) -> str:
        """The line saying how many more there are, in the active language (cheaper here than in a template)."""
        return ngettext(
            "and %(count)d more: see them all in the Bio Committee Desk",
            "and %(count)d more: see them all in the Bio Committee Desk",
            self.more,
        ) % {"count": self.more}

    @property
    def html(self) -> str:
        return self.lines.join(self.name, self.shown, "html")

    @property
    def text(self) -> str:
        return self.lines.join(self.name, self.shown, "txt")

    def __bool__(self) -> bool:
        return self.total > 0


def see_all_links() -> dict[bool, dict[str, str]]:
    """For each section, the page where its reader sees every item of it they may see: the portal's lists (the
    liaison's home lists what the agency owes), or, for a secretariat reading nothing beyond the committees it
    staffs, the admin's changelists, which show exactly those committees. Keyed by `reads_all_in_admin`."""

    def at(name: str, query: str = "") -> str:
        return f"{settings.SITE_URL}{reverse(name)}{query}"

    portal = {
        "replies_owed": at("portal:meeting_list"),
        "opinions_due": at("portal:consultation_list"),  # by default what the reader's agency still owes
        "actions_due": at("portal:action_list"),  # likewise: the agency's actions not done
        "held": at("notifications:list"),
        "proposals": at("portal:proposal_list"),
        "consultations": at("portal:consultation_list", "?show=all&whose=all"),
        "meetings": at("portal:meeting_list"),
        "decisions": at("portal:meeting_list"),
        "overdue_actions": at("portal:action_list", "?show=overdue&whose=all"),
    }
    desk = {
        **portal,
        "consultations": at("admin:policies_consultation_changelist"),
        "decisions": at("admin:policies_decision_changelist"),
        "overdue_actions": at("admin:policies_followupaction_changelist", "?overdue=yes"),
    }
    return {False: portal, True: desk}


def reads_all_in_admin(user, scope) -> bool:
    """Whether the admin shows this reader all their digest may tell of (the admin keeps to the committees one
    staffs: a secretariat who is also a member or liaison elsewhere is sent to the portal)."""
    if not is_secretariat_staff(user):
        return False
    return scope.superuser or (not scope.agency_id and scope.readable_committees == scope.staffed)


def needs_summary(opinions: int, overdue: int, due: int, replies: int = 0) -> str:
    """The subject's lead, e.g. "2 opinions due, 1 action overdue", in the active language."""
    parts = []
    if replies:
        parts.append(
            ngettext("%(count)d invitation to answer", "%(count)d invitations to answer", replies) % {"count": replies}
        )
    if opinions:
        parts.append(ngettext("%(count)d opinion due", "%(count)d opinions due", opinions) % {"count": opinions})
    if overdue:
        parts.append(ngettext("%(count)d action overdue", "%(count)d actions overdue", overdue) % {"count": overdue})
    if due:
        parts.append(ngettext("%(count)d action due soon", "%(count)d actions due soon", due) % {"count": due})
    return ", ".join(parts)


# Rendered when the letter is, in the reader's language.
lazy_needs_summary = lazy(needs_summary, str)


def digest_letter(preference, content: dict[str, list], news: News, scope):
    user, today = preference.user, news.today
    links = news.links[reads_all_in_admin(user, scope)]
    sections = {
        name: Section(name, items[:SECTION_LIMIT], len(items), links[name], None if name in PERSONAL else news.lines)
        for name, items in content.items()
    }
    # Only the invitations listed carry their signed one-click answers.
    invitations = sections["replies_owed"]
    sections["replies_owed"] = replace(
        invitations,
        shown=[
            {"meeting": meeting, "link": meeting_link(meeting), "answers": reply_links(meeting, user)}
            for meeting in invitations.shown
        ],
    )
    overdue = sum(1 for action in content["actions_due"] if action.due_date < today)
    context = {
        **sections,
        "needs_summary": lazy_needs_summary(
            len(content["opinions_due"]), overdue, len(content["actions_due"]) - overdue, len(content["replies_owed"])
        ),
        "window_start": timezone.localtime(preference.period_start),
        "window_end": timezone.localtime(news.now),
        "weekly": preference.frequency == DigestPreference.Frequency.WEEKLY,
    }
    return letter(
        user,
        "digest",
        context,
        kind=Kind.DIGEST,
        dedup_key=f"digest:{user.pk}:{preference.period_start.isoformat()}",
        in_app=False,
        # A digest gathers several committees' news: no committee's secretariat may read it, only superusers.
        committee_id=None,
    )


# --- the run ---------------------------------------------------------------------------------------------


def build_batch(preferences, scopes, news: News) -> int:
    """Write the digests of one batch of locked preferences and move their windows; returns emails queued."""
    since = min(preference.period_start for preference in preferences)
    personal = Personal([preference.user_id for preference in preferences], since, news.now)
    letters = []
    for preference in preferences:
        scope = scopes.get(preference.user_id)
        if scope is None:
            continue
        content = leading_with_needs(news.needs_of(preference, scope, personal), news.changes_for(preference, scope))
        if any(content.values()):
            letters.append(digest_letter(preference, content, news, scope))
    queued = post(letters)
    DigestPreference.objects.filter(pk__in=[preference.pk for preference in preferences]).update(period_start=news.now)
    return len(queued)


def news_for(news: News | None, preferences, scopes, now) -> News:
    """The run's News if it covers this batch's windows and agencies, else News read for every reader due now
    (the first batch reads it; a later batch reaching further, a preference changed meanwhile, reads again)."""
    since = min(preference.period_start for preference in preferences)
    agencies = {scope.agency_id for scope in scopes.values() if scope.agency_id}
    if news is not None and news.covers(since, agencies):
        return news
    due = due_preferences(now)
    earliest = due.aggregate(earliest=Min("period_start"))["earliest"]
    due_agencies = due.filter(user__profile__agency__isnull=False).values_list("user__profile__agency", flat=True)
    return News(min(since, earliest or since), agencies | set(due_agencies), now)


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
    queued, news = 0, None
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
            scopes = scopes_of([preference.user for preference in preferences])
            news = news_for(news, preferences, scopes, now)
            queued += build_batch(preferences, scopes, news)
