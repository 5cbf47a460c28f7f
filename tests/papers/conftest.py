"""A published meeting whose agenda book has something in every part: a proposal with an opinion, a merged
three-page PDF and a listed Word file, a report, and a briefing by an agency from outside the committee."""

import io
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from weasyprint import HTML

from committee.directory.models import Agency
from policies import services
from policies.demo.drive import drive_proposal_to
from policies.models import AgendaItem, Consultation, MeetingDocument, ProposalState
from policies.papers.build import build_paper
from tests import cast

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def annex_pdf(pages: int = 3) -> bytes:
    """A PDF whose every page says which annex page it is, so a merged page can be recognised by its text."""
    body = "".join(f'<p style="break-before: page">ANNEX-PAGE-{n}</p>' for n in range(1, pages + 1))
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def pdf_text(content: bytes, page: int | None = None) -> str:
    """The text layer as poppler's pdftotext reads it (one page, 1-based, or all)."""
    args = ["pdftotext", "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


@dataclass
class Book:
    meeting: Any
    proposal: Any
    briefing: Any
    outside_liaison: Any


@pytest.fixture
def outside_agency(db):
    return Agency.objects.create(acronym="KDCA", name_ko="질병관리청", name_en="Korea Disease Control Agency")


@pytest.fixture
def book_meeting(committee, secretariat, lead_liaison, other_liaison, mohw, health, outside_agency):
    """A published meeting (Korean by default) with a proposal, a report and an outside agency's briefing."""

    def build(*, language="ko", title="바이오 제조 시범공장 구축", **meeting_fields) -> Book:
        proposal = cast.make_proposal(
            committee,
            lead_liaison,
            health,
            title=title,
            summary="바이오의약품 시범공장 두 곳을 짓는다.",
            requested_decision="계획과 예산을 승인한다.",
        )
        services.add_attachment(
            proposal,
            by=lead_liaison,
            uploaded_file=SimpleUploadedFile("annex.pdf", annex_pdf(3), content_type="application/pdf"),
        )
        services.add_attachment(
            proposal,
            by=lead_liaison,
            uploaded_file=SimpleUploadedFile("budget.docx", b"PK\x03\x04 budget table", content_type=DOCX),
        )

        def consult(reached):
            if reached.state == ProposalState.UNDER_REVIEW and not reached.consultations.exists():
                [consultation] = services.request_consultations(
                    reached, by=secretariat, agencies=[mohw], working_days=5
                )
                services.give_opinion(
                    consultation,
                    by=other_liaison,
                    position=Consultation.Position.CONCUR_WITH_CONDITIONS,
                    opinion="임상 인력 양성 계획을 함께 제출할 것.",
                )

        meeting = cast.make_meeting(committee, secretariat, **meeting_fields)
        if language != "ko":
            meeting = services.update_meeting(meeting, by=secretariat, changes={"language": language})
        drive_proposal_to(
            proposal,
            ProposalState.SCHEDULED,
            liaison=lead_liaison,
            secretariat=secretariat,
            meeting=meeting,
            on_reach=consult,
        )
        services.add_agenda_item(
            meeting,
            by=secretariat,
            kind=AgendaItem.Kind.REPORT,
            title="추진 현황 보고",
            notes="시범공장 부지 선정 완료.",
        )
        briefing = services.add_agenda_item(
            meeting,
            by=secretariat,
            kind=AgendaItem.Kind.BRIEFING,
            title="감염병 대응 브리핑",
            presenter=outside_agency,
            notes="백신 비축 현황.",
        )
        outside_liaison = cast.make_liaison(outside_agency, "liaison-kdca")
        meeting = services.publish_agenda(meeting, by=secretariat)
        proposal.refresh_from_db()
        return Book(meeting=meeting, proposal=proposal, briefing=briefing, outside_liaison=outside_liaison)

    return build


@pytest.fixture
def built_book(book_meeting):
    """A published Korean meeting and its agenda book, built as the task builds it."""
    book = book_meeting()
    document = build_paper(book.meeting.pk, MeetingDocument.Kind.AGENDA_BOOK)
    return book, document
