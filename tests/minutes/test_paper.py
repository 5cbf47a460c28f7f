"""Final minutes as a PDF through the papers machinery: built only once final, with the Korean words in its text
layer in the named font, one paper per version; a correction adds the next, the first kept."""

import re
import subprocess

import pytest

from policies import services
from policies.models import MeetingDocument, Minutes
from policies.papers.build import build_paper
from tests.papers.conftest import pdf_text

pytestmark = pytest.mark.django_db
N = Minutes.Status
KIND = MeetingDocument.Kind.MINUTES


def test_minutes_in_review_have_no_paper(minutes_in_state, held_meeting):
    minutes, _item = minutes_in_state(N.IN_REVIEW)
    assert build_paper(minutes.meeting_id, KIND) is None


def test_final_minutes_read_back_in_korean_and_a_correction_adds_version_two(
    minutes_in_state, secretariat, tmp_path, django_capture_on_commit_callbacks
):
    minutes, item = minutes_in_state(N.DRAFT)
    services.send_minutes_for_review(minutes, by=secretariat, working_days=3)
    with django_capture_on_commit_callbacks() as queued:
        services.finalise_minutes(minutes, by=secretariat)
    assert queued, "finalising queues the build on commit"
    first = build_paper(minutes.meeting_id, KIND)
    assert first.version == 1
    content = first.file.read()
    text = pdf_text(content)
    for words in ("국가바이오위원회", "회의록", "출석", "계획과 예산을 승인한다.", "위원들은 예산 규모를 논의하였다."):
        assert words in text, words
    path = tmp_path / "minutes.pdf"
    path.write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(re.fullmatch(r"[A-Z]{6}\+Noto-Sans-CJK-KR(-Bold)?", line.split()[0]) for line in fonts)
    assert build_paper(minutes.meeting_id, KIND) == first, "building again adds nothing"

    services.correct_minutes(
        minutes, by=secretariat, reason="오기 수정", summaries={item.pk: "예산 규모를 고쳐 적었다."}
    )
    second = build_paper(minutes.meeting_id, KIND)
    assert second.version == 2
    corrected = pdf_text(second.file.read())
    assert "예산 규모를 고쳐 적었다." in corrected and "오기 수정" in corrected
    assert list(
        MeetingDocument.objects.filter(meeting_id=minutes.meeting_id, kind=KIND).values_list("version", flat=True)
    ) == [2, 1]
    assert "위원들은 예산 규모를 논의하였다." in pdf_text(MeetingDocument.objects.get(pk=first.pk).file.read())


def test_the_minutes_pdf_is_downloaded_where_the_agenda_book_is(minutes_in_state, client, member, outsider):
    minutes, _item = minutes_in_state(N.FINAL)
    build_paper(minutes.meeting_id, KIND)
    client.force_login(member)
    response = client.get(f"/meetings/{minutes.meeting_id}/papers/minutes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "minutes" in client.get(f"/meetings/{minutes.meeting_id}/").content.decode()
    client.force_login(outsider)
    assert client.get(f"/meetings/{minutes.meeting_id}/papers/minutes.pdf").status_code == 404
