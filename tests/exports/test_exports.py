"""Spreadsheet exports: what the list shows, for those who may see it, written so no cell runs as a formula."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies import exports, services
from policies.models import Proposal, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db
S = ProposalState
PROPOSAL_EXPORT = "admin:policies_proposal_export"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd", '=HYPERLINK("http://x")'])
def test_text_that_a_spreadsheet_would_run_is_written_as_text(text):
    assert exports.neutralised(text) == "'" + text


@pytest.mark.parametrize("value", ["Plain", "바이오 정책", "", -5, 3.5, None])
def test_other_cells_are_written_as_they_are(value):
    assert exports.neutralised(value) == value


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode()), "a byte-order mark, so Excel reads Korean"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_admin_exports_the_filtered_list_as_csv_with_korean_headers_and_escaped_cells(
    client, secretariat, proposal_in_state
):
    submitted = proposal_in_state(S.SUBMITTED, title='=HYPERLINK("http://evil.example","Click")')
    proposal_in_state(S.ACCEPTED, title="Not in the filter")
    client.force_login(cast.speaks(secretariat, "ko"))
    response = client.get(reverse(PROPOSAL_EXPORT, args=["csv"]), {"state__exact": S.SUBMITTED})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="proposals-' in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[0] == "참조 번호" or any("\uac00" <= ch <= "\ud7a3" for ch in header[0])
    assert [row[0] for row in rows] == [submitted.reference]
    assert rows[0][1] == "'" + submitted.title


def test_the_changelist_offers_the_exports_with_its_current_filters(client, secretariat, proposal_in_state):
    proposal_in_state(S.SUBMITTED)
    client.force_login(secretariat)
    page = client.get(reverse("admin:policies_proposal_changelist"), {"state__exact": "submitted"}).content.decode()
    assert f"{reverse(PROPOSAL_EXPORT, args=['csv'])}?state__exact=submitted" in page
    assert f"{reverse(PROPOSAL_EXPORT, args=['xlsx'])}?state__exact=submitted" in page


def test_the_admin_exports_xlsx_that_a_spreadsheet_opens(client, secretariat, proposal_in_state):
    proposal = proposal_in_state(S.SUBMITTED, title="+cmd|' /C calc'!A0")
    client.force_login(secretariat)
    response = client.get(reverse(PROPOSAL_EXPORT, args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, *rows = list(workbook.active.iter_rows(values_only=True))
    assert len(header) == len(exports.TABLES["proposals"].columns)
    [row] = rows
    assert row[0] == proposal.reference and row[1] == "'" + proposal.title


def test_a_secretariat_exports_only_its_own_committees_rows(client, proposal_in_state, committee):
    proposal_in_state(S.SUBMITTED)
    other = cast.make_committee("NBC-FOOD")
    desk = cast.make_secretariat(other, "food-desk")
    client.force_login(desk)
    header, *rows = read_csv(client.get(reverse(PROPOSAL_EXPORT, args=["csv"])))
    assert rows == []


def test_bad_exports_are_refused_clearly(client, secretariat, lead_liaison):
    client.force_login(secretariat)
    assert client.get(reverse(PROPOSAL_EXPORT, args=["pdf"])).status_code == 404
    assert client.get(reverse(PROPOSAL_EXPORT, args=["csv"]), {"no_such_field": "1"}).status_code in (302, 400)
    client.force_login(lead_liaison)  # not secretariat: the admin is not theirs
    assert client.get(reverse(PROPOSAL_EXPORT, args=["csv"])).status_code in (302, 403)


def test_consultations_export_their_response_time_in_days(client, secretariat, other_liaison, proposal_in_state):
    proposal = proposal_in_state(S.SUBMITTED)
    (consultation,) = services.request_consultations(
        proposal, by=secretariat, agencies=[other_liaison.profile.agency], working_days=5
    )
    services.give_opinion(consultation, by=other_liaison, position="concur", opinion="-1 risk")
    client.force_login(secretariat)
    header, row = read_csv(client.get(reverse("admin:policies_consultation_export", args=["csv"])))
    assert row[header.index("response time (days)")] == "0"  # English: the test client sends no language
    assert row[header.index("opinion")] == "'-1 risk"


def test_the_api_exports_its_filtered_list_to_the_secretariat_only(
    client, secretariat, lead_liaison, proposal_in_state
):
    submitted = proposal_in_state(S.SUBMITTED)
    proposal_in_state(S.DRAFT)
    client.force_login(secretariat)
    response = client.get("/api/v1/proposals/", {"format": "csv", "state": "submitted"})
    assert response.status_code == 200, response.content[:200]
    header, *rows = read_csv(response)
    assert [row[0] for row in rows] == [submitted.reference]
    assert client.get("/api/v1/proposals/", {"format": "xlsx"}).status_code == 200
    refused = client.get(f"/api/v1/proposals/{submitted.pk}/", {"format": "csv"})
    assert refused.status_code == 400 and refused.json()["format"] == ["Choose one of: json."]
    client.force_login(lead_liaison)
    forbidden = client.get("/api/v1/proposals/", {"format": "csv"})
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "not_permitted"


def test_an_export_reads_rows_in_chunks_with_the_same_queries_for_few_or_many(client, secretariat, proposal_in_state):
    client.force_login(secretariat)

    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(reverse(PROPOSAL_EXPORT, args=["csv"])).streaming_content)
        return len(captured)

    proposal_in_state(S.SUBMITTED)
    client.get(reverse(PROPOSAL_EXPORT, args=["csv"]))  # warm-up: the session's first write
    few = queries_for_export()
    for _ in range(6):
        proposal_in_state(S.SUBMITTED)
    assert queries_for_export() == few
    assert Proposal.objects.count() == 7


def test_a_large_export_streams_with_memory_flat_in_the_number_of_rows(
    client, secretariat, proposal_in_state, monkeypatch
):
    """Twenty times the rows, about the same peak memory: rows are read a chunk at a time and written out as they
    come, never gathered first (a list(), a join or an HttpResponse of the whole body would grow with them)."""
    import gc
    import tracemalloc

    monkeypatch.setattr(exports, "CHUNK_ROWS", 50)
    client.force_login(secretariat)
    model = proposal_in_state(S.SUBMITTED)
    model_fields = {f.attname: getattr(model, f.attname) for f in Proposal._meta.concrete_fields if not f.primary_key}

    def add_rows(count: int) -> None:
        start = Proposal.objects.count()
        Proposal.objects.bulk_create(
            Proposal(**{**model_fields, "reference": f"BULK-{start + n}", "title": "바이오 " * 70})
            for n in range(count)
        )

    def peak_bytes_while_downloading() -> int:
        # Without a collection first the peak depended on what ran before (after the API tests: 466 kB small,
        # 704 kB large; alone, flat): the garbage collector's timing, not the export, moved it.
        gc.collect()
        tracemalloc.start()
        try:
            response = client.get(reverse(PROPOSAL_EXPORT, args=["csv"]))
            lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
            return tracemalloc.get_traced_memory()[1], lines
        finally:
            tracemalloc.stop()

    add_rows(199)
    small_peak, small_lines = peak_bytes_while_downloading()
    add_rows(3800)
    large_peak, large_lines = peak_bytes_while_downloading()
    assert (small_lines, large_lines) == (201, 4001)  # header + rows
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
