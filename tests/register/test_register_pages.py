"""The register's pages, as an anonymous visitor reads them: Korean by default, English by the language switch,
search and filters in a plain GET form, one page per public decision, and nothing internal on any of them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies.models import FollowUpAction
from tests import cast

from .conftest import RESOLUTION, VOTES_FOR

pytestmark = pytest.mark.django_db
Status = FollowUpAction.Status
LIST = "/register/"


@pytest.fixture
def korean_by_default(settings):
    settings.LANGUAGE_CODE = "ko"  # the site's default (settings.py); the suite's fixture sets English


def test_the_register_lives_at_the_documented_addresses():
    assert reverse("register:list") == "/register/"
    assert reverse("register:feed") == "/register/feed.atom"
    assert reverse("register:decision", args=["NBC-2026-D-001"]) == "/register/NBC-2026-D-001/"


def test_an_anonymous_visitor_reads_the_list_in_korean_by_default(client, decide, korean_by_default):
    decision = decide("바이오 제조 실증 지원", "실증 시설 두 곳을 지원한다.")
    response = client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ko">' in page
    assert "공개 의결 목록" in page
    assert decision.number in page and "바이오 제조 실증 지원" in page and "실증 시설 두 곳을 지원한다." in page
    assert "원안 의결" in page  # the outcome, in Korean


def test_the_language_switch_gives_an_anonymous_visitor_english(client, decide, korean_by_default):
    decision = decide("Bio pilot plants", "Two plants are supported.")
    response = client.post("/i18n/setlang/", {"language": "en", "next": LIST})
    assert response.status_code == 302 and response["Location"] == LIST
    page = client.get(LIST).content.decode()
    assert '<html lang="en">' in page and "Public decision register" in page
    detail = client.get(f"/register/{decision.number}/").content.decode()
    assert "Adopted" in detail and "Two plants are supported." in detail


def test_a_decision_page_shows_the_public_record_and_its_action_counts(client, decide, assign):
    decision = decide("Bio pilot plants", "Two plants are supported.\nFunding follows.")
    assign(decision, Status.OPEN, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.DONE)
    response = client.get(f"/register/{decision.number}/")
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        decision.number,
        "Bio pilot plants",
        "Two plants are supported.",
        "National Bio Committee",
        "Health care",
        "Adopted",
        "Open: 1",
        "In progress: 2",
        "Done: 1",
    ):
        assert shown in page, shown
    decided_on = decision.decided_at.astimezone(datetime.timezone(datetime.timedelta(hours=9))).date()
    assert decided_on.isoformat() in page


def test_nothing_internal_appears_on_the_list_or_a_decision_page(client, decide, assign, secretariat, lead_liaison):
    for user, (first, last) in ((secretariat, ("Jihoon", "Park")), (lead_liaison, ("Minjun", "Kim"))):
        user.first_name, user.last_name = first, last
        user.save()
    public = decide("Public item", "Public words.")
    assign(public, Status.OPEN, title="ACTION-TITLE-NOT-PUBLIC")
    hidden = decide("HIDDEN-TITLE", summary=None)
    pages = [client.get(LIST).content.decode(), client.get(f"/register/{public.number}/").content.decode()]
    for page in pages:
        for secret in (
            RESOLUTION,
            "INTERNAL-RESOLUTION-TEXT",
            f">{VOTES_FOR}<",
            "Jihoon",
            "Park",
            "Minjun",
            secretariat.email,
            lead_liaison.email,
            "ACTION-TITLE-NOT-PUBLIC",
            "MSIT",
            "HIDDEN-TITLE",
            hidden.number,
            public.agenda_item.proposal.reference,
        ):
            assert secret not in page, secret
    assert client.get(f"/register/{hidden.number}/").status_code == 404
    assert client.get("/register/NO-SUCH-DECISION/").status_code == 404


def test_search_and_filters_work_as_a_plain_get_form_in_korean(client, decide, health_committee, health_secretariat):
    korean = decide("바이오 제조 실증 지원", "실증 시설")
    english = decide("Bio pilot plants", "Plants.", on=health_committee, by=health_secretariat)
    page = client.get(LIST, {"q": "실증"}).content.decode()
    assert korean.number in page and english.number not in page
    assert 'value="실증"' in page  # what was typed stays in the box
    page = client.get(LIST, {"q": "pilot"}).content.decode()
    assert english.number in page and korean.number not in page
    page = client.get(LIST, {"committee": "NBC-HEALTH", "q": ""}).content.decode()
    assert english.number in page and korean.number not in page
    page = client.get(LIST, {"q": "없는말"}).content.decode()
    assert "No public decision matches." in page


def test_a_filter_that_cannot_be_read_is_said_and_lists_nothing_rather_than_everything(client, decide):
    decision = decide("Bio pilot plants")
    for query in ({"year": "abc"}, {"committee": "NOPE"}, {"area": "nope"}, {"q": "x" * 201}):
        response = client.get(LIST, query)
        assert response.status_code == 200, query
        page = response.content.decode()
        assert 'class="errorlist' in page, query
        assert decision.number not in page, query


def test_pages_number_on_with_the_filters_kept(client, decide, settings, monkeypatch):
    monkeypatch.setattr("policies.queries.register.PAGE_SIZE", 2)
    for index in range(5):
        decide(f"Pilot {index}")
    page = client.get(LIST, {"q": "Pilot", "page": "2"}).content.decode()
    assert "Page 2 of 3" in page
    assert 'href="?q=Pilot&amp;page=3"' in page and 'href="?q=Pilot&amp;page=1"' in page


def test_the_pages_may_be_kept_briefly_by_the_browser_only(client, decide, login_as):
    decision = decide()
    for url in (LIST, f"/register/{decision.number}/"):
        response = client.get(url)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert cache_control == {"private", "max-age=300"}, url  # the CSRF cookie of the language switch
        assert {"Accept-Language", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}
    signed_in = login_as(cast.make_user("reader"))
    response = signed_in.get(LIST)
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_only_reading_methods_are_answered(client, decide):
    assert client.post(LIST).status_code == 405
    assert client.head(LIST).status_code == 200


def test_the_sign_in_page_and_the_portal_link_to_the_register(client, login_as, member):
    assert 'href="/register/"' in client.get("/login/").content.decode()
    assert 'href="/register/"' in login_as(member).get("/").content.decode()


def test_the_list_costs_the_same_queries_with_few_or_many_decisions(client, decide, assign):
    def queries():
        client.get(LIST, {"q": "Pilot", "area": "health"})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, {"q": "Pilot", "area": "health"}).status_code == 200
        return len(captured.captured_queries)

    assign(decide("Pilot 0"), Status.OPEN)
    few = queries()
    for index in range(1, 5):
        assign(decide(f"Pilot {index}"), Status.OPEN, Status.DONE)
    assert queries() == few <= 6


@pytest.fixture
def login_as(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
