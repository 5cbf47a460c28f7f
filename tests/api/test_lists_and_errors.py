"""Proposal filters, search, ordering and pagination; and the one exception handler's mapping."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from policies.api.base import exception_handler
from policies.models import PolicyArea, Proposal
from policies.services import AttachmentTooLarge
from policies.workflow import InvalidState, NotPermitted, StaleVersion
from tests import cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(committee, lead_liaison, other_liaison, proposal_in_state):
    food = PolicyArea.objects.get(code="food")
    return {
        "draft": proposal_in_state("draft", title="Vaccine stockpile", summary="Keep doses."),
        "submitted": proposal_in_state("submitted", title="Gene therapy fund", policy_area=food),
        "accepted": proposal_in_state("accepted", title="Biobank law", summary="Rules for a national vaccine biobank."),
        "mohw": cast.make_proposal(committee, other_liaison, title="Hospital data"),
    }


def ids(client, query=""):
    response = client.get(f"/api/v1/proposals/?{query}")
    assert response.status_code == 200, response.data
    return {row["id"] for row in response.json()["results"]}


def test_filters_by_state_area_agency_and_committee(api, secretariat, papers):
    client = api(secretariat)
    p = {name: proposal.pk for name, proposal in papers.items()}
    assert ids(client) == set(p.values())
    assert ids(client, "state=submitted") == {p["submitted"]}
    assert ids(client, "state=submitted&state=accepted") == {p["submitted"], p["accepted"]}
    assert ids(client, "policy_area=food") == {p["submitted"]}
    assert ids(client, "lead_agency=MOHW") == {p["mohw"]}
    assert ids(client, "committee=NBC") == set(p.values())


def test_filters_by_date_ranges(api, secretariat, papers):
    client = api(secretariat)
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert ids(client, f"submitted_after={today}") == {papers["submitted"].pk, papers["accepted"].pk}
    assert ids(client, f"submitted_after={tomorrow}") == set()
    assert ids(client, f"created_before={today}") == {proposal.pk for proposal in papers.values()}
    assert ids(client, f"created_before={today - datetime.timedelta(days=1)}") == set()


def test_search_looks_in_title_and_summary(api, secretariat, papers):
    client = api(secretariat)
    assert ids(client, "search=vaccine") == {papers["draft"].pk, papers["accepted"].pk}
    assert ids(client, "search=gene%20therapy") == {papers["submitted"].pk}
    assert ids(client, "search=nothing-like-this") == set()


def test_other_agencies_drafts_never_appear_in_lists_or_searches(api, other_liaison, papers):
    client = api(other_liaison)
    assert papers["draft"].pk not in ids(client)
    assert ids(client, "search=stockpile") == set()
    assert ids(client, "state=draft") == {papers["mohw"].pk}


def test_ordering_and_pagination(api, secretariat, papers):
    client = api(secretariat)
    titles = [row["title"] for row in client.get("/api/v1/proposals/?ordering=title").json()["results"]]
    assert titles == sorted(titles)
    page = client.get("/api/v1/proposals/?ordering=title&page_size=2&page=2").json()
    assert page["count"] == 4
    assert [row["title"] for row in page["results"]] == titles[2:4]
    assert page["previous"] and page["next"] is None


@pytest.mark.parametrize(
    "query",
    [
        "state=bogus",
        "policy_area=nope",
        "lead_agency=NOPE",
        "committee=NOPE",
        "submitted_after=yesterday",
        "created_before=2026-13-45",
    ],
)
def test_bad_filter_values_answer_400_naming_the_filter(api, secretariat, papers, query):
    response = api(secretariat).get(f"/api/v1/proposals/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body.pop("code") == "validation"
    (name,) = body  # a range filter reports under its name: "submitted" for submitted_after
    assert query.startswith(name)


@pytest.mark.parametrize("query", ["page=999", "page=0", "page=-1748072", "page=99999999999999999999999"])
def test_pages_out_of_range_answer_404(api, secretariat, papers, query):
    assert api(secretariat).get(f"/api/v1/proposals/?{query}").status_code == 404


@pytest.mark.parametrize("ordering", ["created_by__password", "title,nope", "", "title,", "--title"])
def test_an_ordering_the_list_does_not_offer_answers_400_naming_the_choices(api, secretariat, papers, ordering):
    response = api(secretariat).get(f"/api/v1/proposals/?ordering={ordering}")
    assert response.status_code == 400
    (message,) = response.json()["ordering"]
    assert message.startswith("Choose from: created_at, -created_at, updated_at, -updated_at,")


def test_orderings_offered_are_taken_and_listed_in_the_schema(api, secretariat, papers):
    client = api(secretariat)
    response = client.get("/api/v1/proposals/?ordering=-state,title")
    assert response.status_code == 200
    rows = [(row["state"], row["title"]) for row in response.json()["results"]]
    assert rows == sorted(sorted(rows, key=lambda row: row[1]), key=lambda row: row[0], reverse=True)
    schema = client.get("/api/schema/?format=json").json()
    (ordering,) = [p for p in schema["paths"]["/api/v1/proposals/"]["get"]["parameters"] if p["name"] == "ordering"]
    assert ordering["schema"]["items"]["enum"][:4] == ["created_at", "-created_at", "updated_at", "-updated_at"]
    assert ordering["explode"] is False and ordering["schema"]["minItems"] == 1


def test_page_size_is_capped(api, secretariat, papers):
    Proposal.objects.all()  # four exist; the cap shows in the page size the paginator accepts
    response = api(secretariat).get("/api/v1/proposals/?page_size=100000")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 4


# --- the exception handler ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "status", "body"),
    [
        (InvalidState("Wrong state."), 409, {"detail": "Wrong state.", "code": "invalid_state"}),
        (NotPermitted("Not you."), 403, {"detail": "Not you.", "code": "not_permitted"}),
        (StaleVersion("Reload."), 412, {"detail": "Reload.", "code": "stale_version"}),
        (AttachmentTooLarge("Too big."), 413, {"detail": "Too big.", "code": "too_large"}),
        (ValidationError({"title": ["Too long."]}), 400, {"title": ["Too long."], "code": "validation"}),
        (ValidationError("Whole thing wrong."), 400, {"detail": "Whole thing wrong.", "code": "validation"}),
        (ValidationError({"__all__": ["Place or link."]}), 400, {"detail": "Place or link.", "code": "validation"}),
        (
            ValidationError({"__all__": ["Place or link."], "ends_at": ["After start."]}),
            400,
            {"non_field_errors": ["Place or link."], "ends_at": ["After start."], "code": "validation"},
        ),
        (
            ValidationError({"code": ["Not a field here."], "detail": ["Nor this."]}),
            400,
            {"non_field_errors": ["detail: Nor this.", "code: Not a field here."], "code": "validation"},
        ),
        (ProtectedError("Referenced.", set()), 409, "in_use"),
        (Proposal.DoesNotExist(), 404, "not_found"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else None,
)
def test_exception_handler_maps_domain_errors(exc, status, body):
    request = APIRequestFactory().get("/")
    response = exception_handler(exc, {"request": request, "view": None})
    assert response.status_code == status
    if isinstance(body, dict):
        assert response.data == body
    else:
        assert response.data["detail"] and response.data["code"] == body


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("proposals", "search=%00"),
        ("proposals", "lead_agency=a%00b"),
        ("proposals", "state=%00"),
        ("proposals", "created_after=99999-01-01"),
        ("consultations", "proposal=%00"),
        ("consultations", "answered=%00"),
        ("actions", "agency=%00"),
    ],
)
def test_hostile_query_strings_answer_400_with_a_message(api, secretariat, papers, path, query):
    response = api(secretariat).get(f"/api/v1/{path}/?{query}")
    assert response.status_code == 400
    assert isinstance(response.json(), dict) and response.json()
