"""API tokens: stored hashed, several per user, expire when idle, revoked by their holder or with the password."""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from committee.directory.models import ApiToken
from tests import cast
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
IDLE = datetime.timedelta(seconds=django_settings.API_TOKEN_IDLE_SECONDS)


def issue(username="liaison-msit", password=PASSWORD) -> str:
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(token: str) -> bool:
    status = with_token(token).get("/api/v1/me/").status_code
    assert status in (200, 401), status
    return status == 200


def test_only_a_hash_of_the_token_is_stored(lead_liaison):
    token = issue()
    (row,) = ApiToken.objects.filter(user=lead_liaison)
    assert row.digest != token and token not in row.digest
    assert row.token_key == token[:15]  # the lookup prefix; the other 49 characters exist only with the caller
    assert works(token)


def test_a_user_may_hold_several_tokens_and_revoking_one_keeps_the_others(lead_liaison):
    first, second = issue(), issue()
    assert first != second and works(first) and works(second)
    response = with_token(first).delete("/api/v1/auth/token/")
    assert response.status_code == 204
    assert not works(first)
    assert works(second)
    assert ApiToken.objects.filter(user=lead_liaison).count() == 1


def test_a_revoked_token_cannot_revoke_again(lead_liaison):
    token = issue()
    assert with_token(token).delete("/api/v1/auth/token/").status_code == 204
    response = with_token(token).delete("/api/v1/auth/token/")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_revoking_needs_the_token_itself_not_a_session(lead_liaison):
    token = issue()
    anonymous = APIClient().delete("/api/v1/auth/token/")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Token"
    session = APIClient()
    session.force_login(lead_liaison)
    response = session.delete("/api/v1/auth/token/")
    assert response.status_code == 401 and response.json()["detail"]
    assert works(token)


def test_the_token_answer_says_when_it_expires_unless_used(lead_liaison):
    with time_machine.travel(START, tick=False):
        response = APIClient().post(
            "/api/v1/auth/token/", {"username": "liaison-msit", "password": PASSWORD}, format="json"
        )
    assert set(response.json()) == {"token", "expiry"}
    assert datetime.datetime.fromisoformat(response.json()["expiry"]) == START + IDLE
    assert datetime.timedelta(days=14) == IDLE  # the default of API_TOKEN_IDLE_SECONDS


def test_an_unused_token_expires_after_the_idle_period(lead_liaison):
    with time_machine.travel(START, tick=False):
        token = issue()
    with time_machine.travel(START + IDLE + datetime.timedelta(seconds=1), tick=False):
        assert not works(token)
    assert not ApiToken.objects.filter(user=lead_liaison).exists()  # knox deletes it on the way


def test_use_keeps_a_token_alive_beyond_its_first_expiry(lead_liaison):
    with time_machine.travel(START, tick=False):
        token = issue()
    with time_machine.travel(START + IDLE - datetime.timedelta(hours=1), tick=False):
        assert works(token)
    with time_machine.travel(START + IDLE + datetime.timedelta(days=1), tick=False):
        assert works(token)
    with time_machine.travel(START + 3 * IDLE, tick=False):
        assert not works(token)


def test_last_use_is_stamped_at_most_once_a_minute(lead_liaison):
    with time_machine.travel(START, tick=False):
        token = issue()
    row = ApiToken.objects.get(user=lead_liaison)
    assert row.last_used is None
    with time_machine.travel(START + datetime.timedelta(minutes=5), tick=False):
        assert works(token)
    row.refresh_from_db()
    assert row.last_used == START + datetime.timedelta(minutes=5)
    assert row.expiry == row.last_used + IDLE
    soon_after = START + datetime.timedelta(minutes=5, seconds=30)
    with time_machine.travel(soon_after, tick=False), CaptureQueriesContext(connection) as queries:
        assert works(token)
    assert not [q for q in queries.captured_queries if "directory_apitoken" in q["sql"] and "UPDATE" in q["sql"]]
    row.refresh_from_db()
    assert row.last_used == START + datetime.timedelta(minutes=5)
    with time_machine.travel(START + datetime.timedelta(minutes=6, seconds=1), tick=False):
        assert works(token)
    row.refresh_from_db()
    assert row.last_used == START + datetime.timedelta(minutes=6, seconds=1)


# --- tokens go with the password and the account ----------------------------------------------------------


def test_changing_the_password_revokes_every_token(lead_liaison, other_liaison):
    mine, also_mine, theirs = issue(), issue(), issue("liaison-mohw")
    lead_liaison.set_password("a-new-and-longer-passphrase")
    lead_liaison.save()
    assert not works(mine) and not works(also_mine)
    assert works(theirs)


def test_deactivating_the_account_revokes_every_token(lead_liaison):
    token = issue()
    lead_liaison.is_active = False
    lead_liaison.save(update_fields=["is_active"])
    assert not ApiToken.objects.filter(user=lead_liaison).exists()
    lead_liaison.is_active = True
    lead_liaison.save()
    assert not works(token)


def test_a_token_of_an_account_deactivated_behind_the_models_back_is_refused(lead_liaison):
    token = issue()
    type(lead_liaison).objects.filter(pk=lead_liaison.pk).update(is_active=False)  # no save, no signal
    assert not works(token)


@pytest.fixture
def superuser_client(db):
    client = APIClient()
    client.force_login(cast.make_user("root", is_staff=True, is_superuser=True))
    return client


def test_a_new_password_set_in_the_admin_revokes_every_token(lead_liaison, superuser_client):
    token = issue()
    new = "a-new-and-longer-passphrase"
    response = superuser_client.post(
        f"/admin/auth/user/{lead_liaison.pk}/password/",
        {"usable_password": "true", "password1": new, "password2": new},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert not works(token)
    assert works(issue(password=new))


def test_switching_off_password_sign_in_in_the_admin_revokes_every_token(lead_liaison, superuser_client):
    token = issue()
    response = superuser_client.post(
        f"/admin/auth/user/{lead_liaison.pk}/password/", {"usable_password": "false", "unset-password": "1"}
    )
    assert response.status_code == 302
    lead_liaison.refresh_from_db()
    assert not lead_liaison.has_usable_password()
    assert not works(token)


def test_other_changes_to_the_account_keep_its_tokens(lead_liaison):
    token = issue()
    lead_liaison.email = "new-address@example.go.kr"
    lead_liaison.save()
    lead_liaison.last_login = timezone.now()
    lead_liaison.save(update_fields=["last_login"])
    assert works(token)


def test_a_password_hash_upgrade_at_sign_in_is_no_password_change(lead_liaison, settings):
    token = issue()
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    old_hash = lead_liaison.password
    assert lead_liaison.check_password(PASSWORD)  # re-hashes with the preferred hasher and saves
    lead_liaison.refresh_from_db()
    assert lead_liaison.password != old_hash and lead_liaison.password.startswith("pbkdf2_")
    assert works(token)


def test_the_schema_documents_what_the_token_door_answers(api, secretariat):
    schema = api(secretariat).get("/api/schema/?format=json").json()
    door = schema["paths"]["/api/v1/auth/token/"]
    assert set(door) == {"post", "delete"}
    assert set(door["post"]["responses"]) == {"200", "400", "429"}
    token = schema["components"]["schemas"]["Token"]
    assert set(token["properties"]) == {"token", "expiry"}
    assert set(door["delete"]["responses"]) == {"204", "401"}
    assert door["delete"]["security"] == [{"tokenAuth": []}]
    assert "Token" in schema["components"]["securitySchemes"]["tokenAuth"]["description"]
