"""The consultation lifecycle through the API: the transition's `open_consultations`, extend, close and withdraw,
each refusal with its status and `code`, and all of it in the schema."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from committee.dates import seoul_today
from committee.outbox.models import Notification
from policies.models import Consultation

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def transition(world, **body):
    return f"/api/v1/proposals/{world.under_review.pk}/transitions/", body


def act(world, verb):
    return f"/api/v1/consultations/{world.consultation.pk}/{verb}/"


def status_of(world):
    return Consultation.objects.get(pk=world.consultation.pk).status


def test_accepting_with_an_awaited_opinion_and_no_choice_is_a_409_naming_the_agency(api, secretariat, world):
    url, body = transition(world, action="accept")
    response = api(secretariat).post(url, body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "open_consultations" and "MOHW" in response.json()["detail"]


@pytest.mark.parametrize(("choice", "status"), [("keep", "open"), ("close", "closed")])
def test_the_transition_keeps_or_closes_the_awaited_opinions(api, secretariat, world, choice, status):
    url, body = transition(world, action="return", comment="Add the budget.", open_consultations=choice)
    response = api(secretariat).post(url, body, format="json")
    assert response.status_code == 200 and response.json()["state"] == "returned"
    assert status_of(world) == status
    assert response.json()["consultations"][0]["status"] == status


def test_an_unknown_choice_is_a_400(api, secretariat, world):
    url, body = transition(world, action="accept", open_consultations="later")
    response = api(secretariat).post(url, body, format="json")
    assert response.status_code == 400 and "open_consultations" in response.json()


def test_the_secretariat_extends_and_the_agency_is_told(api, secretariat, other_liaison, world):
    new = seoul_today() + 40 * DAY
    response = api(secretariat).post(act(world, "extend"), {"deadline": new.isoformat()}, format="json")
    assert response.status_code == 200 and response.json()["deadline"] == new.isoformat()
    assert Notification.objects.filter(kind="consultation_extended", recipient=other_liaison).exists()


def test_an_earlier_deadline_is_a_400_on_the_deadline(api, secretariat, world):
    response = api(secretariat).post(act(world, "extend"), {"deadline": seoul_today().isoformat()}, format="json")
    assert response.status_code == 400 and "deadline" in response.json() and response.json()["code"]


@pytest.mark.parametrize(("verb", "status"), [("close", "closed"), ("withdraw", "withdrawn")])
def test_closing_or_withdrawing_answers_the_new_status_and_a_second_time_is_a_409(
    api, secretariat, world, verb, status
):
    client = api(secretariat)
    response = client.post(act(world, verb), {"reason": "Not needed."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == status
    again = client.post(act(world, verb), {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"


def test_a_late_opinion_is_marked_late_and_a_closed_one_is_a_409(api, secretariat, other_liaison, world):
    with time_machine.travel(timezone.now() + 30 * DAY, tick=False):
        listed = api(other_liaison).get("/api/v1/consultations/?overdue=true&agency=MOHW").json()["results"]
        assert [row["id"] for row in listed] == [world.consultation.pk] and listed[0]["is_overdue"]
        response = api(other_liaison).post(act(world, "opinion"), {"position": "concur"}, format="json")
        assert response.status_code == 200 and response.json()["late"] is True
        assert api(secretariat).get("/api/v1/consultations/?late=true").json()["count"] == 1
        position = api(secretariat).get(f"/api/v1/proposals/{world.under_review.pk}/").json()["consolidated_position"]
        assert position["late"] == ["MOHW"] and position["concur"] == ["MOHW"]


def test_no_opinion_after_the_secretariat_closed(api, secretariat, other_liaison, world):
    api(secretariat).post(act(world, "close"), {}, format="json")
    response = api(other_liaison).post(act(world, "opinion"), {"position": "concur"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"


def test_the_schema_documents_the_choice_and_the_new_endpoints(api, secretariat):
    schema = api(secretariat).get("/api/schema/?format=json").json()
    transition_body = schema["components"]["schemas"]["TransitionRequest"]["properties"]
    assert "open_consultations" in transition_body
    for verb in ("extend", "close", "withdraw"):
        operation = schema["paths"][f"/api/v1/consultations/{{id}}/{verb}/"]["post"]
        assert {"200", "403", "404", "409"} <= set(operation["responses"])
    codes = schema["components"]["schemas"]["ErrorCodeEnum"]["enum"]
    assert "open_consultations" in codes
