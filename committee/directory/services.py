"""Grants: who acts for which agency, who sits on and who staffs which committee. Checked here, and logged.

A user's reach in the committee's work is data in this app, and each piece of it is a grant: a profile's
liaison agency (lead-agency rights in every committee the agency sits on), a membership (read access to
the committee's papers, a place in its quorum), a seat in a committee's secretariat (its whole desk), an
agency's seat on a committee (its liaisons draft and read there). The rules, for every face:

- No one grants anything to themselves: not their own liaison agency, membership or secretariat seat, not
  even a superuser. Another superuser does it, and the log says who.
- Liaison agencies, secretariat seats and committees' member agencies are granted by superusers only:
  they reach beyond any one committee's desk.
- A committee's secretariat keeps that committee's members: it seats people, changes their role, agency
  represented and term, ends terms and deletes a mistaken entry. It chooses among the people of its
  committees (members past and present, liaisons of its member agencies, its colleagues) and accounts that
  hold no role anywhere yet; it never moves a membership to another person or committee. The agency
  represented on a membership labels an ex-officio seat and grants nothing.
- Agencies are reference data shared by every committee: superusers add, rename and deactivate them; an
  acronym in use never changes (Agency.clean) and an agency in use is never deleted.

Every verb changes its rows and appends its audit entry in one transaction.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from committee.audit.log import diff, record, snapshot

from .models import Agency, Committee, CommitteeMembership, Profile

MEMBERSHIP_FIELDS = ("committee", "user", "role", "agency", "term_start", "term_end")
AGENCY_FIELDS = ("acronym", "name_ko", "name_en", "is_active")
ACCOUNT_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")


class GrantRefused(PermissionDenied):
    """A grant the acting user may not make; the message says why, in words for the user.

    It carries its HTTP status and API code as the policy lifecycle's refusals do (policies.workflow).
    """

    status, code = 403, "not_permitted"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- who may grant, and to whom -------------------------------------------------------------------


def is_superuser(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def staffed_committee_ids(user) -> frozenset[int]:
    if not user.is_active:
        return frozenset()
    through = Committee.secretariat.through.objects.filter(user_id=user.pk)
    return frozenset(through.values_list("committee_id", flat=True))


def may_keep_members(user, committee_id: int | None) -> bool:
    """Superusers keep every committee's members, a secretariat those of the committees it staffs."""
    return is_superuser(user) or (committee_id is not None and committee_id in staffed_committee_ids(user))


def people_of(committee_ids: Iterable[int]) -> Q:
    """Users connected to these committees: members (past and present), liaisons of member agencies, staff."""
    member_ids = CommitteeMembership.objects.filter(committee_id__in=committee_ids).values("user_id")
    agency_ids = Committee.agencies.through.objects.filter(committee_id__in=committee_ids).values("agency_id")
    staff_ids = Committee.secretariat.through.objects.filter(committee_id__in=committee_ids).values("user_id")
    return Q(pk__in=member_ids) | Q(profile__agency_id__in=agency_ids) | Q(pk__in=staff_ids)


def without_any_role() -> Q:
    """Accounts that hold no role anywhere yet: not staff, no membership, no secretariat seat, no agency."""
    return (
        Q(is_staff=False, is_superuser=False)
        & ~Exists(CommitteeMembership.objects.filter(user_id=OuterRef("pk")))
        & ~Exists(Committee.secretariat.through.objects.filter(user_id=OuterRef("pk")))
        & ~Exists(Profile.objects.filter(user_id=OuterRef("pk"), agency__isnull=False))
    )


def manageable_people(by) -> QuerySet:
    """The active accounts `by` may seat on a committee it keeps; never `by` itself."""
    users = get_user_model().objects.filter(is_active=True).exclude(pk=by.pk).order_by("last_name", "first_name", "pk")
    if is_superuser(by):
        return users
    committee_ids = staffed_committee_ids(by)
    if not committee_ids:
        return users.none()
    return users.filter(people_of(committee_ids) | without_any_role())


def refuse_liaison_grant(by, user_id: int | None) -> None:
    if not is_superuser(by):
        raise GrantRefused(_("Only a superuser may change which agency an account is liaison of."))
    if user_id == by.pk:
        raise GrantRefused(_("No one may change their own liaison agency; ask another superuser."))


def may_grant_liaison(by, user_id: int | None) -> bool:
    try:
        refuse_liaison_grant(by, user_id)
    except GrantRefused:
        return False
    return True


# --- liaison agency -----------------------------------------------------------------------------


def save_profile(profile: Profile, *, by, client_address: str | None = None) -> Profile:
    """Save a profile as edited. A new liaison agency is a grant: allowed for superusers, on others, logged."""
    with transaction.atomic():
        stored = Profile.objects.select_for_update().filter(pk=profile.pk).first() if profile.pk else None
        if stored is not None and stored.user_id != profile.user_id:
            raise GrantRefused(_("A profile stays with its account."))
        before = stored.agency_id if stored is not None else None
        if profile.agency_id != before:
            refuse_liaison_grant(by, profile.user_id)
        profile.save()
        if profile.agency_id != before:
            record(
                "profile.liaison_agency_changed",
                actor=by,
                target=profile,
                changes={"agency": [before, profile.agency_id]},
                client_address=client_address,
            )
    return profile


# --- memberships --------------------------------------------------------------------------------


