"""JSON nested deeper than anything the API accepts is refused with 400 and a reason, never a 500."""

import pytest
from rest_framework.test import APIClient

from policies.api.parsers import MAX_JSON_DEPTH

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def send(client, method, url, body):
    return getattr(client, method)(url, data=body, content_type="application/json")


@pytest.fixture
def endpoints(lead_liaison, draft):
    """(who, method, url): the anonymous token door, and writes of a signed-in liaison."""
    return [
        (None, "post", "/api/v1/auth/token/"),
        (lead_liaison, "patch", "/api/v1/me/"),
        (lead_liaison, "post", "/api/v1/proposals/"),
        (lead_liaison, "patch", f"/api/v1/proposals/{draft.pk}/"),
        (lead_liaison, "post", f"/api/v1/proposals/{draft.pk}/transitions/"),
    ]


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("depth", [100_000, 900], ids=["past the decoder's limit", "below it"])
def test_deeply_nested_json_answers_400_with_a_reason_everywhere(endpoints, depth):
    for user, method, url in endpoints:
        response = send(client_for(user), method, url, nested(depth))
        assert response.status_code == 400, (url, response.status_code)
        assert "nested" in response.json()["detail"], url


def test_nesting_inside_an_object_counts_too(lead_liaison):
    body = '{"digest": {"areas": ' + nested(MAX_JSON_DEPTH) + "}}"
    response = send(client_for(lead_liaison), "patch", "/api/v1/me/", body)
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_nesting_up_to_the_bound_reaches_validation(lead_liaison):
    # One level fewer than the bound is parsed and judged by the serializer like any other wrong value.
    body = '{"digest": ' + nested(MAX_JSON_DEPTH - 1) + "}"
    response = send(client_for(lead_liaison), "patch", "/api/v1/me/", body)
    assert response.status_code == 400
    assert "digest" in response.json()
