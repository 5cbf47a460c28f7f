"""Who may download a meeting's papers, in the portal, the admin and the API: the committee's members and
secretariat, its agencies, and agencies with an item on the agenda; everyone else gets a 404."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from committee.directory.models import Agency
from tests import cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(built_book, secretariat, member, lead_liaison, other_liaison, outsider, committee):
    book, document = built_book
    stranger_agency = Agency.objects.create(acronym="MOF", name_ko="해양수산부", name_en="Ministry of Oceans")
    other_committee = cast.make_committee("SUB")
    return {
        "secretariat": (secretariat, True),
        "member": (member, True),
        "lead liaison": (lead_liaison, True),
        "liaison of another agency of the committee": (other_liaison, True),
        "liaison of an outside agency with an item": (book.outside_liaison, True),
        "liaison of an outside agency without an item": (cast.make_liaison(stranger_agency, "liaison-mof"), False),
        "secretariat of another committee": (cast.make_secretariat(other_committee, "secretariat-sub"), False),
        "outsider": (outsider, False),
    }


def portal_urls(document):
    meeting = document.meeting_id
    return [
        reverse("portal:meeting_paper", args=[meeting, document.kind]),
        reverse("portal:meeting_paper_version", args=[meeting, document.kind, document.version]),
    ]


@pytest.mark.parametrize(
    "who",
    [
        "secretariat",
        "member",
        "lead liaison",
        "liaison of another agency of the committee",
        "liaison of an outside agency with an item",
        "liaison of an outside agency without an item",
        "secretariat of another committee",
        "outsider",
    ],
)
def test_the_portal_serves_the_pdf_to_whoever_may_read_it_and_404_to_everyone_else(client, built_book, people, who):
    _book, document = built_book
    user, allowed = people[who]
    client.force_login(user)
    for url in portal_urls(document):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content).startswith(b"%PDF")
        else:
            assert response.status_code == 404, url


def test_the_portal_asks_an_anonymous_visitor_to_sign_in_and_404s_an_unknown_version(client, built_book, member):
    _book, document = built_book
    response = client.get(portal_urls(document)[0])
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(member)
    missing = reverse("portal:meeting_paper_version", args=[document.meeting_id, document.kind, 99])
    assert client.get(missing).status_code == 404
    assert client.get(reverse("portal:meeting_paper", args=[document.meeting_id, "minutes"])).status_code == 404


def test_the_portal_meeting_page_links_the_book(client, built_book, member):
    book, document = built_book
    client.force_login(member)
    page = client.get(reverse("portal:meeting", args=[book.meeting.pk])).content.decode()
    assert portal_urls(document)[1] in page


@pytest.mark.parametrize(
    "who",
    [
        "secretariat",
        "member",
        "liaison of another agency of the committee",
        "liaison of an outside agency with an item",
        "liaison of an outside agency without an item",
        "outsider",
    ],
)
def test_the_api_lists_documents_and_serves_each_url_as_pdf_or_404(built_book, people, who):
    book, document = built_book
    user, allowed = people[who]
    api = APIClient()
    api.force_login(user)
    listed = api.get(reverse("api:meeting-detail", args=[book.meeting.pk]))
    file_url = reverse("api:meeting-document-file", args=[book.meeting.pk, document.pk])
    response = api.get(file_url, HTTP_ACCEPT="application/pdf")
    if allowed:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == document.file.read()
    else:
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
    if listed.status_code == 200:  # whoever sees the meeting sees its documents, each downloadable
        [entry] = listed.json()["documents"]
        assert entry["kind"] == "agenda_book" and entry["version"] == document.version
        assert entry["sha256"] == document.sha256 and entry["built_at"]
        assert entry["url"].endswith(file_url)
        assert allowed


def test_the_api_meeting_list_shows_documents_without_a_query_per_meeting(built_book, secretariat, committee):
    for n in range(3):
        cast.make_meeting(committee, secretariat, days_ahead=30 + n, title=f"Meeting {n}")
    api = APIClient()
    api.force_login(secretariat)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        api.get(reverse("api:meeting-list"), {"page_size": 1})
    with CaptureQueriesContext(connection) as many:
        body = api.get(reverse("api:meeting-list")).json()
    assert len(many) == len(few)
    assert sum(len(meeting["documents"]) for meeting in body["results"]) == 1


def test_the_api_asks_an_anonymous_client_to_authenticate(built_book):
    book, document = built_book
    response = APIClient().get(reverse("api:meeting-document-file", args=[book.meeting.pk, document.pk]))
    assert response.status_code == 401


def test_the_admin_meeting_page_links_each_paper_version(client, built_book, secretariat):
    book, document = built_book
    client.force_login(secretariat)
    page = client.get(reverse("admin:policies_meeting_change", args=[book.meeting.pk])).content.decode()
    assert portal_urls(document)[1] in page
    assert client.get(portal_urls(document)[1]).status_code == 200
