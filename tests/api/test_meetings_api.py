"""The secretariat runs meetings, decisions and follow-up actions through the API with the admin's verbs and refusals.

Who may call what is in tests/api/test_permissions.py; here: what each write does, and how it refuses.
"""

import datetime

import pytest
from django.utils import timezone

from policies.models import Attendance, Decision, FollowUpAction, Meeting, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_secretariat(committee):
    return cast.make_secretariat(cast.make_committee("NBC-FOOD"), "food-secretariat")


def assert_refused(response, status, code, field=None):
    assert response.status_code == status, (response.status_code, response.content[:400])
    body = response.json()
    assert body["code"] == code, body
    if field:
        assert body[field] and all(isinstance(message, str) and message for message in body[field]), body
    else:
        assert body["detail"], body
    return body


def in_days(days):
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


# --- meetings and agendas --------------------------------------------------------------------------


def test_the_secretariat_calls_changes_fills_orders_and_publishes_a_meeting(api, secretariat, world, proposal_in_state):
    client = api(secretariat)
    body = {"committee": "NBC", "title": "3rd plenary", "starts_at": in_days(30), "online_link": "https://meet.go.kr/x"}
    created = client.post("/api/v1/meetings/", body, format="json")
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert (meeting["status"], meeting["committee"], meeting["location"]) == ("planned", "NBC", "")
    url = f"/api/v1/meetings/{meeting['id']}/"
    changed = client.patch(url, {"location": "Sejong", "title": "3rd plenary meeting"}, format="json")
    assert (changed.status_code, changed.json()["location"]) == (200, "Sejong")
    first = client.post(f"{url}items/", {"kind": "briefing", "title": "Bio data"}, format="json").json()
    second = client.post(f"{url}items/", {"proposal": world.submitted.pk}, format="json")
    assert_refused(second, 409, "invalid_state")  # only accepted proposals go on an agenda
    accepted = proposal_in_state(ProposalState.ACCEPTED)
    second = client.post(f"{url}items/", {"proposal": accepted.pk}, format="json")
    assert second.status_code == 201 and second.json()["presenter"] == "MSIT"
    reordered = client.post(f"{url}reorder/", {"items": [second.json()["id"], first["id"]]}, format="json")
    assert [item["id"] for item in reordered.json()["items"]] == [second.json()["id"], first["id"]]
    published = client.post(f"{url}publish/")
    assert (published.status_code, published.json()["status"]) == (200, "agenda_published")
    removed = client.delete(f"{url}items/{first['id']}/")
    assert [item["id"] for item in removed.json()["items"]] == [second.json()["id"]]


def test_bad_meeting_input_answers_field_errors(api, secretariat, world):
    client = api(secretariat)
    no_place = {"committee": "NBC", "title": "x", "starts_at": in_days(5)}
    assert (
        "place"
        in assert_refused(client.post("/api/v1/meetings/", no_place, format="json"), 400, "validation")["detail"]
    )
    ends_first = {**no_place, "location": "Seoul", "ends_at": in_days(4)}
    assert_refused(client.post("/api/v1/meetings/", ends_first, format="json"), 400, "validation", "ends_at")
    unknown = {**no_place, "location": "Seoul", "status": "held"}
    assert_refused(client.post("/api/v1/meetings/", unknown, format="json"), 400, "validation", "status")
    url = f"/api/v1/meetings/{world.planned.pk}/"
    assert_refused(client.patch(url, {"committee": "NBC"}, format="json"), 400, "validation", "committee")
    assert_refused(client.post(f"{url}reorder/", {"items": [999999]}, format="json"), 400, "validation", "items")
    assert_refused(client.post(f"{url}items/", {"kind": "report"}, format="json"), 400, "validation", "title")
    assert Meeting.objects.count() == 3  # the world's: decided on, planned, and held with minutes


def test_another_committees_secretariat_is_refused_and_never_sees_the_meeting(api, foreign_secretariat, world):
    client = api(foreign_secretariat)
    body = {"committee": "NBC", "title": "x", "starts_at": in_days(5), "location": "Seoul"}
    assert_refused(client.post("/api/v1/meetings/", body, format="json"), 403, "not_permitted")
    assert_refused(client.post(f"/api/v1/meetings/{world.planned.pk}/publish/"), 404, "not_found")
    assert_refused(client.post(f"/api/v1/meetings/{world.meeting.pk}/held/"), 404, "not_found")
    decision = {"agenda_item": world.open_item.pk, "outcome": "deferred", "resolution": "Later."}
    assert_refused(client.post("/api/v1/decisions/", decision, format="json"), 400, "validation", "agenda_item")
    assert_refused(client.post(f"/api/v1/actions/{world.done_action.pk}/verify/"), 404, "not_found")
    assert not Decision.objects.filter(agenda_item=world.open_item).exists()


