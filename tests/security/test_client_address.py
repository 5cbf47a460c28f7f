"""Whose address a request is: the socket's, unless NUM_PROXIES trusted proxies vouch for another.

The API's login throttle counts by this address (the lockout's share is in test_login_lockout.py), in Redis.
"""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from committee.directory.auth import client_address
from tests.cast import PASSWORD


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "10.0.0.1"),
        (0, "198.51.100.7", "10.0.0.1"),  # no proxy: the header is the client's own writing
        (1, None, "10.0.0.1"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "192.0.2.66, 198.51.100.7", "198.51.100.7"),  # only what our proxy appended counts
        (2, "192.0.2.66, 198.51.100.7, 172.16.0.9", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # fewer entries than proxies: the oldest there is
        (1, "192.0.2.66,2001:db8::7", "2001:db8::7"),
        (1, "not-an-address", "10.0.0.1"),  # a proxy writing nonsense is not believed
    ],
)
def test_client_address_trusts_only_what_the_configured_proxies_appended(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **headers)
    assert client_address(request) == expected


def ask_for_token(client, password="wrong", **headers):
    return client.post(
        "/api/v1/auth/token/", {"username": "liaison-msit", "password": password}, format="json", **headers
    )


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "3/min"}}
    settings.LOGIN_FAILURE_LIMIT = 100  # the lockout stays out of the way: this is about the throttle
    return 3


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_cache")
def test_a_forged_forwarded_address_does_not_reset_the_login_throttle(lead_liaison, three_a_minute):
    client = APIClient(REMOTE_ADDR="10.0.0.1")
    for n in range(three_a_minute):
        assert ask_for_token(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 400
    throttled = ask_for_token(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert throttled.status_code == 429
    assert "token" not in throttled.json()


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_cache")
def test_behind_one_proxy_the_login_throttle_counts_the_address_the_proxy_saw(lead_liaison, three_a_minute, settings):
    settings.NUM_PROXIES = 1
    proxy = APIClient(REMOTE_ADDR="10.0.0.1")
    for n in range(three_a_minute):
        response = ask_for_token(proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5")
        assert response.status_code == 400
    assert ask_for_token(proxy, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5").status_code == 429
    # Another client behind the same proxy has its own allowance.
    other_client = ask_for_token(proxy, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other_client.status_code == 200 and other_client.json()["token"]
