"""The notifications page, the API and the nav count: each person sees and marks only their own."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from committee.outbox.context_processors import notifications as unread_context
from committee.outbox.models import Notification

pytestmark = pytest.mark.django_db


def notify(user, subject, n=[0], **fields):  # noqa: B006 - a counter for unique keys
    n[0] += 1
    return Notification.objects.create(
        recipient=user, kind="test", subject=subject, dedup_key=f"test:{n[0]}", url="/proposals/1/", **fields
    )


@pytest.fixture
def mine_and_theirs(member, outsider):
    return [notify(member, "Mine one"), notify(member, "Mine two")], notify(outsider, "Theirs")


def test_nav_count_is_none_for_anonymous_and_counts_unread_for_a_user(mine_and_theirs, member):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread_context(request) == {"unread_notification_count": None}
    request.user = member
    assert unread_context(request) == {"unread_notification_count": 2}


def test_the_page_needs_a_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_page_lists_only_ones_own_notifications(client, member, mine_and_theirs):
    client.force_login(member)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mine one" in content and "Mine two" in content and "Theirs" not in content
    assert response.context["unread_notification_count"] == 2


def test_marking_read_on_the_page_and_opening_the_link(client, member, mine_and_theirs):
    (first, second), theirs = mine_and_theirs
    client.force_login(member)
    response = client.post(reverse("notifications:read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/proposals/1/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:read", args=[second.pk])).status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_outside_next_url_is_not_followed(client, member, mine_and_theirs):
    (first, _second), _theirs = mine_and_theirs
    client.force_login(member)
    response = client.post(reverse("notifications:read", args=[first.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_on_the_page_touches_only_ones_own(client, member, mine_and_theirs):
    _mine, theirs = mine_and_theirs
    client.force_login(member)
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- API --------------------------------------------------------------------------------------------


@pytest.fixture
def api(member):
    client = APIClient()
    client.force_authenticate(member)
    return client


def test_api_lists_own_notifications_only(api, mine_and_theirs):
    response = api.get("/api/v1/notifications/")
    assert response.status_code == 200
    assert {row["subject"] for row in response.json()["results"]} == {"Mine one", "Mine two"}


def test_api_unread_count_and_marking_read(api, mine_and_theirs):
    (first, _second), theirs = mine_and_theirs
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    response = api.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 1
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_refuses_anonymous_callers(mine_and_theirs):
    response = APIClient().get("/api/v1/notifications/")
    assert response.status_code == 401  # like every API endpoint: the caller must authenticate


def test_api_notifications_cannot_be_created_or_deleted(api, mine_and_theirs):
    (first, _second), _theirs = mine_and_theirs
    assert api.post("/api/v1/notifications/", {"subject": "forged"}).status_code == 405
    assert api.delete(f"/api/v1/notifications/{first.pk}/").status_code == 405


def test_api_opens_ones_own_notification_and_not_anyone_elses(api, mine_and_theirs):
    (first, _second), theirs = mine_and_theirs
    assert api.get(f"/api/v1/notifications/{first.pk}/").json()["subject"] == "Mine one"
    response = api.get(f"/api/v1/notifications/{theirs.pk}/")
    assert response.status_code == 404 and "Theirs" not in response.content.decode()
