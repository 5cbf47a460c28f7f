"""Proposals over the API: drafting, revising with optimistic concurrency, transitions, and bad input."""

import pytest

from policies.models import Proposal, ProposalState

pytestmark = pytest.mark.django_db

NEW = {
    "committee": "NBC",
    "title": "Bio data trust",
    "summary": "A national bio data trust.",
    "requested_decision": "Approve the plan.",
    "policy_area": "health",
}


def url(proposal, suffix=""):
    return f"/api/v1/proposals/{proposal.pk}/{suffix}"


def test_liaison_drafts_for_own_agency_by_default_with_codes_in_and_out(api, lead_liaison, mohw):
    response = api(lead_liaison).post(
        "/api/v1/proposals/",
        {**NEW, "co_sponsors": ["MOHW"], "secondary_areas": ["food"], "estimated_budget_krw": 12_000_000_000},
        format="json",
    )
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["lead_agency"] == "MSIT"
    assert body["committee"] == "NBC"
    assert body["co_sponsors"] == ["MOHW"]
    assert body["secondary_areas"] == ["food"]
    assert body["state"] == "draft"
    assert body["reference"] is None
    assert body["allowed_actions"] == ["submit", "withdraw"]
    assert body["timeline"][0]["action"] == "create"
    assert body["timeline"][0]["actor"] == "liaison-msit"
    assert set(body["timeline"][0]) == {"action", "from", "to", "actor", "comment", "at"}
    assert response["ETag"] == f'"{body["version"]}"'


def test_liaison_cannot_draft_for_another_agency(api, lead_liaison, mohw):
    response = api(lead_liaison).post("/api/v1/proposals/", {**NEW, "lead_agency": "MOHW"}, format="json")
    assert response.status_code == 403
    assert "liaisons" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"policy_area": "no-such-area"}, "policy_area"),
        ({"committee": "NOPE"}, "committee"),
        ({"co_sponsors": ["XYZ"]}, "co_sponsors"),
        ({"co_sponsors": "MOHW"}, "co_sponsors"),
        ({"estimated_budget_krw": 10**30}, "estimated_budget_krw"),
        ({"estimated_budget_krw": -1}, "estimated_budget_krw"),
        ({"estimated_budget_krw": "a lot"}, "estimated_budget_krw"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"state": "accepted"}, "state"),
        ({"reference": "NBC-2026-0001"}, "reference"),
        ({"co_sponsors": ["MSIT"]}, "co_sponsors"),  # the lead agency cannot co-sponsor (a service rule)
    ],
)
def test_bad_draft_input_answers_400_naming_the_field(api, lead_liaison, health, change, field):
    response = api(lead_liaison).post("/api/v1/proposals/", {**NEW, **change}, format="json")
    assert response.status_code == 400, response.data
    assert field in response.json()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    "payload",
    ['{"title": ', "[1, 2]", '"just a string"', "null", "\xff\xfe"],
    ids=["truncated", "list", "string", "null", "not utf-8"],
)
def test_malformed_json_answers_400_not_500(api, lead_liaison, draft, payload):
    client = api(lead_liaison)
    for method, target in (("post", "/api/v1/proposals/"), ("patch", url(draft))):
        response = getattr(client, method)(target, payload, content_type="application/json")
        assert response.status_code == 400, (method, response.content)
        assert response.json()


