"""Password guessing is cut off at every sign-in door, without letting strangers lock a user out.

Every test here counts in Redis, as production does (the `redis_cache` fixture).
"""

import time

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from tests.cast import PASSWORD

pytestmark = pytest.mark.usefixtures("redis_cache")


def attempt(client, username, password, address="10.0.0.1", url="/login/", **headers):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def signed_in(response) -> bool:
    """Whether a portal sign-in worked: it redirects and the request's user is the one who signed in."""
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


@pytest.fixture
def limit(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    return 3


@pytest.mark.django_db
def test_portal_sign_in_is_refused_after_too_many_failures_even_with_the_right_password(client, lead_liaison, limit):
    for _ in range(limit):
        assert attempt(client, "liaison-msit", "wrong").status_code == 200
    refused = attempt(client, "liaison-msit", PASSWORD)
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    assert refused.context["form"].errors


@pytest.mark.django_db
def test_another_address_is_not_locked_out(client, lead_liaison, limit):
    """A stranger guessing from one address cannot lock the user out from theirs."""
    for _ in range(limit):
        attempt(client, "liaison-msit", "wrong", address="203.0.113.9")
    assert not signed_in(attempt(client, "LIAISON-MSIT ", PASSWORD, address="203.0.113.9"))
    assert signed_in(attempt(client, "liaison-msit", PASSWORD, address="10.0.0.1"))


@pytest.mark.django_db
def test_a_success_before_the_limit_starts_the_count_again(client, lead_liaison, limit):
    for _ in range(limit - 1):
        attempt(client, "liaison-msit", "wrong")
    assert attempt(client, "liaison-msit", PASSWORD).status_code == 302
    client.logout()
    for _ in range(limit - 1):
        attempt(client, "liaison-msit", "wrong")
    assert attempt(client, "liaison-msit", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_admin_sign_in_shares_the_lockout(client, secretariat, limit):
    for _ in range(limit):
        attempt(client, "secretariat", "wrong", url="/admin/login/")
    response = attempt(client, "secretariat", PASSWORD, url="/admin/login/")
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_api_token_is_refused_while_locked_out(client, lead_liaison, limit, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "1000/min"}}
    assert "token" in attempt(client, "liaison-msit", PASSWORD, url="/api/v1/auth/token/").json()
    for _ in range(limit):
        attempt(client, "liaison-msit", "wrong", url="/api/v1/auth/token/")
    response = attempt(client, "liaison-msit", PASSWORD, url="/api/v1/auth/token/")
    assert response.status_code == 400 and "token" not in response.json()


@pytest.mark.django_db
def test_backend_authenticates_normally_below_the_limit(lead_liaison, limit):
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.2")
    assert authenticate(request, username="liaison-msit", password=PASSWORD) == lead_liaison
    assert authenticate(request, username="liaison-msit", password="wrong") is None


# --- what counts as the same username, where the count lives, and when it ends --------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["Liaison-MSIT ", "LIAISON-MSIT"])
def test_failures_count_for_the_username_however_it_is_spelt(client, lead_liaison, limit, spelling):
    for _ in range(limit - 1):
        attempt(client, "liaison-msit", "wrong")
    assert signed_in(attempt(client, "liaison-msit", PASSWORD))  # one failure short: still let in
    client.logout()
    for _ in range(limit - 1):
        attempt(client, "liaison-msit", "wrong")
    attempt(client, spelling, "wrong")  # the limit-th failure, under another spelling
    assert not signed_in(attempt(client, "liaison-msit", PASSWORD))


@pytest.mark.django_db
def test_the_backend_counts_every_spelling_as_one_username(lead_liaison, limit):
    # The sign-in forms strip spaces themselves; the backend must not rely on every caller doing so.
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.3")
    spellings = [" Liaison-MSIT", "liaison-msit ", "LIAISON-MSIT"]
    assert len(spellings) == limit
    for spelling in spellings:
        assert authenticate(request, username=spelling, password="wrong") is None
    assert authenticate(request, username="liaison-msit", password=PASSWORD) is None


@pytest.mark.django_db
def test_failures_of_another_username_do_not_count(client, lead_liaison, other_liaison, limit):
    for _ in range(limit):
        attempt(client, "liaison-mohw", "wrong")
    assert signed_in(attempt(client, "liaison-msit", PASSWORD))


@pytest.mark.django_db
def test_the_count_lives_in_redis_and_expires_with_the_window(client, lead_liaison, limit, settings, redis_cache):
    settings.LOGIN_LOCKOUT_SECONDS = 900
    for _ in range(limit):
        attempt(client, "liaison-msit", "wrong")
    (key,) = redis_cache.stored_keys(containing="login-failures")
    assert int(redis_cache.client.get(key)) == limit
    assert 0 < redis_cache.client.ttl(key) <= 900
    assert not signed_in(attempt(client, "liaison-msit", PASSWORD))
    assert int(redis_cache.client.get(key)) == limit  # refusals while locked out are not counted


def wait_until_redis_expires(redis_cache, key: str, within: float = 5.0) -> None:
    """Wait for Redis to drop `key` by its own clock (the TTL is a second); fail if it never does."""
    deadline = time.monotonic() + within
    while redis_cache.client.exists(key):
        assert time.monotonic() < deadline, f"Redis still holds {key} after {within}s"
        time.sleep(0.05)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/api/v1/auth/token/"], ids=["portal", "api token"])
def test_the_right_password_is_refused_while_locked_out_and_accepted_once_the_lockout_expires(
    client, lead_liaison, limit, settings, redis_cache, url
):
    settings.LOGIN_LOCKOUT_SECONDS = 1
    for _ in range(limit):
        attempt(client, "liaison-msit", "wrong", url=url)
    (key,) = redis_cache.stored_keys(containing="login-failures")
    assert 0 < redis_cache.client.pttl(key) <= 1000

    def right_password_works() -> bool:
        response = attempt(client, "liaison-msit", PASSWORD, url=url)
        return signed_in(response) if url == "/login/" else "token" in response.json()

    assert not right_password_works()
    wait_until_redis_expires(redis_cache, key)
    assert right_password_works()


# --- the client address: the socket's, unless trusted proxies vouch for another --------------------------


@pytest.mark.django_db
def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, lead_liaison, limit):
    for n in range(limit):
        attempt(client, "liaison-msit", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = attempt(client, "liaison-msit", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert not signed_in(response)


@pytest.mark.django_db
def test_behind_one_proxy_the_lockout_counts_the_address_the_proxy_saw(client, lead_liaison, limit, settings):
    settings.NUM_PROXIES = 1
    proxy = "10.0.0.1"
    for n in range(limit):
        # The client writes whatever it likes on the left; the proxy appends the address it saw.
        attempt(client, "liaison-msit", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5")
    locked = attempt(client, "liaison-msit", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5")
    assert not signed_in(locked)
    other_client = attempt(client, "liaison-msit", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert signed_in(other_client)