def _refuse_membership_change(by, membership: CommitteeMembership, stored: CommitteeMembership | None) -> None:
    if not may_keep_members(by, membership.committee_id):
        raise GrantRefused(_("You do not keep this committee's members."))
    if by.pk in (membership.user_id, getattr(stored, "user_id", None)):
        raise GrantRefused(_("No one may add or change their own membership."))
    if stored is not None:
        if (stored.committee_id, stored.user_id) != (membership.committee_id, membership.user_id):
            raise GrantRefused(_("A membership stays with its person and committee: end it and add a new one."))
    elif not manageable_people(by).filter(pk=membership.user_id).exists():
        raise GrantRefused(_("You may not seat this person; a superuser can."))


def save_membership(membership: CommitteeMembership, *, by, client_address: str | None = None) -> CommitteeMembership:
    """Seat a member, or change a membership's role, agency represented or term; ending a term is logged as such."""
    with transaction.atomic():
        queryset = CommitteeMembership.objects.select_for_update()
        stored = queryset.filter(pk=membership.pk).first() if membership.pk else None
        _refuse_membership_change(by, membership, stored)
        before = snapshot(stored, MEMBERSHIP_FIELDS) if stored is not None else {}
        membership.save()
        changes = diff(before, snapshot(membership, MEMBERSHIP_FIELDS))
        if stored is None:
            action = "membership.created"
        elif stored.term_end is None and membership.term_end is not None:
            action = "membership.ended"
        else:
            action = "membership.changed"
        if changes:
            record(
                action,
                actor=by,
                target=membership,
                changes=changes,
                committee_id=membership.committee_id,
                client_address=client_address,
            )
    return membership


def delete_membership(membership: CommitteeMembership, *, by, client_address: str | None = None) -> None:
    """Delete a membership entered by mistake (a term that really ended is ended, not deleted)."""
    with transaction.atomic():
        stored = CommitteeMembership.objects.select_for_update().filter(pk=membership.pk).first()
        if stored is None:
            return
        _refuse_membership_change(by, stored, stored)
        changes = diff(snapshot(stored, MEMBERSHIP_FIELDS), {})
        record(
            "membership.deleted",
            actor=by,
            target=stored,
            changes=changes,
            committee_id=stored.committee_id,
            client_address=client_address,
        )
        stored.delete()


# --- secretariat seats and member agencies -------------------------------------------------------


def set_committee_links(
    committee: Committee,
    *,
    by,
    secretariat: Iterable | None = None,
    agencies: Iterable[Agency] | None = None,
    client_address: str | None = None,
) -> None:
    """Seat secretariat staff and member agencies on a committee (None leaves that list as it is)."""
    wanted = {"secretariat": secretariat, "agencies": agencies}
    with transaction.atomic():
        Committee.objects.select_for_update().filter(pk=committee.pk).first()
        for field, objects in wanted.items():
            if objects is None:
                continue
            before = snapshot(committee, [field])[field]
            after = sorted({obj.pk for obj in objects})
            if before == after:
                continue
            if not is_superuser(by):
                raise GrantRefused(_("Only a superuser may change who staffs a committee or which agencies sit on it."))
            if field == "secretariat" and by.pk in set(after) - set(before):
                raise GrantRefused(_("No one may give themselves a seat in a committee's secretariat."))
            getattr(committee, field).set(after)
            record(
                f"committee.{field}_changed",
                actor=by,
                target=committee,
                changes={field: [before, after]},
                committee_id=committee.pk,
                client_address=client_address,
            )


# --- agencies -----------------------------------------------------------------------------------


def _refuse_agency_change(by) -> None:
    if not is_superuser(by):
        raise GrantRefused(_("Agencies are shared by every committee: only a superuser adds, renames or removes them."))


def save_agency(agency: Agency, *, by, client_address: str | None = None) -> Agency:
    """Add or change an agency (superusers only); an acronym in use is refused by Agency itself."""
    _refuse_agency_change(by)
    with transaction.atomic():
        stored = Agency.objects.select_for_update().filter(pk=agency.pk).first() if agency.pk else None
        before = snapshot(stored, AGENCY_FIELDS) if stored is not None else {}
        agency.save()
        changes = diff(before, snapshot(agency, AGENCY_FIELDS))
        if changes:
            action = "agency.created" if stored is None else "agency.changed"
            record(action, actor=by, target=agency, changes=changes, client_address=client_address)
    return agency


def delete_agency(agency: Agency, *, by, client_address: str | None = None) -> None:
    _refuse_agency_change(by)
    with transaction.atomic():
        stored = Agency.objects.select_for_update().filter(pk=agency.pk).first()
        if stored is None:
            return
        if stored.is_in_use():
            raise GrantRefused(_("This agency is in use and cannot be deleted; deactivate it instead."))
        record(
            "agency.deleted",
            actor=by,
            target=stored,
            changes=diff(snapshot(stored, AGENCY_FIELDS), {}),
            client_address=client_address,
        )
        stored.delete()


# --- accounts (the superusers' user admin) ----------------------------------------------------------


def account_privileges(user) -> dict:
    """What an account may do beyond the committee's own grants, as the audit log stores it."""
    return snapshot(user, ACCOUNT_FIELDS) if user.pk else {}


def record_account_change(user, before: dict, *, by, client_address: str | None = None) -> None:
    """Log a change of an account's activity, staff or superuser status, groups or permissions."""
    changes = diff(before, account_privileges(user))
    if changes:
        action = "account.created" if not before else "account.privileges_changed"
        record(action, actor=by, target=user, changes=changes, client_address=client_address)
