"""Password guessing is cut off at every sign-in door, without letting strangers lock a user out."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from tests.cast import PASSWORD


def attempt(client, username, password, address="10.0.0.1", url="/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


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
    for _ in range(limit):
        attempt(client, "liaison-msit", "wrong", address="203.0.113.9")
    assert attempt(client, "LIAISON-MSIT ", "wrong", address="203.0.113.9").status_code == 200
    assert attempt(client, "liaison-msit", PASSWORD, address="10.0.0.1").status_code == 302


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
    for _ in range(limit):
        attempt(client, "liaison-msit", "wrong", url="/api/v1/auth/token/")
    response = attempt(client, "liaison-msit", PASSWORD, url="/api/v1/auth/token/")
    assert response.status_code == 400 and "token" not in response.json()


@pytest.mark.django_db
def test_backend_authenticates_normally_below_the_limit(lead_liaison, limit):
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.2")
    assert authenticate(request, username="liaison-msit", password=PASSWORD) == lead_liaison
    assert authenticate(request, username="liaison-msit", password="wrong") is None
