"""Token and session authentication, the login throttle, and the /me endpoint."""

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from policies.models import DigestPreference
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_the_right_password_and_authenticates(lead_liaison):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "liaison-msit", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["username"] == "liaison-msit"


@pytest.mark.parametrize(
    "body",
    [{"username": "liaison-msit", "password": "wrong"}, {"username": "nobody", "password": "x"}, {}, []],
    ids=["wrong password", "unknown user", "empty", "list"],
)
def test_bad_credentials_answer_400_without_a_token(lead_liaison, body):
    response = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_bad_token_answers_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/proposals/").status_code == 401


def test_anonymous_requests_answer_401_with_a_token_challenge():
    response = APIClient().get("/api/v1/proposals/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.usefixtures("redis_cache")
def test_the_eleventh_login_attempt_in_a_minute_is_throttled(lead_liaison):
    client = APIClient()
    for _attempt in range(10):
        assert client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json").status_code == 400
    response = client.post("/api/v1/auth/token/", {"username": "liaison-msit", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert "throttled" in response.json()["detail"].lower()
    assert int(response["Retry-After"]) > 0


def test_the_login_throttle_counts_in_redis_for_its_minute_and_lets_the_caller_in_after_it(lead_liaison, redis_cache):
    client = APIClient()
    wrong = {"username": "x", "password": "y"}
    right = {"username": "liaison-msit", "password": PASSWORD}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _attempt in range(10):
            assert client.post("/api/v1/auth/token/", wrong, format="json").status_code == 400
        # Every web process sees the same count, and Redis forgets it with the window.
        (key,) = redis_cache.stored_keys(containing="throttle_login")
        assert 0 < redis_cache.client.ttl(key) <= 60
        assert client.post("/api/v1/auth/token/", right, format="json").status_code == 429
        clock.shift(59)
        assert client.post("/api/v1/auth/token/", right, format="json").status_code == 429
        clock.shift(2)
        assert client.post("/api/v1/auth/token/", right, format="json").status_code == 200


@pytest.mark.usefixtures("redis_cache")
def test_throttle_counts_start_fresh_in_each_test(lead_liaison):
    # The previous test used up the allowance; a private cache per test means this one starts at zero.
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "liaison-msit", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_session_writes_need_csrf(lead_liaison):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(lead_liaison)
    response = client.patch("/api/v1/me/", {"language": "ko"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


# --- me ----------------------------------------------------------------------------------------------


def test_me_shows_roles(api, secretariat, lead_liaison, member):
    assert api(secretariat).get("/api/v1/me/").json()["roles"] == {
        "secretariat": ["NBC"],
        "liaison_agency": None,
        "memberships": [],
    }
    assert api(lead_liaison).get("/api/v1/me/").json()["roles"]["liaison_agency"] == "MSIT"
    me = api(member).get("/api/v1/me/").json()
    assert [(m["committee"], m["role"]) for m in me["roles"]["memberships"]] == [("NBC", "expert")]
    assert set(me) == {
        "id",
        "username",
        "first_name",
        "last_name",
        "email",
        "roles",
        "language",
        "digest",
        "calendar_feed_url",
        "email_choices",
    }
    assert me["digest"] == {"frequency": "weekly", "areas": []}


def test_first_digest_change_creates_the_preference(api, member):
    assert not DigestPreference.objects.filter(user=member).exists()
    response = api(member).patch(
        "/api/v1/me/", {"language": "ko", "digest": {"frequency": "daily", "areas": ["health", "food"]}}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.json()["language"] == "ko"
    assert response.json()["digest"] == {"frequency": "daily", "areas": ["food", "health"]}
    preference = DigestPreference.objects.get(user=member)
    assert preference.frequency == "daily"
    member.profile.refresh_from_db()
    assert member.profile.language == "ko"


def test_changing_only_the_frequency_keeps_the_areas(api, member):
    client = api(member)
    client.patch("/api/v1/me/", {"digest": {"frequency": "daily", "areas": ["health"]}}, format="json")
    response = client.patch("/api/v1/me/", {"digest": {"frequency": "off"}}, format="json")
    assert response.json()["digest"] == {"frequency": "off", "areas": ["health"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "fr"}, "language"),
        ({"digest": {"frequency": "hourly"}}, "digest"),
        ({"digest": {"areas": ["nope"]}}, "digest"),
        ({"digest": "weekly"}, "digest"),
        ({"username": "root"}, "username"),
        ({"email": "x@example.com"}, "email"),
    ],
)
def test_bad_me_changes_answer_400(api, member, body, field):
    response = api(member).patch("/api/v1/me/", body, format="json")
    assert response.status_code == 400, response.data
    assert field in response.json()


# --- email choices per kind ----------------------------------------------------------------------------


def test_me_shows_and_changes_email_choices(api, lead_liaison):
    client = api(lead_liaison)
    choices = client.get("/api/v1/me/").json()["email_choices"]
    assert choices["proposal_return"] == "instant" and choices["consultation_requested"] == "instant"
    assert "digest" not in choices  # the digest has its own setting
    response = client.patch("/api/v1/me/", {"email_choices": {"proposal_return": "off"}}, format="json")
    assert response.status_code == 200
    assert response.json()["email_choices"]["proposal_return"] == "off"
    assert response.json()["email_choices"]["proposal_accept"] == "instant"


@pytest.mark.parametrize(
    "choices",
    [{"consultation_requested": "off"}, {"reminder_action": "digest"}, {"nope": "off"}, {"agenda_changed": 1}],
)
def test_mandatory_or_unknown_email_choices_answer_400(api, lead_liaison, choices):
    response = api(lead_liaison).patch("/api/v1/me/", {"email_choices": choices}, format="json")
    assert response.status_code == 400
    assert "email_choices" in response.json().get("errors", response.json()) or "email_choices" in str(response.json())


def test_the_schema_documents_email_choices(api, lead_liaison):
    schema = api(lead_liaison).get("/api/schema/?format=json").json()
    me = schema["components"]["schemas"]["Me"]["properties"]
    assert "email_choices" in me
