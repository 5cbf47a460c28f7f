"""The sign-in lockout's key and counter: who shares a count, where it starts, and the edges of the limit."""

import pytest
from django.contrib.auth import authenticate
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory

from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(username, password, address="10.0.0.1"):
    return authenticate(RequestFactory().post("/login/", REMOTE_ADDR=address), username=username, password=password)


def fail(username, times, address="10.0.0.1"):
    for _ in range(times):
        assert sign_in(username, "wrong", address) is None


def test_one_users_failures_do_not_lock_out_another_user_at_the_same_address(lead_liaison, other_liaison, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    fail("liaison-msit", 2)
    assert sign_in("liaison-mohw", PASSWORD) == other_liaison
    assert sign_in("liaison-msit", PASSWORD) is None


def test_failures_count_whatever_the_case_and_spaces_of_the_username(lead_liaison, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    fail(" LIAISON-MSIT", 1)
    fail("Liaison-Msit ", 1)
    assert sign_in("liaison-msit", PASSWORD) is None


def test_the_limit_is_the_number_of_failures_that_locks(lead_liaison, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    fail("liaison-msit", 2)
    assert sign_in("liaison-msit", PASSWORD) == lead_liaison  # two failures: still judged on the password
    fail("liaison-msit", 3)
    assert sign_in("liaison-msit", PASSWORD) is None  # three: refused even with the right one


def test_with_a_limit_of_one_the_first_attempt_is_still_judged(lead_liaison, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    assert sign_in("liaison-msit", PASSWORD) == lead_liaison


def test_sign_in_without_a_username_is_refused_quietly(lead_liaison):
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.1")
    assert authenticate(request, password=PASSWORD) is None


def test_a_failure_whose_counter_expires_at_once_is_still_refused_without_error(lead_liaison, settings):
    # A zero lockout makes the counter expire between `add` and `incr`: the race the backend must survive.
    settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_LOCKOUT_SECONDS = 1, 0
    assert sign_in("liaison-msit", "wrong") is None
    assert sign_in("liaison-msit", PASSWORD) == lead_liaison


def test_is_locked_out_agrees_with_the_backend(lead_liaison, settings):
    from committee.directory.auth import is_locked_out

    settings.LOGIN_FAILURE_LIMIT = 2
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.1")
    assert not is_locked_out("liaison-msit", request)  # no failure yet
    fail("liaison-msit", 1)
    assert not is_locked_out("liaison-msit", request)
    fail("liaison-msit", 1)
    assert is_locked_out("liaison-msit", request) and sign_in("liaison-msit", PASSWORD) is None


def test_is_locked_out_for_nobody_with_a_limit_of_one(lead_liaison, settings):
    from committee.directory.auth import is_locked_out

    settings.LOGIN_FAILURE_LIMIT = 1
    assert not is_locked_out("liaison-msit", RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.1"))


class CounterExpiresBeforeIncr(LocMemCache):
    """The real in-memory cache, except that every counter expires just before it is incremented: the race
    between `add` and `incr` that a real cache only shows now and then, shown every time."""

    def incr(self, key, delta=1, version=None):
        self.delete(key, version=version)
        return super().incr(key, delta, version=version)


def test_a_failure_whose_counter_expired_before_its_increment_counts_as_one(lead_liaison, settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.CounterExpiresBeforeIncr", "LOCATION": "race"}}
    settings.LOGIN_FAILURE_LIMIT = 2
    fail("liaison-msit", 1)
    assert sign_in("liaison-msit", PASSWORD) == lead_liaison  # one failure counted, not two
    settings.LOGIN_FAILURE_LIMIT = 1
    fail("liaison-msit", 1)
    assert sign_in("liaison-msit", PASSWORD) is None  # and counted at all
