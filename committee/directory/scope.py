"""Who is who, read once: the committees a user staffs or belongs to and the agency they speak for.

A scope reads only the directory's tables. Every face asks it through the policy lifecycle's permissions
(policies/permissions.py) or, for the directory's and outbox's own admin pages, directly.
"""

from dataclasses import dataclass

from django.db.models import Q, Value

from committee.dates import seoul_today

from .models import Committee, CommitteeMembership, liaison_agency_id


@dataclass(frozen=True)
class Scope:
    """The committees and agency through which a user acts, read once per request."""

    authenticated: bool
    superuser: bool
    staffed: frozenset[int]  # committees whose secretariat the user belongs to
    member_of: frozenset[int]  # committees where the user is a current member
    agency_id: int | None  # the agency the user is liaison of
    agency_committees: frozenset[int]  # committees the user's agency belongs to

    @property
    def readable_committees(self) -> frozenset[int]:
        return self.staffed | self.member_of | self.agency_committees

    @property
    def is_secretariat(self) -> bool:
        return self.superuser or bool(self.staffed)

    def staffs(self, committee_id: int) -> bool:
        return self.superuser or committee_id in self.staffed


ANONYMOUS = Scope(False, False, frozenset(), frozenset(), None, frozenset())


def scope_of(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_committee_scope", None)
    if cached is not None:
        return cached
    return scopes_of([user])[user.pk]


def forget_scope(user) -> None:
    """Drop the cached scope after the user's roles change (tests, admin edits)."""
    user.__dict__.pop("_committee_scope", None)


STAFFED, MEMBER, AGENCY = 1, 2, 3


def _committee_links(user_ids, agency_ids):
    """(user or agency, committee, kind) rows: seats, current memberships and the agencies' committees.

    One statement for the three, since every signed-in request reads a scope: three round trips were a fixed
    cost of every API and portal request (bench row 2).
    """
    today = seoul_today()
    seats = Committee.secretariat.through.objects.filter(user_id__in=user_ids)
    memberships = CommitteeMembership.objects.filter(user_id__in=user_ids, term_start__lte=today).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )
    agencies = Committee.agencies.through.objects.filter(agency_id__in=agency_ids)
    parts = [
        seats.annotate(kind=Value(STAFFED)).values_list("user_id", "committee_id", "kind"),
        memberships.annotate(kind=Value(MEMBER)).values_list("user_id", "committee_id", "kind"),
    ]
    if agency_ids:
        parts.append(agencies.annotate(kind=Value(AGENCY)).values_list("agency_id", "committee_id", "kind"))
    return parts[0].union(*parts[1:], all=True)


def scopes_of(users) -> dict[int, Scope]:
    """Scopes of many users in one query, cached on each user as `scope_of` would cache them.

    The users' profiles should be loaded (select_related("profile")); the result agrees with `scope_of`.
    """
    users = [user for user in users if getattr(user, "is_authenticated", False) and user.is_active]
    if not users:
        return {}
    ids = [user.pk for user in users]
    agency_ids = {user.pk: liaison_agency_id(user) for user in users}
    staffed, member_of, agency_committees = {}, {}, {}
    found = {STAFFED: staffed, MEMBER: member_of, AGENCY: agency_committees}
    for owner_id, committee_id, kind in _committee_links(ids, {a for a in agency_ids.values() if a}):
        found[kind].setdefault(owner_id, set()).add(committee_id)
    scopes = {}
    for user in users:
        agency_id = agency_ids[user.pk]
        scope = Scope(
            authenticated=True,
            superuser=user.is_superuser,
            staffed=frozenset(staffed.get(user.pk, ())),
            member_of=frozenset(member_of.get(user.pk, ())),
            agency_id=agency_id,
            agency_committees=frozenset(agency_committees.get(agency_id, ())) if agency_id else frozenset(),
        )
        user._committee_scope = scope
        scopes[user.pk] = scope
    return scopes


def can_manage_committee(user, committee_id: int) -> bool:
    """Secretariat work: consultations, agendas, attendance, decisions, follow-up actions."""
    return scope_of(user).staffs(committee_id)


def is_secretariat_staff(user) -> bool:
    """The admin is the secretariat's desk: staff accounts that staff a committee, and superusers."""
    return bool(user.is_active and user.is_staff and scope_of(user).is_secretariat)


def managed_committee_ids(user) -> frozenset[int] | None:
    """The committees whose data the user manages in the admin; None means all (superusers)."""
    scope = scope_of(user)
    return None if scope.superuser else scope.staffed


def restrict_to_managed(user, queryset, committee_path: str):
    """Keep only rows of committees the user staffs, whatever else the policy lets them read elsewhere."""
    if not is_secretariat_staff(user):
        return queryset.none()
    committee_ids = managed_committee_ids(user)
    if committee_ids is None:
        return queryset
    return queryset.filter(**{f"{committee_path}__in": committee_ids})
