"""An overdue consultation is not a dead end: the agency sees the deadline passed and may still send an
opinion, marked late, unless the secretariat closed or withdrew the consultation."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import Consultation

pytestmark = pytest.mark.django_db


def after_deadline(consultation, days=3):
    moment = datetime.datetime.combine(consultation.deadline + datetime.timedelta(days=days), datetime.time(10))
    return time_machine.travel(timezone.make_aware(moment), tick=False)


def test_home_says_the_deadline_passed_and_a_late_opinion_is_possible(world, login, other_liaison):
    with after_deadline(world["consultation"]):
        page = login(other_liaison).get(reverse("portal:home")).content.decode()
    assert "Deadline passed" in page and "a late opinion is still possible" in page
    assert reverse("portal:opinion", args=[world["consultation"].pk]) in page


def test_the_agency_sends_a_late_opinion_and_sees_it_marked_late(world, login, other_liaison):
    consultation = world["consultation"]
    client = login(other_liaison)
    url = reverse("portal:opinion", args=[consultation.pk])
    with after_deadline(consultation):
        form = client.get(url).content.decode()
        assert "it will be marked late" in form and "Send late opinion" in form
        response = client.post(url, {"position": "concur_with_conditions", "opinion": "With a pilot first."})
        assert response.status_code == 302
        answered = Consultation.objects.get(pk=consultation.pk)
        assert (answered.status, answered.late) == ("answered", True)
        page = client.get(reverse("portal:proposal", args=[consultation.proposal_id])).content.decode()
    assert "Late" in page and "MOHW (late)" in page.replace("</strong>", "")


@pytest.mark.parametrize(
    ("verb", "words"),
    [
        ("close_consultation", "our opinion is no longer needed"),
        ("withdraw_consultation", "withdrew its request"),
    ],
)
def test_no_form_and_a_409_once_closed_or_withdrawn(world, login, secretariat, other_liaison, verb, words):
    consultation = world["consultation"]
    getattr(services, verb)(consultation, by=secretariat)
    client = login(other_liaison)
    url = reverse("portal:opinion", args=[consultation.pk])
    with after_deadline(consultation):
        page = client.get(url).content.decode()
        assert words in page and 'name="position"' not in page
        home = client.get(reverse("portal:home")).content.decode()
        assert url not in home  # no longer awaited from us
        response = client.post(url, {"position": "concur"})
    assert response.status_code == 409
    assert not Consultation.objects.get(pk=consultation.pk).is_answered
