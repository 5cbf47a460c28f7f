"""Attachments: upload limits (413), accepted types (400), download with the original name, removal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from policies.models import ProposalAttachment
from tests.api.conftest import text_file

pytestmark = pytest.mark.django_db


def upload_url(proposal):
    return f"/api/v1/proposals/{proposal.pk}/attachments/"


def test_upload_then_download_with_the_original_name(api, lead_liaison, member, draft):
    client = api(lead_liaison)
    response = client.post(upload_url(draft), {"file": text_file("예산 계획.txt", b"budget lines")}, format="multipart")
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["name"] == "예산 계획.txt"
    assert body["size"] == len(b"budget lines")
    assert body["content_type"] == "text/plain"
    assert body["download_url"].startswith("http://testserver/api/v1/proposals/")

    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"budget lines"
    assert download["Content-Type"] == "text/plain"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%EC%98%88%EC%82%B0" in download["Content-Disposition"]

    listed = client.get(f"/api/v1/proposals/{draft.pk}/").json()["attachments"]
    assert [a["name"] for a in listed] == ["예산 계획.txt"]


def test_upload_over_the_limit_answers_413_with_the_limit(api, lead_liaison, draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = api(lead_liaison).post(upload_url(draft), {"file": text_file(content=b"x" * 1001)}, format="multipart")
    assert response.status_code == 413
    assert "1000" in response.json()["detail"]
    assert not ProposalAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content_type", "content"),
    [
        ("tool.exe", "application/x-msdownload", b"MZ..."),
        ("plan.pdf", "application/pdf", b"MZ not a pdf"),  # the content does not match the type
        ("plan.txt", "application/pdf", b"%PDF-1.7"),  # the name does not match the type
        ("empty.txt", "text/plain", b""),
    ],
)
def test_files_not_accepted_answer_400(api, lead_liaison, draft, name, content_type, content):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = api(lead_liaison).post(upload_url(draft), {"file": upload}, format="multipart")
    assert response.status_code == 400, response.data
    assert "file" in response.json()


def test_upload_without_a_file_answers_400(api, lead_liaison, draft):
    response = api(lead_liaison).post(upload_url(draft), {"note": "forgot"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


def test_upload_as_json_answers_415(api, lead_liaison, draft):
    response = api(lead_liaison).post(upload_url(draft), {"file": "aGVsbG8="}, format="json")
    assert response.status_code == 415


def test_download_ignores_an_accept_header_for_the_files_own_type(api, lead_liaison, world):
    url = f"/api/v1/proposals/{world.draft.pk}/attachments/{world.attachment.pk}/"
    response = api(lead_liaison).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"


def test_attachment_of_another_proposal_is_404(api, lead_liaison, world):
    other = world.submitted
    response = api(lead_liaison).get(f"/api/v1/proposals/{other.pk}/attachments/{world.attachment.pk}/")
    assert response.status_code == 404


def test_download_of_an_invisible_drafts_file_is_404_even_with_its_id(api, other_liaison, world):
    response = api(other_liaison).get(f"/api/v1/proposals/{world.draft.pk}/attachments/{world.attachment.pk}/")
    assert response.status_code == 404


def test_missing_stored_file_answers_404_not_500(api, lead_liaison, world):
    world.attachment.file.storage.delete(world.attachment.file.name)
    response = api(lead_liaison).get(f"/api/v1/proposals/{world.draft.pk}/attachments/{world.attachment.pk}/")
    assert response.status_code == 404


def test_removal_deletes_the_row_and_the_file_after_commit(
    api, lead_liaison, world, django_capture_on_commit_callbacks
):
    storage, name = world.attachment.file.storage, world.attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = api(lead_liaison).delete(f"/api/v1/proposals/{world.draft.pk}/attachments/{world.attachment.pk}/")
    assert response.status_code == 204
    assert not ProposalAttachment.objects.filter(pk=world.attachment.pk).exists()
    assert not storage.exists(name)


def test_removal_from_a_submitted_proposal_answers_409(api, lead_liaison, world):
    from policies import services

    services.submit_proposal(world.draft, by=lead_liaison)
    response = api(lead_liaison).delete(f"/api/v1/proposals/{world.draft.pk}/attachments/{world.attachment.pk}/")
    assert response.status_code == 409
    assert ProposalAttachment.objects.filter(pk=world.attachment.pk).exists()
