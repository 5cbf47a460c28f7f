"""Files with opinions and progress reports (an official letter, 공문): the same checks as a proposal's, and
downloads only for whoever may see the opinion or the action."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from policies import services
from policies.models import OpinionAttachment, ProgressReportAttachment

from .conftest import PDF, pdf_upload

pytestmark = pytest.mark.django_db


def attach_to_opinion(client, consultation, upload):
    return client.post(reverse("portal:opinion_attachment_add", args=[consultation.pk]), {"file": upload})


def test_the_consulted_agency_attaches_a_letter_that_everyone_who_sees_the_opinion_can_download(
    world, login, other_liaison, roles
):
    consultation = world["consultation"]
    response = attach_to_opinion(login(other_liaison), consultation, pdf_upload("공문.pdf"))
    assert response.status_code == 302
    letter = OpinionAttachment.objects.get()
    assert (letter.original_name, letter.content_type, letter.size) == ("공문.pdf", "application/pdf", len(PDF))
    assert len(letter.sha256) == 64 and "공문" not in letter.file.name  # stored under its hash
    url = reverse("portal:opinion_attachment", args=[letter.pk])
    expected = {"secretariat": 200, "lead_liaison": 200, "other_liaison": 200, "member": 200, "outsider": 404}
    for role, status in expected.items():
        response = login(roles[role]).get(url)
        assert response.status_code == status, role
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
    assert login(None).get(url).status_code == 302  # to the sign-in page
    # Shown with the opinion on the proposal page and on the opinion page.
    assert (
        url
        in login(roles["lead_liaison"]).get(reverse("portal:proposal", args=[world["submitted"].pk])).content.decode()
    )


def test_only_the_consulted_agency_attaches_or_removes_files(world, login, lead_liaison, other_liaison):
    consultation = world["consultation"]
    assert attach_to_opinion(login(lead_liaison), consultation, pdf_upload()).status_code == 403
    assert not OpinionAttachment.objects.exists()
    letter = services.add_opinion_attachment(consultation, by=other_liaison, uploaded_file=pdf_upload())
    remove = reverse("portal:opinion_attachment_remove", args=[letter.pk])
    assert login(lead_liaison).post(remove).status_code == 403
    assert login(other_liaison).post(remove).status_code == 302
    assert not OpinionAttachment.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf_upload("renamed.pdf", b"MZ\x90\x00 an executable"), "does not match its type"),
        (pdf_upload("script.exe", b"MZ"), "Files of this type are not accepted"),
    ],
)
def test_a_refused_file_is_said_why_and_not_stored(world, login, other_liaison, upload, message):
    client = login(other_liaison)
    response = attach_to_opinion(client, world["consultation"], upload)
    assert response.status_code == 302
    assert message in client.get(response["Location"]).content.decode().replace("&#x27;", "'")
    assert not OpinionAttachment.objects.exists()


def test_a_file_over_the_limit_is_refused(world, login, other_liaison, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    client = login(other_liaison)
    response = attach_to_opinion(client, world["consultation"], pdf_upload())
    assert "the limit is 10 bytes" in client.get(response["Location"]).content.decode()
    assert not OpinionAttachment.objects.exists()


def test_no_files_after_the_deadline(world, login, other_liaison):
    consultation = world["consultation"]
    after = datetime.datetime.combine(consultation.deadline + datetime.timedelta(days=1), datetime.time(10))
    with time_machine.travel(after.replace(tzinfo=datetime.UTC), tick=False):
        client = login(other_liaison)
        response = attach_to_opinion(client, consultation, pdf_upload())
    assert "The deadline of this consultation has passed." in client.get(response["Location"]).content.decode()
    assert not OpinionAttachment.objects.exists()


def test_a_progress_report_carries_its_letter_and_the_action_page_links_it(world, login, lead_liaison, roles):
    action = world["action"]
    client = login(lead_liaison)
    url = reverse("portal:action_progress", args=[action.pk])
    data = {"text": "Half way", "percent_complete": 50, "files": [pdf_upload("공문-진행.pdf")]}
    assert client.post(url, data).status_code == 302
    letter = ProgressReportAttachment.objects.get()
    assert letter.report.text == "Half way" and letter.original_name == "공문-진행.pdf"
    download = reverse("portal:progress_attachment", args=[letter.pk])
    assert download in client.get(url).content.decode()
    assert login(roles["member"]).get(download).status_code == 200
    assert login(roles["outsider"]).get(download).status_code == 404


def test_a_refused_file_refuses_the_whole_progress_report_and_keeps_what_was_typed(world, login, lead_liaison):
    action = world["action"]
    data = {"text": "Half way there", "percent_complete": 50, "files": [pdf_upload("bad.pdf", b"not a pdf")]}
    response = login(lead_liaison).post(reverse("portal:action_progress", args=[action.pk]), data)
    assert response.status_code == 400
    assert "Half way there" in response.content.decode()
    assert not action.progress_reports.exists() and not ProgressReportAttachment.objects.exists()
