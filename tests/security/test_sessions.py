"""Sessions end when idle, when too old, on a password change (the others), and when an account is deactivated."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError

from tests import cast

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


@pytest.fixture
def lifetimes(settings):
    settings.SESSION_IDLE_SECONDS = 600
    settings.SESSION_MAX_SECONDS = 3600


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
def test_a_session_ends_after_the_idle_time(client, lead_liaison, lifetimes, clock):
    client.force_login(lead_liaison)
    clock.shift(599)
    assert signed_in(client)
    clock.shift(601)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert "_auth_user_id" not in client.session
    assert "Your session has ended" in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_activity_keeps_a_session_alive_until_its_absolute_lifetime(client, lead_liaison, lifetimes, clock):
    client.force_login(lead_liaison)
    for _ in range(7):  # a request every 500 s: never idle, 3500 s in all
        clock.shift(500)
        assert signed_in(client)
    clock.shift(200)  # 3700 s after sign-in
    assert not signed_in(client)


@pytest.mark.django_db
def test_the_api_refuses_an_expired_session(client, lead_liaison, lifetimes, clock):
    client.force_login(lead_liaison)
    assert client.get("/api/v1/me/").status_code == 200
    clock.shift(601)
    assert client.get("/api/v1/me/").status_code in (401, 403)


@pytest.mark.django_db
def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(client, lead_liaison, django_user_model):
    other = type(client)()
    client.force_login(lead_liaison)
    other.force_login(lead_liaison)
    assert signed_in(other)
    response = client.post(
        "/account/password/",
        {
            "old_password": cast.PASSWORD,
            "new_password1": "a-much-longer-pass-2026",
            "new_password2": "a-much-longer-pass-2026",
        },
    )
    assert response.status_code == 302 and response.url == "/settings/"
    assert signed_in(client)
    assert not signed_in(other)


@pytest.mark.django_db
def test_deactivating_an_account_ends_its_sessions_for_good(client, lead_liaison):
    client.force_login(lead_liaison)
    cookie = client.cookies["sessionid"].value
    lead_liaison.is_active = False
    lead_liaison.save()
    assert not Session.objects.filter(session_key=cookie).exists()
    assert not signed_in(client)
    lead_liaison.is_active = True
    lead_liaison.save()
    client.cookies["sessionid"] = cookie
    assert not signed_in(client)  # reactivation does not revive the old cookie


@pytest.mark.django_db
def test_a_session_of_an_account_deactivated_behind_its_back_is_flushed(client, lead_liaison, django_user_model):
    client.force_login(lead_liaison)
    cookie = client.cookies["sessionid"].value
    django_user_model.objects.filter(pk=lead_liaison.pk).update(is_active=False)  # no save(), no signal
    assert not signed_in(client)
    assert not Session.objects.filter(session_key=cookie).exists()


# --- password rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Sh0rt-but-ok", None),
        ("Sh0rt-but-o", "at least 12 characters"),
        ("123456789012345", "entirely numeric"),
        ("password1234", "too common"),
        ("liaison-msit-2026", "too similar"),
    ],
)
@pytest.mark.django_db
def test_passwords_follow_the_government_rules(password, why, lead_liaison):
    if why is None:
        validate_password(password, lead_liaison)
    else:
        with pytest.raises(ValidationError, match=why):
            validate_password(password, lead_liaison)


@pytest.mark.django_db
def test_the_password_page_refuses_a_short_password(client, lead_liaison):
    client.force_login(lead_liaison)
    response = client.post(
        "/account/password/",
        {"old_password": cast.PASSWORD, "new_password1": "Sh0rt-but-o", "new_password2": "Sh0rt-but-o"},
    )
    assert response.status_code == 200 and "at least 12 characters" in response.content.decode()
    lead_liaison.refresh_from_db()
    assert lead_liaison.check_password(cast.PASSWORD)
