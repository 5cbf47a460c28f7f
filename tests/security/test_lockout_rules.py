"""The sign-in lockout's key and counter: who shares a count, where it starts, and the edges of the limit."""

import pytest
from django.contrib.auth import authenticate
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
