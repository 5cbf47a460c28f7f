"""Attachment files are reached only through views that check visibility, never as plain media files."""

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, clear_url_caches, resolve

import committee.urls
from policies import services


@pytest.fixture
def attachment(draft, lead_liaison):
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n secret plan", "application/pdf")
    return services.add_attachment(draft, by=lead_liaison, uploaded_file=upload)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_media_files_are_not_served_directly_even_in_debug(settings, attachment, debug):
    settings.DEBUG = debug
    importlib.reload(committee.urls)
    clear_url_caches()
    try:
        with pytest.raises(Resolver404):
            resolve(f"/{settings.MEDIA_URL}{attachment.file.name}".replace("//", "/"))
    finally:
        settings.DEBUG = False
        importlib.reload(committee.urls)
        clear_url_caches()


@pytest.mark.django_db
def test_other_agency_cannot_download_a_draft_attachment(client, attachment, other_liaison, lead_liaison):
    client.force_login(other_liaison)
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    client.force_login(lead_liaison)
    response = client.get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"secret plan" in b"".join(response.streaming_content)
