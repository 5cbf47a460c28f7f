"""Files with opinions and progress reports in the API: read-only, listed with the opinion or the report, and
downloaded only by whoever may see the opinion or the action (404 for anyone else)."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_consultation_lists_its_files_with_a_download_url_that_serves_the_file(api, world, letters, secretariat):
    client = api(secretariat)
    (listed,) = client.get(f"/api/v1/consultations/{world.consultation.pk}/").json()["attachments"]
    assert (listed["name"], listed["size"], listed["content_type"]) == ("공문.txt", 15, "text/plain")
    assert len(listed["sha256"]) == 64
    assert listed["download_url"] == f"http://testserver/api/v1/opinion-attachments/{letters[0].pk}/download/"
    download = client.get(listed["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"official letter"
    assert download["Content-Disposition"].startswith("attachment;")


def test_an_action_lists_its_reports_files(api, world, letters, lead_liaison):
    reports = api(lead_liaison).get(f"/api/v1/actions/{world.action.pk}/").json()["progress_reports"]
    (listed,) = reports[0]["attachments"]
    assert listed["name"] == "진행.txt"
    assert listed["download_url"].endswith(f"/api/v1/progress-attachments/{letters[1].pk}/download/")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("secretariat", 200),
        ("lead_liaison", 200),
        ("other_liaison", 200),
        ("member", 200),
        ("outsider", 404),
        (None, 401),
    ],
)
def test_downloads_follow_who_may_see_the_opinion_or_the_action(api, letters, request, role, status):
    user = request.getfixturevalue(role) if role else None
    client = api(user)
    opinion_letter, progress_letter = letters
    for url in (
        f"/api/v1/opinion-attachments/{opinion_letter.pk}/download/",
        f"/api/v1/progress-attachments/{progress_letter.pk}/download/",
        f"/api/v1/opinion-attachments/{opinion_letter.pk}/",
    ):
        assert client.get(url).status_code in ({status} if status != 401 else {401, 403}), url


def test_the_files_are_read_only_through_the_api(api, letters, other_liaison):
    client = api(other_liaison)
    url = f"/api/v1/opinion-attachments/{letters[0].pk}/"
    assert client.delete(url).status_code == 405
    assert client.post(f"/api/v1/opinion-attachments/{letters[0].pk}/download/", {}).status_code == 405


def test_files_are_listed_with_their_opinion_or_report_not_on_their_own(api, letters, member):
    assert api(member).get("/api/v1/opinion-attachments/").status_code == 404
