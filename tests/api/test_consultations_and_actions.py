"""Consultations (requests and opinions) and follow-up actions (progress) over the API."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from policies import services
from policies.models import Consultation, FollowUpAction
from tests import cast

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def today():
    return timezone.localdate()


# --- consultations ---------------------------------------------------------------------------------


def test_secretariat_requests_opinions_by_date(api, secretariat, world):
    deadline = (today() + datetime.timedelta(days=10)).isoformat()
    response = api(secretariat).post(
        "/api/v1/consultations/",
        {"proposal": world.under_review.pk, "agencies": ["MOTIE", "MAFRA"], "deadline": deadline, "question": "Cost?"},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert sorted(c["agency"] for c in response.json()) == ["MAFRA", "MOTIE"]
    assert {c["deadline"] for c in response.json()} == {deadline}
    assert {c["question"] for c in response.json()} == {"Cost?"}


def test_secretariat_requests_opinions_by_working_days(api, secretariat, world):
    # Friday 13 February 2026 in Seoul; Seollal closes 16-18 February, so five working days end on the 25th.
    with time_machine.travel(datetime.datetime(2026, 2, 13, 10, tzinfo=SEOUL), tick=False):
        response = api(secretariat).post(
            "/api/v1/consultations/",
            {"proposal": world.under_review.pk, "agencies": ["MOTIE"], "working_days": 5},
            format="json",
        )
    assert response.status_code == 201, response.data
    assert response.json()[0]["deadline"] == "2026-02-25"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"working_days": None}, "deadline"),  # neither a date nor working days
        ({"deadline": "2099-01-01"}, "deadline"),  # both
        ({"working_days": 0}, "working_days"),
        ({"working_days": 10**20}, "working_days"),
        ({"agencies": []}, "agencies"),
        ({"agencies": ["NOPE"]}, "agencies"),
        ({"agencies": ["MSIT"]}, "agencies"),  # the lead agency itself
        ({"agencies": ["MOHW"]}, "agencies"),  # already consulted
        ({"proposal": 10**12}, "proposal"),
        ({"proposal": "abc"}, "proposal"),
    ],
)
def test_bad_consultation_requests_answer_400(api, secretariat, world, change, field):
    body = {"proposal": world.under_review.pk, "agencies": ["MOTIE"], "working_days": 5, **change}
    response = api(secretariat).post("/api/v1/consultations/", body, format="json")
    assert response.status_code == 400, response.data
    assert field in response.json()


def test_past_deadline_answers_400(api, secretariat, world):
    body = {"proposal": world.under_review.pk, "agencies": ["MOTIE"], "deadline": "2000-01-01"}
    response = api(secretariat).post("/api/v1/consultations/", body, format="json")
    assert response.status_code == 400
    assert "past" in response.json()["deadline"][0]


def test_consulting_on_a_draft_answers_409(api, secretariat, world):
    body = {"proposal": world.draft.pk, "agencies": ["MOTIE"], "working_days": 5}
    response = api(secretariat).post("/api/v1/consultations/", body, format="json")
    assert response.status_code == 409


def test_consulted_agency_answers_and_revises(api, other_liaison, world):
    client = api(other_liaison)
    target = f"/api/v1/consultations/{world.consultation.pk}/opinion/"
    response = client.post(target, {"position": "object", "opinion": "Too costly."}, format="json")
    assert response.status_code == 200, response.data
    assert response.json()["position"] == "object"
    assert response.json()["answered_by"] == "liaison-mohw"
    response = client.post(target, {"position": "concur"}, format="json")
    assert response.json()["revised_at"]
    position = client.get(f"/api/v1/proposals/{world.under_review.pk}/").json()["consolidated_position"]
    assert position == {
        "concur": ["MOHW"],
        "concur_with_conditions": [],
        "object": [],
        "silent": [],
        "no_longer_asked": [],
        "late": [],
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [({"position": "maybe"}, "position"), ({"position": "object"}, "opinion"), ({}, "position")],
)
def test_bad_opinions_answer_400(api, other_liaison, world, body, field):
    response = api(other_liaison).post(f"/api/v1/consultations/{world.consultation.pk}/opinion/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_revision_after_the_deadline_answers_409(api, other_liaison, world):
    url = f"/api/v1/consultations/{world.consultation.pk}/opinion/"
    api(other_liaison).post(url, {"position": "concur"}, format="json")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=60)):
        response = api(other_liaison).post(url, {"position": "object", "opinion": "No."}, format="json")
    assert response.status_code == 409
    assert "deadline" in response.json()["detail"]


@pytest.mark.parametrize("closed", ["withdrawn", "decided"])
def test_opinion_on_a_withdrawn_or_decided_proposal_answers_409_and_records_nothing(
    api, committee, secretariat, lead_liaison, other_liaison, world, closed
):
    if closed == "withdrawn":
        services.withdraw_proposal(world.under_review, by=lead_liaison)
    else:
        cast.decide_with_consultations_open(world.under_review, secretariat, committee)
    response = api(other_liaison).post(
        f"/api/v1/consultations/{world.consultation.pk}/opinion/", {"position": "concur"}, format="json"
    )
    assert response.status_code == 409, response.data
    assert response.json()["detail"] == "The proposal is already decided or withdrawn."
    assert not Consultation.objects.get(pk=world.consultation.pk).is_answered


def test_consultation_filters(api, secretariat, other_liaison, world):
    client = api(secretariat)
    (motie,) = services.request_consultations(
        world.submitted, by=secretariat, agencies=[cast.agency("MOTIE")], working_days=3
    )
    services.give_opinion(world.consultation, by=other_liaison, position="concur", opinion="")

    def ids(query):
        response = client.get(f"/api/v1/consultations/?{query}")
        assert response.status_code == 200, response.data
        return {c["id"] for c in response.json()["results"]}

    assert ids("") == {world.consultation.pk, motie.pk}
    assert ids(f"proposal={world.submitted.pk}") == {motie.pk}
    assert ids("agency=MOHW") == {world.consultation.pk}
    assert ids("answered=true") == {world.consultation.pk}
    assert ids("answered=false") == {motie.pk}
    assert ids("overdue=true") == set()
    Consultation.objects.filter(pk=motie.pk).update(deadline=today() - datetime.timedelta(days=1))
    assert ids("overdue=true") == {motie.pk}
    assert ids("overdue=false") == {world.consultation.pk}
    for bad in ("agency=NOPE", "proposal=abc", "proposal=1.5", "answered=perhaps", "overdue=2"):
        response = client.get(f"/api/v1/consultations/?{bad}")
        assert response.status_code == 400, bad
        assert bad.split("=")[0] in response.json(), bad
    assert ids("proposal=99999999999999999999") == set()


# --- follow-up actions ---------------------------------------------------------------------------


def test_responsible_agency_reports_progress_then_done(api, lead_liaison, world):
    client = api(lead_liaison)
    target = f"/api/v1/actions/{world.action.pk}/progress/"
    response = client.post(target, {"text": "Site chosen.", "percent_complete": 30}, format="json")
    assert response.status_code == 201, response.data
    assert response.json()["reported_by"] == "liaison-msit"
    detail = client.get(f"/api/v1/actions/{world.action.pk}/").json()
    assert (detail["status"], detail["percent_complete"]) == ("in_progress", 30)
    response = client.post(target, {"text": "Opened.", "percent_complete": 90, "reports_done": True}, format="json")
    assert response.json()["percent_complete"] == 100
    response = client.post(target, {"text": "Again.", "percent_complete": 100}, format="json")
    assert response.status_code == 409
    assert FollowUpAction.objects.get(pk=world.action.pk).status == "done"


def test_actions_and_meetings_say_what_their_tables_allow_the_reader(api, lead_liaison, secretariat, member, world):
    action, meeting = f"/api/v1/actions/{world.action.pk}/", f"/api/v1/meetings/{world.meeting.pk}/"
    assert api(lead_liaison).get(action).json()["allowed_actions"] == ["report_progress", "report_done"]
    assert api(secretariat).get(action).json()["allowed_actions"] == []
    services.report_progress(world.action, by=lead_liaison, text="Opened.", percent_complete=100, reports_done=True)
    assert api(lead_liaison).get(action).json()["allowed_actions"] == []
    assert api(secretariat).get(action).json()["allowed_actions"] == ["verify", "reopen"]
    assert api(secretariat).get("/api/v1/actions/").json()["results"][0]["allowed_actions"] == ["verify", "reopen"]
    # The decided proposal's meeting has a published agenda.
    assert api(secretariat).get(meeting).json()["allowed_actions"] == ["mark_held", "cancel"]
    assert api(member).get(meeting).json()["allowed_actions"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x", "percent_complete": 101}, "percent_complete"),
        ({"text": "x", "percent_complete": -1}, "percent_complete"),
        ({"text": "x", "percent_complete": 10**30}, "percent_complete"),
        ({"text": "", "percent_complete": 10}, "text"),
        ({"percent_complete": 10}, "text"),
        ({"text": "x", "percent_complete": 10, "reported_on": "2999-01-01"}, "reported_on"),
        ({"text": "x", "percent_complete": 10, "reported_on": "yesterday"}, "reported_on"),
        ({"text": "x", "percent_complete": 10, "status": "done"}, "status"),
    ],
)
def test_bad_progress_reports_answer_400(api, lead_liaison, world, body, field):
    response = api(lead_liaison).post(f"/api/v1/actions/{world.action.pk}/progress/", body, format="json")
    assert response.status_code == 400, response.data
    assert field in response.json()


def test_action_filters(api, secretariat, lead_liaison, world):
    client = api(secretariat)

    def ids(query):
        response = client.get(f"/api/v1/actions/?{query}")
        assert response.status_code == 200, response.data
        return {a["id"] for a in response.json()["results"]}

    due, both = world.action.due_date, {world.action.pk, world.done_action.pk}  # the same due date
    assert ids("") == both
    assert ids("status=open") == {world.action.pk}
    assert ids("status=done") == {world.done_action.pk}
    assert ids("agency=MSIT") == both
    assert ids("agency=MOHW") == set()
    assert ids(f"due_after={due}&due_before={due}") == both
    assert ids(f"due_after={due + datetime.timedelta(days=1)}") == set()
    assert ids("overdue=true") == set()
    FollowUpAction.objects.filter(pk=world.action.pk).update(due_date=today() - datetime.timedelta(days=1))
    assert ids("overdue=true") == {world.action.pk}
    assert client.get("/api/v1/actions/?status=finished").status_code == 400
    assert client.get("/api/v1/actions/?due_after=someday").status_code == 400


def test_meeting_and_decision_filters_and_nesting(api, member, world):
    client = api(member)
    meeting = client.get(f"/api/v1/meetings/{world.meeting.pk}/").json()
    assert meeting["committee"] == "NBC"
    assert [item["decision"] for item in meeting["items"]] == [world.decision.number, None]
    references = [world.decided.reference, world.open_item.proposal.reference]
    assert [item["proposal_reference"] for item in meeting["items"]] == references
    assert {a["member"] for a in meeting["attendance"]} == {"member-1"}
    starts = timezone.localtime(world.meeting.starts_at).date()
    assert client.get(f"/api/v1/meetings/?committee=NBC&starts_after={starts}").json()["count"] == 2  # and planned
    # Before the meeting's day: only the meeting held two days ago (its minutes in review); before that, none.
    day_before = starts - datetime.timedelta(days=1)
    assert client.get(f"/api/v1/meetings/?starts_before={day_before}").json()["count"] == 1
    assert client.get(f"/api/v1/meetings/?starts_before={day_before - datetime.timedelta(days=1)}").json()["count"] == 0
    assert client.get("/api/v1/meetings/?status=cancelled").json()["count"] == 0
    assert client.get("/api/v1/meetings/?committee=NOPE").status_code == 400

    decision = client.get(f"/api/v1/decisions/{world.decision.pk}/").json()
    assert decision["proposal_reference"] == world.decided.reference
    assert decision["follow_up_actions"] == [world.action.pk, world.done_action.pk]
    assert client.get("/api/v1/decisions/?outcome=adopted").json()["count"] == 1
    assert client.get("/api/v1/decisions/?outcome=rejected").json()["count"] == 0
    assert client.get(f"/api/v1/decisions/?meeting={world.meeting.pk}").json()["count"] == 1
    assert client.get("/api/v1/decisions/?outcome=won").status_code == 400


def test_opinion_and_progress_by_the_wrong_agency_are_403_whatever_the_input(api, lead_liaison, other_liaison, world):
    # The lead agency (MSIT) sees the consultation addressed to MOHW but may not answer it.
    response = api(lead_liaison).post(
        f"/api/v1/consultations/{world.consultation.pk}/opinion/", {"position": "maybe"}, format="json"
    )
    assert response.status_code == 403 and "consulted agency" in response.json()["detail"]
    # The action is MSIT's; MOHW's liaison sees it (same committee) but may not report on it.
    response = api(other_liaison).post(
        f"/api/v1/actions/{world.action.pk}/progress/", {"percent_complete": 500}, format="json"
    )
    assert response.status_code == 403 and "responsible agency" in response.json()["detail"]