def test_patch_returns_new_version_in_body_and_etag(api, lead_liaison, draft):
    client = api(lead_liaison)
    etag = client.get(url(draft))["ETag"]
    assert etag == f'"{draft.version}"'
    response = client.patch(url(draft), {"title": "Revised title"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.data
    assert response.json()["title"] == "Revised title"
    assert response.json()["version"] == draft.version + 1
    assert response["ETag"] == f'"{draft.version + 1}"'
    assert response.json()["timeline"][-1]["action"] == "edit"


def test_stale_if_match_answers_412_and_changes_nothing(api, lead_liaison, draft):
    client = api(lead_liaison)
    stale = f'"{draft.version}"'
    assert client.patch(url(draft), {"title": "First"}, format="json", HTTP_IF_MATCH=stale).status_code == 200
    response = client.patch(url(draft), {"title": "Second"}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert "changed by someone else" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.title == "First"


def test_stale_version_field_in_body_also_answers_412(api, lead_liaison, draft):
    client = api(lead_liaison)
    client.patch(url(draft), {"title": "First"}, format="json")
    response = client.patch(url(draft), {"title": "Second", "version": draft.version}, format="json")
    assert response.status_code == 412
    assert Proposal.objects.get(pk=draft.pk).title == "First"


def test_if_match_takes_precedence_over_the_version_field(api, lead_liaison, draft):
    response = api(lead_liaison).patch(
        url(draft), {"title": "New", "version": 999}, format="json", HTTP_IF_MATCH=f'"{draft.version}"'
    )
    assert response.status_code == 200


def test_without_if_match_last_write_wins(api, lead_liaison, draft):
    client = api(lead_liaison)
    assert client.patch(url(draft), {"title": "One"}, format="json").status_code == 200
    assert client.patch(url(draft), {"title": "Two"}, format="json").status_code == 200
    assert Proposal.objects.get(pk=draft.pk).title == "Two"


def test_if_match_star_and_weak_etags_are_understood(api, lead_liaison, draft):
    client = api(lead_liaison)
    assert client.patch(url(draft), {"title": "A"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    draft.refresh_from_db()
    weak = f'W/"{draft.version}"'
    assert client.patch(url(draft), {"title": "B"}, format="json", HTTP_IF_MATCH=weak).status_code == 200


@pytest.mark.parametrize("header", ["abc", '"1", "2"', '"99999999999999999999"', '"1'])
def test_malformed_if_match_answers_400(api, lead_liaison, draft, header):
    response = api(lead_liaison).patch(url(draft), {"title": "X"}, format="json", HTTP_IF_MATCH=header)
    assert response.status_code == 400
    assert "If-Match" in response.json()["detail"]
    assert response.json()["code"] == "parse_error"


def test_patch_of_fields_that_cannot_change_answers_400(api, lead_liaison, draft):
    response = api(lead_liaison).patch(url(draft), {"state": "accepted", "committee": "NBC"}, format="json")
    assert response.status_code == 400
    assert response.json().pop("code") == "validation"
    assert set(response.json()) - {"code"} == {"state", "committee"}
    assert Proposal.objects.get(pk=draft.pk).state == ProposalState.DRAFT


def test_put_is_not_offered(api, lead_liaison, draft):
    assert api(lead_liaison).put(url(draft), NEW, format="json").status_code == 405


# --- transitions -----------------------------------------------------------------------------------


def test_submit_gives_a_reference_and_moves_the_state(api, lead_liaison, draft):
    response = api(lead_liaison).post(url(draft, "transitions/"), {"action": "submit"}, format="json")
    assert response.status_code == 200, response.data
    body = response.json()
    assert body["state"] == "submitted"
    assert body["reference"].startswith("NBC-")
    assert body["submitted_at"]
    assert body["timeline"][-1] | {"at": None} == {
        "action": "submit",
        "from": "draft",
        "to": "submitted",
        "actor": "liaison-msit",
        "comment": "",
        "at": None,
    }
    assert response["ETag"] == f'"{body["version"]}"'


def test_transition_forbidden_by_state_answers_409_with_reason(api, secretariat, proposal_in_state):
    proposal = proposal_in_state("submitted")
    response = api(secretariat).post(url(proposal, "transitions/"), {"action": "accept"}, format="json")
    assert response.status_code == 409
    assert "submitted" in response.json()["detail"]
    assert Proposal.objects.get(pk=proposal.pk).state == "submitted"


def test_transition_forbidden_by_role_answers_403_with_reason(api, lead_liaison, proposal_in_state):
    proposal = proposal_in_state("submitted")
    response = api(lead_liaison).post(url(proposal, "transitions/"), {"action": "start_review"}, format="json")
    assert response.status_code == 403
    assert "may not" in response.json()["detail"]


def test_return_without_comment_answers_400(api, secretariat, proposal_in_state):
    proposal = proposal_in_state("under_review")
    response = api(secretariat).post(url(proposal, "transitions/"), {"action": "return"}, format="json")
    assert response.status_code == 400
    assert "comment" in response.json()
    response = api(secretariat).post(
        url(proposal, "transitions/"), {"action": "return", "comment": "Add the budget."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["timeline"][-1]["comment"] == "Add the budget."


@pytest.mark.parametrize("action", ["decide", "schedule", "fly", "", None, 7])
def test_actions_not_started_by_people_answer_400(api, secretariat, proposal_in_state, action):
    proposal = proposal_in_state("accepted")
    response = api(secretariat).post(url(proposal, "transitions/"), {"action": action}, format="json")
    assert response.status_code == 400
    assert "action" in response.json()


def test_other_agencys_draft_is_404_for_transitions_too(api, other_liaison, draft):
    response = api(other_liaison).post(url(draft, "transitions/"), {"action": "withdraw"}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "-1", "0"])
def test_odd_ids_answer_404(api, secretariat, pk):
    response = api(secretariat).get(f"/api/v1/proposals/{pk}/")
    assert response.status_code == 404


def test_allowed_actions_follow_the_requesting_user(api, secretariat, lead_liaison, member, proposal_in_state):
    proposal = proposal_in_state("under_review")
    assert api(secretariat).get(url(proposal)).json()["allowed_actions"] == ["return", "accept"]
    assert api(lead_liaison).get(url(proposal)).json()["allowed_actions"] == ["withdraw"]
    assert api(member).get(url(proposal)).json()["allowed_actions"] == []


@pytest.mark.parametrize(
    "payload",
    ['{"estimated_budget_krw": NaN}', '{"estimated_budget_krw": 1e400}', '{"estimated_budget_krw": 1.5}'],
)
def test_numbers_json_cannot_hold_answer_400(api, lead_liaison, draft, payload):
    response = api(lead_liaison).patch(url(draft), payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()


def test_nul_bytes_in_text_answer_400(api, lead_liaison, draft):
    response = api(lead_liaison).patch(url(draft), {"title": "a\x00b"}, format="json")
    assert response.status_code == 400
    assert "title" in response.json()


def test_body_markup_is_cleaned_by_the_service(api, lead_liaison, draft):
    response = api(lead_liaison).patch(url(draft), {"body": "<script>alert(1)</script><b>ok</b>"}, format="json")
    assert response.status_code == 200
    assert "<script>" not in response.json()["body"]
    assert "<b>ok</b>" in response.json()["body"]


@pytest.mark.django_db
def test_patch_by_someone_who_may_not_edit_is_403_whatever_the_input(api, proposal_in_state, other_liaison):
    proposal = proposal_in_state("submitted")
    response = api(other_liaison).patch(
        f"/api/v1/proposals/{proposal.pk}/", {"title": "", "policy_area": "nowhere"}, format="json"
    )
    assert response.status_code == 403, response.content
    assert "lead agency" in response.json()["detail"]
