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


@pytest.mark.django_db
def test_the_interface_and_the_settings_page_never_disagree(client, member):
    """The profile decides a signed-in person's language, whatever the cookie or the browser says."""
    client.force_login(member)  # profile: English
    page = client.get(URL, headers={"accept-language": "ko"})
    assert '<html lang="en">' in page.content.decode()
    assert page.context["form"]["language"].value() == "en"
    client.cookies["django_language"] = "ko"
    page = client.get(URL)
    assert '<html lang="en">' in page.content.decode() and page.context["form"]["language"].value() == "en"


@pytest.mark.django_db
def test_the_headers_language_switch_changes_the_setting_too(client, member):
    client.force_login(member)
    response = client.post("/i18n/setlang/", {"language": "ko", "next": URL})
    assert response.status_code == 302 and response.cookies["django_language"].value == "ko"
    assert Profile.objects.get(user=member).language == "ko"
    page = client.get(URL, headers={"accept-language": "en"})
    assert '<html lang="ko">' in page.content.decode() and page.context["form"]["language"].value() == "ko"


@pytest.mark.django_db
def test_changing_the_setting_changes_the_interface(client, member):
    client.force_login(member)
    client.post(URL, {"language": "ko", "frequency": "weekly"})
    assert '<html lang="ko">' in client.get("/", headers={"accept-language": "en"}).content.decode()
    services.update_preferences(member, language="en")  # as the API's /me would
    assert '<html lang="en">' in client.get(URL, headers={"accept-language": "ko"}).content.decode()
