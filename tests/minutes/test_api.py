"""Minutes and public decisions through the API, per role: members read and comment while in review, liaisons
and other committees' members may not comment, the secretariat drafts, sends, finalises, corrects and makes
decisions public once the minutes are final; every refusal says its status and code."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from policies import services
from policies.models import Decision, Minutes, MinutesReading, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db
N = Minutes.Status


def client(user):
    api = APIClient()
    api.force_login(user)
    return api


def refused(response, status, code):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response.json()["code"] == code, response.json()


@pytest.fixture
def foreign_member(committee):
    return cast.make_member(cast.make_committee("NBC-FOOD"), "food-member")


def test_who_reads_minutes_and_opening_them_as_a_member_is_recorded(
    minutes_in_state, member, lead_liaison, foreign_member, outsider, secretariat
):
    minutes, _item = minutes_in_state(N.DRAFT)
    url = f"/api/v1/minutes/{minutes.pk}/"
    assert client(secretariat).get(url).status_code == 200
    for user in (member, lead_liaison, foreign_member, outsider):
        refused(client(user).get(url), 404, "not_found")
    client(secretariat).post(f"{url}review/", {"working_days": 5}, format="json")
    body = client(member).get(url).json()
    assert body["status"] == "in_review" and body["allowed_actions"] == []
    assert body["content"]["items"][0]["summary"] == "위원들은 예산 규모를 논의하였다."
    assert body["content"]["present"][0]["status"] == "present"
    assert MinutesReading.objects.filter(minutes=minutes, reader=member).exists()
    assert client(lead_liaison).get(url).status_code == 200
    assert not MinutesReading.objects.filter(minutes=minutes, reader=lead_liaison).exists()
    refused(client(foreign_member).get(url), 404, "not_found")


def test_comments_by_members_only_and_only_in_review(
    minutes_in_state, member, lead_liaison, foreign_member, secretariat
):
    minutes, item = minutes_in_state(N.IN_REVIEW)
    url = f"/api/v1/minutes/{minutes.pk}/comments/"
    created = client(member).post(url, {"text": "예산 규모를 명시해 주십시오.", "agenda_item": item.pk}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["agenda_item"] == item.pk
    refused(client(lead_liaison).post(url, {"text": "Liaison's view"}, format="json"), 403, "not_permitted")
    refused(client(foreign_member).post(url, {"text": "Other committee"}, format="json"), 404, "not_found")
    refused(client(secretariat).post(url, {"text": "Staff"}, format="json"), 403, "not_permitted")
    refused(client(member).post(url, {"text": ""}, format="json"), 400, "validation")
    refused(client(member).post(url, {"text": "x", "agenda_item": 999999}, format="json"), 400, "validation")
    assert [c["text"] for c in client(secretariat).get(f"/api/v1/minutes/{minutes.pk}/").json()["comments"]] == [
        "예산 규모를 명시해 주십시오."
    ]
    client(secretariat).post(f"/api/v1/minutes/{minutes.pk}/finalise/")
    refused(client(member).post(url, {"text": "Too late"}, format="json"), 409, "invalid_state")


def test_the_secretariats_verbs_through_the_api(held_meeting, secretariat, member):
    meeting, item = held_meeting
    refused(client(member).post("/api/v1/minutes/", {"meeting": meeting.pk}, format="json"), 403, "permission_denied")
    started = client(secretariat).post("/api/v1/minutes/", {"meeting": meeting.pk}, format="json")
    assert started.status_code == 201, started.content
    minutes_id = started.json()["id"]
    assert client(secretariat).post("/api/v1/minutes/", {"meeting": meeting.pk}, format="json").status_code == 200
    base = f"/api/v1/minutes/{minutes_id}"
    saved = client(secretariat).post(f"{base}/summaries/", {"summaries": {str(item.pk): "논의 요약"}}, format="json")
    assert saved.status_code == 200 and saved.json()["content"]["items"][0]["summary"] == "논의 요약"
    refused(client(secretariat).post(f"{base}/summaries/", {"summaries": {"0": "x"}}, format="json"), 400, "validation")
    refused(client(member).post(f"{base}/review/", {"working_days": 5}, format="json"), 404, "not_found")
    refused(client(secretariat).post(f"{base}/review/", {"working_days": 0}, format="json"), 400, "validation")
    refused(client(secretariat).post(f"{base}/finalise/"), 409, "invalid_state")
    assert (
        client(secretariat).post(f"{base}/review/", {"working_days": 5}, format="json").json()["status"] == "in_review"
    )
    refused(client(member).post(f"{base}/finalise/"), 403, "not_permitted")
    final = client(secretariat).post(f"{base}/finalise/").json()
    assert (final["status"], final["version"]) == ("final", 1)
    refused(
        client(secretariat).post(f"{base}/summaries/", {"summaries": {str(item.pk): "y"}}, format="json"),
        409,
        "invalid_state",
    )
    refused(client(secretariat).post(f"{base}/correct/", {"reason": ""}, format="json"), 400, "validation")
    corrected = (
        client(secretariat)
        .post(f"{base}/correct/", {"reason": "오기 수정", "summaries": {str(item.pk): "고친 요약"}}, format="json")
        .json()
    )
    assert corrected["version"] == 2 and [v["number"] for v in corrected["versions"]] == [2, 1]
    assert corrected["content"]["items"][0]["summary"] == "고친 요약"


def test_a_decision_is_made_public_by_the_secretariat_once_the_minutes_are_final(minutes_in_state, secretariat, member):
    minutes, item = minutes_in_state(N.IN_REVIEW)
    decision = Decision.objects.get(agenda_item=item)
    url = f"/api/v1/decisions/{decision.pk}/publish/"
    refused(
        client(secretariat).post(url, {"summary": "바이오 시범공장 계획 승인"}, format="json"), 409, "invalid_state"
    )
    client(secretariat).post(f"/api/v1/minutes/{minutes.pk}/finalise/")
    refused(client(member).post(url, {"summary": "공개"}, format="json"), 403, "permission_denied")
    refused(client(secretariat).post(url, {"summary": ""}, format="json"), 400, "validation")
    made = client(secretariat).post(url, {"summary": "바이오 시범공장 계획 승인"}, format="json")
    assert made.status_code == 200, made.content
    assert made.json()["public_summary"] == "바이오 시범공장 계획 승인" and made.json()["made_public_at"]
    decision.refresh_from_db()
    assert decision.made_public_by == secretariat
    withdrawn = client(secretariat).post(f"/api/v1/decisions/{decision.pk}/unpublish/")
    assert withdrawn.status_code == 200 and withdrawn.json()["made_public_at"] is None
    refused(client(secretariat).post(f"/api/v1/decisions/{decision.pk}/unpublish/"), 409, "invalid_state")


@pytest.mark.parametrize(("length", "taken"), [(5_000, True), (5_001, False)])
def test_a_public_summary_has_at_most_five_thousand_characters(minutes_in_state, secretariat, length, taken):
    """The service's own limit, whatever face calls it (the API's serializer refuses the same length first)."""
    minutes, item = minutes_in_state(N.IN_REVIEW)
    services.finalise_minutes(minutes, by=secretariat)
    decision = Decision.objects.get(agenda_item=item)
    summary = "가" * length
    if taken:
        services.make_decision_public(decision, summary=f"  {summary}  ", by=secretariat)
    else:
        with pytest.raises(ValidationError) as refused_summary:
            services.make_decision_public(decision, summary=summary, by=secretariat)
        assert refused_summary.value.message_dict == {"summary": ["A public summary has at most 5000 characters."]}
    decision.refresh_from_db()
    assert (decision.public_summary, decision.made_public_at is not None) == ((summary, True) if taken else ("", False))
    api = client(secretariat).post(f"/api/v1/decisions/{decision.pk}/publish/", {"summary": summary}, format="json")
    assert api.status_code == (200 if taken else 400), api.content


def test_making_a_decision_public_again_replaces_the_summary_and_keeps_the_first_time(minutes_in_state, secretariat):
    minutes, item = minutes_in_state(N.IN_REVIEW)
    services.finalise_minutes(minutes, by=secretariat)
    decision = Decision.objects.get(agenda_item=item)
    first = services.make_decision_public(decision, summary="첫 요약", by=secretariat).made_public_at
    assert first is not None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        again = services.make_decision_public(decision, summary="고친 요약", by=secretariat)
    decision.refresh_from_db()
    assert (decision.public_summary, decision.made_public_at, again.made_public_at) == ("고친 요약", first, first)


def add_held_meetings_with_minutes(count, *, committee, secretariat, proposal_in_state):
    """`count` held meetings, each with one adopted proposal and minutes in turn draft, in review and final."""
    for number in range(count):
        meeting = cast.make_meeting(
            committee, secretariat, title=f"Meeting {number}", starts_at=timezone.now() - datetime.timedelta(hours=1)
        )
        item = services.add_agenda_item(meeting, by=secretariat, proposal=proposal_in_state(ProposalState.ACCEPTED))
        services.publish_agenda(meeting, by=secretariat)
        cast.attend_all(meeting, secretariat)
        services.record_decision(item, by=secretariat, outcome="adopted", resolution="Adopted.")
        services.mark_meeting_held(meeting, by=secretariat)
        minutes = services.start_minutes(meeting, by=secretariat)
        services.save_summaries(minutes, by=secretariat, summaries={item.pk: f"Discussed {number}."})
        if number % 3:
            services.send_minutes_for_review(minutes, by=secretariat, working_days=5)
        if number % 3 == 2:
            services.finalise_minutes(minutes, by=secretariat)


def test_the_minutes_list_takes_the_same_queries_for_three_rows_or_nine(
    committee, secretariat, member, proposal_in_state
):
    api = client(secretariat)

    def count_queries() -> tuple[int, dict]:
        api.get("/api/v1/minutes/")  # the session's once-a-minute stamp is not the list's
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/minutes/?page_size=50")
        assert response.status_code == 200, response.content[:300]
        return len(queries), response.json()

    cases = {"committee": committee, "secretariat": secretariat, "proposal_in_state": proposal_in_state}
    add_held_meetings_with_minutes(3, **cases)
    few, body = count_queries()
    assert body["count"] == 3 and "content" not in body["results"][0]
    add_held_meetings_with_minutes(6, **cases)
    many, body = count_queries()
    assert body["count"] == 9
    assert many == few, f"{few} queries for 3 minutes, {many} for 9"
    detail = api.get(f"/api/v1/minutes/{body['results'][0]['id']}/").json()
    assert detail["content"]["items"][0]["summary"].startswith("Discussed")