def test_a_cancelled_meeting_refuses_changes_with_409(api, secretariat, world):
    client = api(secretariat)
    cancelled = client.post(f"/api/v1/meetings/{world.planned.pk}/cancel/", {"reason": "No quorum."}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    url = f"/api/v1/meetings/{world.planned.pk}/"
    assert_refused(client.patch(url, {"title": "Again"}, format="json"), 409, "invalid_state")
    assert_refused(client.post(f"{url}cancel/", {}, format="json"), 409, "invalid_state")


# --- attendance, held, decisions: only once the meeting has started -------------------------------


def test_a_future_meeting_refuses_attendance_and_held_with_meeting_not_started(api, secretariat, world):
    client = api(secretariat)
    url = f"/api/v1/meetings/{world.planned.pk}/"
    assert client.post(f"{url}publish/").status_code == 200  # its report is agenda enough
    attendance = client.post(f"{url}attendance/", {"member": "member-1", "status": "present"}, format="json")
    body = assert_refused(attendance, 409, "meeting_not_started")
    assert "Seoul time" in body["detail"]
    assert_refused(client.post(f"{url}held/"), 409, "meeting_not_started")
    assert not Attendance.objects.filter(meeting=world.planned).exists()
    assert Meeting.objects.get(pk=world.planned.pk).status == "agenda_published"


def test_a_decision_on_a_future_meeting_answers_meeting_not_started(api, secretariat, world, proposal_in_state):
    client = api(secretariat)
    accepted = proposal_in_state(ProposalState.ACCEPTED)
    item = client.post(f"/api/v1/meetings/{world.planned.pk}/items/", {"proposal": accepted.pk}, format="json").json()
    client.post(f"/api/v1/meetings/{world.planned.pk}/publish/")
    body = {"agenda_item": item["id"], "outcome": "adopted", "resolution": "Adopted.", "votes_for": 20}
    body.update(votes_against=0, abstentions=0)
    assert_refused(client.post("/api/v1/decisions/", body, format="json"), 409, "meeting_not_started")
    assert not Decision.objects.filter(agenda_item_id=item["id"]).exists()


def test_attendance_and_held_on_a_started_meeting(api, secretariat, world):
    client = api(secretariat)
    url = f"/api/v1/meetings/{world.meeting.pk}/"
    delegate = {"member": "member-1", "status": "represented", "delegate_name": "Deputy Park"}
    recorded = client.post(f"{url}attendance/", delegate, format="json")
    assert recorded.json() == {**delegate, "member_name": recorded.json()["member_name"]}
    missing = {"member": "member-1", "status": "represented"}
    assert_refused(client.post(f"{url}attendance/", missing, format="json"), 400, "validation", "delegate_name")
    stranger = {"member": "outsider", "status": "present"}
    assert_refused(client.post(f"{url}attendance/", stranger, format="json"), 400, "validation", "member")
    held = client.post(f"{url}held/")
    assert (held.status_code, held.json()["status"]) == (200, "held")


def decide(client, world, **fields):
    body = {"agenda_item": world.open_item.pk, "outcome": "adopted", "resolution": "Adopted as proposed.", **fields}
    return client.post("/api/v1/decisions/", body, format="json")


def test_a_decision_with_votes_that_fit_is_recorded_and_numbered(api, secretariat, world):
    present = Attendance.objects.filter(meeting=world.meeting, status="present").count()
    response = decide(api(secretariat), world, votes_for=present, votes_against=0, abstentions=0)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["outcome"], body["votes_for"], body["outcome_basis"]) == ("adopted", present, "")
    assert body["number"].startswith("NBC-") and body["proposal"] == world.open_item.proposal_id


def test_votes_against_the_rules_answer_field_errors(api, secretariat, world):
    client = api(secretariat)
    present = Attendance.objects.filter(meeting=world.meeting, status="present").count()
    assert_refused(decide(client, world, votes_for=3), 400, "validation", "votes_against")
    too_many = decide(client, world, votes_for=present + 1, votes_against=0, abstentions=0)
    assert_refused(too_many, 400, "validation", "votes_for")
    lost = decide(client, world, votes_for=0, votes_against=present, abstentions=0)
    assert "basis" in assert_refused(lost, 400, "validation", "outcome")["outcome"][0]
    future = decide(client, world, decided_at=in_days(1))
    assert_refused(future, 400, "validation", "decided_at")
    assert not Decision.objects.filter(agenda_item=world.open_item).exists()
    basis = "The vote was void; adopted by consensus after debate."
    stated = decide(client, world, votes_for=0, votes_against=present, abstentions=0, outcome_basis=basis)
    assert (stated.status_code, stated.json()["outcome_basis"]) == (201, basis)


# --- follow-up actions ---------------------------------------------------------------------------


def test_the_secretariat_assigns_verifies_and_reopens_actions(api, secretariat, world):
    client = api(secretariat)
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    body = {"decision": world.decision.pk, "agency": "MOHW", "title": "Draft the decree", "due_date": due}
    created = client.post("/api/v1/actions/", body, format="json")
    assert (created.status_code, created.json()["agency"], created.json()["status"]) == (201, "MOHW", "open")
    url = f"/api/v1/actions/{world.done_action.pk}/"
    verified = client.post(f"{url}verify/")
    assert (verified.status_code, verified.json()["is_verified"]) == (200, True)
    assert_refused(client.post(f"{url}verify/"), 409, "invalid_state")
    assert_refused(client.post(f"{url}reopen/", {"comment": " "}, format="json"), 400, "validation", "comment")
    reopened = client.post(f"{url}reopen/", {"comment": "The guidance is not online."}, format="json")
    assert (reopened.status_code, reopened.json()["status"]) == (200, "in_progress")
    assert FollowUpAction.objects.get(pk=world.done_action.pk).verified_at is None


def test_bad_action_input_answers_field_errors(api, secretariat, world):
    client = api(secretariat)
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    body = {"decision": world.decision.pk, "agency": "MOHW", "title": "Late", "due_date": past}
    assert_refused(client.post("/api/v1/actions/", body, format="json"), 400, "validation", "due_date")
    assert_refused(
        client.post("/api/v1/actions/", {**body, "agency": "NOPE"}, format="json"), 400, "validation", "agency"
    )
    assert_refused(client.post(f"/api/v1/actions/{world.action.pk}/verify/"), 409, "invalid_state")
