"""What every signed-in request pays before its own work: the user with their profile, and their scope.

Both are read on every API and portal request (language, visibility), so each is one statement (bench row 2,
bench/RESULTS.md): the profile joined to the session's user, and the secretariat seats, current memberships and
the agency's committees in one UNION.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from committee.directory import scope as directory_scope
from committee.directory.auth import LockoutModelBackend
from committee.directory.models import CommitteeMembership
from tests import cast

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.select_related("profile").get(pk=user.pk)


@pytest.fixture
def everything_at_once(committee, msit):
    """A liaison of MSIT who also staffs one committee and sits, now, on another (and sat on a third)."""
    user = cast.make_liaison(msit, "many-hats")
    staffed = cast.make_committee("STAFFED")
    staffed.agencies.clear()
    staffed.secretariat.add(user)
    sitting = cast.make_committee("SITTING")
    sitting.agencies.clear()
    former = cast.make_committee("FORMER")
    former.agencies.clear()
    today = timezone.localdate()
    CommitteeMembership.objects.create(committee=sitting, user=user, term_start=today - datetime.timedelta(days=9))
    CommitteeMembership.objects.create(
        committee=former,
        user=user,
        term_start=today - datetime.timedelta(days=900),
        term_end=today - datetime.timedelta(days=1),
    )
    return user, staffed, sitting


def test_a_scope_is_read_in_one_statement_and_keeps_each_kind_apart(
    everything_at_once, committee, msit, django_assert_num_queries
):
    user, staffed, sitting = everything_at_once
    user = fresh(user)
    with django_assert_num_queries(1):
        scope = directory_scope.scope_of(user)
    assert scope.staffed == {staffed.pk}
    assert scope.member_of == {sitting.pk}
    assert scope.agency_id == msit.pk
    assert scope.agency_committees == {committee.pk}
    with django_assert_num_queries(0):
        assert directory_scope.scope_of(user) is scope  # cached on the user for the rest of the request


def test_scopes_of_many_users_take_one_statement(
    everything_at_once, secretariat, member, lead_liaison, committee, django_assert_num_queries
):
    many_hats, staffed, _ = everything_at_once
    users = [fresh(u) for u in (many_hats, secretariat, member, lead_liaison)]
    with django_assert_num_queries(1):
        scopes = directory_scope.scopes_of([*users, AnonymousUser()])
    assert scopes[secretariat.pk].staffed == {committee.pk} and not scopes[secretariat.pk].member_of
    assert scopes[member.pk].member_of == {committee.pk} and not scopes[member.pk].staffed
    assert scopes[lead_liaison.pk].agency_committees == {committee.pk}
    assert scopes[many_hats.pk].staffed == {staffed.pk}
    with django_assert_num_queries(0):
        assert directory_scope.scopes_of([AnonymousUser()]) == {}


def test_the_sessions_user_comes_with_the_profile(lead_liaison, msit, django_assert_num_queries):
    backend = LockoutModelBackend()
    with django_assert_num_queries(1):
        user = backend.get_user(lead_liaison.pk)
        assert user.profile.agency_id == msit.pk
    lead_liaison.is_active = False
    lead_liaison.save()
    assert backend.get_user(lead_liaison.pk) is None
    assert backend.get_user(10**9) is None


def test_a_user_without_a_profile_is_still_a_user(django_assert_num_queries):
    bare = get_user_model().objects.create_user("no-profile", password="x")
    user = LockoutModelBackend().get_user(bare.pk)
    assert user == bare
    with django_assert_num_queries(0):
        assert directory_scope.liaison_agency_id(user) is None
