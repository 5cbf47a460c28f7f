"""A person chooses in their settings how each kind of email reaches them; mail they must receive is shown,
not changeable."""

import pytest
from django.urls import reverse

from committee.outbox.models import EmailChoice
from policies.notifications import CHOOSABLE_KINDS, MANDATORY_KINDS, Kind

pytestmark = pytest.mark.django_db
URL = "/settings/"


def test_the_settings_page_offers_each_kind_with_three_choices(client, lead_liaison):
    client.force_login(lead_liaison)
    form = client.get(URL).context["form"]
    for kind in CHOOSABLE_KINDS:
        field = form.fields[f"email_{kind}"]
        assert [value for value, _label in field.choices] == ["instant", "digest", "off"]
        assert not field.disabled
    for kind in MANDATORY_KINDS:
        assert form.fields[f"email_{kind}"].disabled
    assert f"email_{Kind.DIGEST}" not in form.fields  # the digest has its own setting


def test_choices_are_saved_and_shown_again(client, lead_liaison):
    client.force_login(lead_liaison)
    response = client.post(
        URL,
        {"language": "en", "frequency": "weekly", "email_proposal_return": "off", "email_agenda_changed": "digest"},
    )
    assert response.status_code == 302
    assert dict(EmailChoice.objects.filter(user=lead_liaison).values_list("kind", "delivery")) == {
        "proposal_return": "off",
        "agenda_changed": "digest",
    }
    initial = client.get(URL).context["form"].initial
    assert (initial["email_proposal_return"], initial["email_agenda_changed"]) == ("off", "digest")
    assert initial["email_proposal_accept"] == "instant"


def test_a_mandatory_kind_posted_as_off_stays_on(client, lead_liaison):
    client.force_login(lead_liaison)
    posted = {"language": "en", "frequency": "weekly", "email_consultation_requested": "off"}
    assert client.post(URL, posted).status_code == 302
    assert not EmailChoice.objects.filter(kind=Kind.CONSULTATION_REQUESTED).exists()


def test_a_bad_choice_is_a_form_error_and_keeps_what_was_typed(client, lead_liaison):
    client.force_login(lead_liaison)
    posted = {"language": "en", "frequency": "daily", "email_proposal_return": "sometimes"}
    response = client.post(URL, posted)
    assert response.status_code == 400
    assert "email_proposal_return" in response.context["form"].errors
    assert response.context["form"]["frequency"].value() == "daily"
    assert not EmailChoice.objects.exists()


def test_the_choices_read_in_korean(client, lead_liaison):
    client.force_login(lead_liaison)
    client.post(reverse("set_language"), {"language": "ko", "next": URL})
    page = client.get(URL).content.decode()
    for words in (
        "알림 종류별 이메일",
        "바로 이메일로 받기",
        "요약 메일에만 포함",
        "받지 않음",
        "의견 요청",
        "반드시 받아야",
    ):
        assert words in page, words
