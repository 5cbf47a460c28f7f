"""The agenda book's content, table of contents with a merged three-page PDF, bookmarks, and Korean text."""

import hashlib
import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from policies.models import MeetingDocument
from policies.papers.build import build_paper

from .conftest import page_texts, pdf_text

pytestmark = pytest.mark.django_db


def test_the_book_holds_cover_agenda_items_opinions_and_lists_files_it_cannot_merge(built_book):
    book, document = built_book
    content = document.file.read()
    text = pdf_text(content)
    for expected in (
        "국가바이오위원회",  # the committee, on the cover
        book.meeting.title,
        "Government Complex Seoul",  # the place
        book.proposal.reference,
        "과학기술정보통신부",  # lead agency
        "바이오의약품 시범공장 두 곳을 짓는다.",  # summary
        "계획과 예산을 승인한다.",  # requested decision
        "보건복지부",  # the consulted agency
        "임상 인력 양성 계획을 함께 제출할 것.",  # its opinion
        "budget.docx",  # listed, not merged
        "부지 선정 완료.",  # a report's text
        "백신 비축 현황.",  # a briefing's text
        "질병관리청",  # the briefing's presenter, from outside the committee
    ):
        assert expected in text, expected
    assert document.kind == MeetingDocument.Kind.AGENDA_BOOK
    assert document.version == book.meeting.invitation_sequence
    assert document.language == "ko"
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()


def test_the_table_of_contents_gives_the_right_pages_with_a_merged_three_page_pdf(built_book):
    _book, document = built_book
    content = document.file.read()
    texts = page_texts(content)
    annex_pages = [n for n, text in enumerate(texts, start=1) if "ANNEX-PAGE-" in text]
    assert [texts[n - 1].strip() for n in annex_pages] == ["ANNEX-PAGE-1", "ANNEX-PAGE-2", "ANNEX-PAGE-3"]
    toc = pdf_text(content, page=2)

    def listed_page(label: str) -> int:
        match = re.search(re.escape(label) + r"[ .]*?(\d+)\s*$", toc, re.MULTILINE)
        assert match, (label, toc)
        return int(match.group(1))

    assert listed_page("annex.pdf") == annex_pages[0]
    report_page = listed_page("2. 추진 현황 보고")
    assert report_page == annex_pages[-1] + 1  # the report comes after the three merged pages
    assert "2. 추진 현황 보고" in texts[report_page - 1]
    assert "3. 감염병 대응 브리핑" in texts[listed_page("3. 감염병 대응 브리핑") - 1]
    assert len(texts) == report_page + 1


def test_every_item_and_merged_file_has_a_bookmark_to_its_page(built_book):
    _book, document = built_book
    reader = PdfReader(io.BytesIO(document.file.read()))
    texts = [page.extract_text() or "" for page in reader.pages]
    marks = {}

    def walk(outline):
        for entry in outline:
            if isinstance(entry, list):
                walk(entry)
            else:
                marks[entry.title] = reader.get_destination_page_number(entry)

    walk(reader.outline)
    assert "ANNEX-PAGE-1" in texts[marks["annex.pdf"]]
    for title in ("1. 바이오 제조 시범공장 구축", "2. 추진 현황 보고", "3. 감염병 대응 브리핑"):
        assert title in marks, marks
        assert title in texts[marks[title]]


def test_korean_renders_in_the_named_noto_cjk_font_and_reads_back_as_the_same_words(built_book, tmp_path):
    book, document = built_book
    content = document.file.read()
    path = tmp_path / "book.pdf"
    path.write_bytes(content)
    # The text layer gives back the Korean words (a missing glyph would come back as a box or nothing).
    cover = pdf_text(content, page=1)
    assert "국가바이오위원회" in cover
    item_page = pdf_text(content, page=4)
    for words in ("바이오 제조 시범공장 구축", "과학기술정보통신부", "계획과 예산을 승인한다."):
        assert words in item_page
    # Every font of the book's own pages is Noto Sans CJK KR, embedded: no fallback font was used.
    fonts = subprocess.run(
        ["pdffonts", "-f", "1", "-l", "4", str(path)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts, "no font listed"
    for line in fonts:
        name, emb = line.split()[0], line.split()[-5]
        assert re.fullmatch(r"[A-Z]{6}\+Noto-Sans-CJK-KR(-Bold)?", name), line
        assert emb == "yes", line
    # The page as an image is not blank: the glyphs were drawn.
    subprocess.run(["pdftoppm", "-f", "4", "-l", "4", "-r", "50", "-gray", str(path), str(tmp_path / "p")], check=True)
    [image] = tmp_path.glob("p*.pgm")
    raw = image.read_bytes()
    header_end = _pgm_pixels_start(raw)
    pixels = raw[header_end:]
    dark = sum(1 for value in pixels if value < 128)
    assert dark > 500, dark


def _pgm_pixels_start(raw: bytes) -> int:
    """Where a binary PGM's pixels begin: after magic, width, height and maxval."""
    fields, index = 0, 0
    while fields < 4:
        while raw[index : index + 1].isspace():
            index += 1
        while not raw[index : index + 1].isspace():
            index += 1
        fields += 1
    return index + 1


def test_an_english_meeting_gets_an_english_book(book_meeting):
    book = book_meeting(language="en", title="Bio-manufacturing pilot plants")
    document = build_paper(book.meeting.pk, MeetingDocument.Kind.AGENDA_BOOK)
    text = pdf_text(document.file.read())
    assert document.language == "en"
    assert "National Bio Committee" in text
    assert "Requested decision" in text and "Ministry of Science and ICT" in text
