"""GET /api/v1/meetings/{id}/suggestions/: the desk's carry-over suggestions for the secretariat, documented in
the schema; who else may call it is in tests/api/test_permissions.py (403 for those who see the meeting, 404 for
those who do not)."""

import pytest

from policies.models import Meeting, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db


def test_the_secretariat_reads_kind_object_id_and_reason(api, secretariat, world, proposal_in_state):
    accepted = proposal_in_state(ProposalState.ACCEPTED, title="Gene therapy pilot")
    response = api(secretariat).get(f"/api/v1/meetings/{world.planned.pk}/suggestions/")
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [(row["kind"], row["object_id"], row["why"], row["agenda_item_kind"]) for row in rows] == [
        ("proposal", accepted.pk, "accepted", "proposal"),
        ("follow_up_action", world.done_action.pk, "awaiting_verification", "report"),
        ("minutes", world.minutes.pk, "minutes_awaiting_approval", "report"),
    ]
    assert rows[0]["reason"].startswith("Accepted on ") and rows[0]["times_deferred"] == 0
    assert rows[1]["reason"].endswith("awaiting verification.") and rows[1]["title"] == "Publish the guidance"


@pytest.mark.parametrize("who", ["member", "lead_liaison"])
def test_members_and_liaisons_who_see_the_meeting_get_403(api, world, who, request):
    response = api(request.getfixturevalue(who)).get(f"/api/v1/meetings/{world.planned.pk}/suggestions/")
    assert response.status_code == 403 and response.json()["detail"]


def test_those_who_cannot_see_the_meeting_get_404(api, world, outsider):
    foreign = cast.make_secretariat(cast.make_committee("NBC-FOOD"), "food-secretariat")
    for user in (outsider, foreign):
        assert api(user).get(f"/api/v1/meetings/{world.planned.pk}/suggestions/").status_code == 404


def test_a_meeting_whose_agenda_is_closed_answers_409(api, secretariat, world):
    assert world.meeting.status == Meeting.Status.AGENDA_PUBLISHED
    world.meeting.status = Meeting.Status.HELD
    world.meeting.save(update_fields=["status"])
    response = api(secretariat).get(f"/api/v1/meetings/{world.meeting.pk}/suggestions/")
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"


def test_the_schema_documents_the_endpoint(api, secretariat):
    schema = api(secretariat).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/meetings/{id}/suggestions/"]["get"]
    assert set(operation["responses"]) >= {"200", "401", "403", "404", "409"}
    item = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert item["type"] == "array"
