"""Spreadsheets of the committee's records: proposals, consultations, decisions and follow-up actions.

One table per kind of record (`TABLES`): its columns in order, each a header in the reader's language and how
to read the cell from a row. The admin's changelists and the API's lists hand in the rows the reader may see,
already filtered; this module only writes them, as CSV (UTF-8 with a byte-order mark, so Excel reads Korean)
or XLSX, row by row from a database cursor, so 100,000 rows never sit in memory at once.

A cell that starts with =, +, -, @, a tab or a carriage return would run as a formula in a spreadsheet
(OWASP "CSV injection"): such text is written with a leading apostrophe, which spreadsheets show as text.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from policies.models import Consultation, Decision, FollowUpAction, Proposal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 2000  # rows read per database round trip (QuerySet.iterator)


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation
    read: Callable[[Any], Any]


@dataclass(frozen=True)
class Table:
    name: str  # the file's name stem
    columns: tuple[Column, ...]
    prepare: Callable[[QuerySet], QuerySet]  # the joins the columns need, so a row costs no extra query


def neutralised(value: Any) -> Any:
    """A cell as written: text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    # Spreadsheets know no time zones: write Seoul time without one, as people there read it.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _response_days(consultation: Consultation) -> int | None:
    if consultation.answered_at is None:
        return None
    return (timezone.localdate(consultation.answered_at) - timezone.localdate(consultation.requested_at)).days


TABLES = {
    "proposals": Table(
        "proposals",
        (
            Column(_("reference"), lambda p: p.reference or ""),
            Column(_("title"), lambda p: p.title),
            Column(_("committee"), lambda p: p.committee.code),
            Column(_("lead agency"), lambda p: p.lead_agency.acronym),
            Column(_("policy area"), lambda p: str(p.policy_area)),
            Column(_("state"), lambda p: p.get_state_display()),
            Column(_("estimated budget (KRW)"), lambda p: p.estimated_budget_krw),
            Column(_("first submitted at"), lambda p: _local(p.submitted_at)),
            Column(_("updated at"), lambda p: _local(p.updated_at)),
        ),
        lambda rows: rows.select_related("committee", "lead_agency", "policy_area"),
    ),
    "consultations": Table(
        "consultations",
        (
            Column(_("proposal"), lambda c: c.proposal.reference or ""),
            Column(_("title"), lambda c: c.proposal.title),
            Column(_("consulted agency"), lambda c: c.agency.acronym),
            Column(_("requested at"), lambda c: _local(c.requested_at)),
            Column(_("deadline"), lambda c: c.deadline),
            Column(_("position"), lambda c: c.get_position_display()),
            Column(_("first answered at"), lambda c: _local(c.answered_at)),
            Column(_("response time (days)"), _response_days),
            Column(_("opinion"), lambda c: c.opinion),
        ),
        lambda rows: rows.select_related("proposal", "agency"),
    ),
    "decisions": Table(
        "decisions",
        (
            Column(_("number"), lambda d: d.number),
            Column(_("decided at"), lambda d: _local(d.decided_at)),
            Column(_("committee"), lambda d: d.agenda_item.meeting.committee.code),
            Column(_("meeting"), lambda d: d.agenda_item.meeting.title),
            Column(_("proposal"), lambda d: d.agenda_item.proposal.reference if d.agenda_item.proposal else ""),
            Column(_("title"), lambda d: d.agenda_item.display_title),
            Column(_("outcome"), lambda d: d.get_outcome_display()),
            Column(_("votes for"), lambda d: d.votes_for),
            Column(_("votes against"), lambda d: d.votes_against),
            Column(_("abstentions"), lambda d: d.abstentions),
            Column(_("resolution"), lambda d: d.resolution),
        ),
        lambda rows: rows.select_related("agenda_item__meeting__committee", "agenda_item__proposal"),
    ),
    "actions": Table(
        "follow-up-actions",
        (
            Column(_("decision"), lambda a: a.decision.number),
            Column(_("responsible agency"), lambda a: a.agency.acronym),
            Column(_("title"), lambda a: a.title),
            Column(_("due date"), lambda a: a.due_date),
            Column(_("status"), lambda a: FollowUpAction.Stage(a.stage).label),
            Column(_("percent complete"), lambda a: a.percent_complete),
            Column(_("reported done at"), lambda a: _local(a.done_reported_at)),
            Column(_("verified at"), lambda a: _local(a.verified_at)),
        ),
        lambda rows: rows.select_related("decision", "agency"),
    ),
}

TABLE_OF_MODEL = {
    Proposal: "proposals",
    Consultation: "consultations",
    Decision: "decisions",
    FollowUpAction: "actions",
}


def table_for(queryset: QuerySet) -> Table:
    return TABLES[TABLE_OF_MODEL[queryset.model]]


def _rows(table: Table, queryset: QuerySet) -> Iterator[list]:
    for obj in table.prepare(queryset).iterator(chunk_size=CHUNK_ROWS):
        yield [neutralised(column.read(obj)) for column in table.columns]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


class _Line:
    """A file-like sink for csv.writer that hands back the line just written."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(queryset: QuerySet) -> Iterable[bytes]:
    """The rows as CSV, one encoded line at a time, after a byte-order mark and the header line."""
    table = table_for(queryset)
    writer = csv.writer(_Line())
    yield "\ufeff".encode()
    yield writer.writerow([str(column.header) for column in table.columns]).encode()
    for row in _rows(table, queryset):
        yield writer.writerow([_text(value) for value in row]).encode()


def xlsx_file(queryset: QuerySet):
    """The rows as an XLSX workbook in a temporary file (write-only mode keeps memory flat), rewound."""
    table = table_for(queryset)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(table.name)[:31])
    sheet.append([str(column.header) for column in table.columns])
    for row in _rows(table, queryset):
        sheet.append(row)
    # The response closes it once sent (FileResponse), so no context manager here.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return spool


def filename(queryset: QuerySet, extension: str) -> str:
    return f"{table_for(queryset).name}-{timezone.localdate():%Y%m%d}.{extension}"


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def http_response(queryset: QuerySet, extension: str):
    """The download: CSV streamed line by line; XLSX from its temporary file. The caller checked who may."""
    name = filename(queryset, extension)
    if extension == "csv":
        response = StreamingHttpResponse(csv_chunks(queryset), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(xlsx_file(queryset), as_attachment=True, filename=name, content_type=CONTENT_TYPES["xlsx"])
