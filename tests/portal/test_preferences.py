"""A person chooses their language and their email digest in the portal."""

import datetime

import pytest
from django.utils import timezone

from committee.directory.models import Profile
from policies import services
from policies.models import DigestPreference, PolicyArea

URL = "/settings/"


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_member_chooses_a_daily_digest_in_two_areas_and_korean(client, member):
    client.force_login(member)
    assert client.get(URL).status_code == 200
    areas = PolicyArea.objects.filter(code__in=["health", "food"])
    response = client.post(URL, {"language": "ko", "frequency": "daily", "areas": [a.pk for a in areas]})
    assert response.status_code == 302
    preference = DigestPreference.objects.get(user=member)
    assert preference.frequency == "daily"
    assert {a.code for a in preference.areas.all()} == {"health", "food"}
    assert Profile.objects.get(user=member).language == "ko"
    assert response.cookies["django_language"].value == "ko"


@pytest.mark.django_db
def test_bad_choices_are_form_errors_and_change_nothing(client, member):
    client.force_login(member)
    response = client.post(URL, {"language": "fr", "frequency": "hourly", "areas": ["999999"]})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"language", "frequency", "areas"}
    assert not DigestPreference.objects.filter(user=member).exists()
    assert Profile.objects.get(user=member).language == "en"


@pytest.mark.django_db
def test_switching_digests_back_on_starts_a_fresh_window(member):
    old_start = timezone.now() - datetime.timedelta(days=90)
    DigestPreference.objects.create(user=member, frequency="off", period_start=old_start)
    services.update_preferences(member, frequency="weekly")
    preference = DigestPreference.objects.get(user=member)
    assert preference.frequency == "weekly" and preference.period_start > old_start
    services.update_preferences(member, frequency="daily")  # on -> on keeps the window running
    assert DigestPreference.objects.get(user=member).period_start == preference.period_start
