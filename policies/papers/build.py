"""Build and store a meeting's papers: `build_paper` is what the task runs, and running it twice adds nothing.

The agenda book's version is the meeting's invitation sequence: one book per state of a published agenda
(rebuilt in place if its sources changed without the agenda changing: an opinion given since). The minutes'
version is the number of their newest final version, read from that frozen version alone. The decision
record counts its own versions: a new one only when what it shows has changed. Either way the layout (seconds
of work) happens outside any lock; the row is written under the meeting's lock after checking again, and the
unique (meeting, kind, version) key backs that up, so two workers racing store one paper.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from policies.models import Meeting, MeetingDocument, Minutes, MinutesVersion
from policies.queries.minutes import readable
from policies.services.audit import audit_change

from .content import agenda_book_items, recorded_decisions
from .render import Merged, render_pdf

Kind = MeetingDocument.Kind

# Which meetings have which paper: the book once the agenda is out, the record once the meeting is held.
# A planned meeting's book is built only when asked for (the demo, a preview); publishing rebuilds it.
DUE_IN = {
    Kind.AGENDA_BOOK: {Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED, Meeting.Status.HELD},
    Kind.DECISION_RECORD: {Meeting.Status.HELD},
    Kind.MINUTES: {Meeting.Status.HELD},  # and only once the minutes are final (`_final_minutes`)
}


VERSION_MARK = "\u2063version\u2063"  # stands for the version number until the paper is laid out


def _context(meeting: Meeting, kind: str, version: int | str) -> dict:
    kind_label = Kind(kind).label
    return {
        "meeting": meeting,
        "version": version,
        "kind_label": kind_label,
        "paper_title": f"{meeting.title} — {kind_label}",
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
    }


def compose(meeting: Meeting, kind: str, version: int | str) -> tuple[str, list[Merged], str]:
    """The paper's HTML, the PDFs to merge into it and its title, in the meeting's language."""
    with translation.override(meeting.language):
        context = _context(meeting, kind, version)
        if kind == Kind.AGENDA_BOOK:
            items = agenda_book_items(meeting)
            merged = [part for paper in items for _attachment, part in paper.merged]
            html = render_to_string("papers/agenda_book.html", {**context, "items": items})
        elif kind == Kind.MINUTES:
            merged = []
            version = _final_minutes(meeting)
            minutes = {"version": version, "content": readable(version.content, meeting.language)}
            html = render_to_string("papers/minutes.html", {**context, **minutes})
        else:
            merged = []
            html = render_to_string("papers/decision_record.html", {**context, "items": recorded_decisions(meeting)})
        return html, merged, context["paper_title"]


def source_digest(html: str, merged: list[Merged]) -> str:
    digest = hashlib.sha256(html.encode("utf-8"))
    for part in merged:
        digest.update(hashlib.sha256(part.content).digest())
    return digest.hexdigest()


def _final_minutes(meeting: Meeting) -> MinutesVersion | None:
    """The newest final version of the meeting's minutes; None while they are not final."""
    return MinutesVersion.objects.filter(minutes__meeting=meeting, minutes__status=Minutes.Status.FINAL).first()


def _next_version(meeting: Meeting, kind: str) -> int:
    if kind == Kind.AGENDA_BOOK:
        return meeting.invitation_sequence
    if kind == Kind.MINUTES:  # the paper of a version of the minutes carries that version's number
        return _final_minutes(meeting).number
    latest = MeetingDocument.objects.filter(meeting=meeting, kind=kind).order_by("-version").first()
    return latest.version + 1 if latest else 1


def _unchanged(meeting: Meeting, kind: str, source: str) -> MeetingDocument | None:
    """The stored paper built from these very sources, if any: then there is nothing to build."""
    stored = MeetingDocument.objects.filter(meeting=meeting, kind=kind)
    if kind in (Kind.AGENDA_BOOK, Kind.MINUTES):
        stored = stored.filter(version=_next_version(meeting, kind))
    latest = stored.order_by("-version").first()
    return latest if latest is not None and latest.source_sha256 == source else None


def build_paper(meeting_id: int, kind: str) -> MeetingDocument | None:
    """The meeting's current paper of this kind, built and stored if it is due and its sources changed."""
    meeting = Meeting.objects.select_related("committee").filter(pk=meeting_id).first()
    if meeting is None or meeting.status not in DUE_IN[kind]:
        return None
    if kind == Kind.MINUTES and _final_minutes(meeting) is None:
        return None
    version = _next_version(meeting, kind)
    # The sources are compared without the version number the cover shows, or every build would differ.
    html, merged, title = compose(meeting, kind, VERSION_MARK)
    source = source_digest(html, merged)
    if (stored := _unchanged(meeting, kind, source)) is not None:
        return stored
    content = render_pdf(html.replace(VERSION_MARK, str(version)), merged, title=title)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if _next_version(locked, kind) != version or (stored := _unchanged(locked, kind, source)):
            # Another worker stored this paper, or the agenda moved on, while this one was laid out.
            return stored
        return _store(locked, kind, version, content, source)


def _store(meeting: Meeting, kind: str, version: int, content: bytes, source: str) -> MeetingDocument:
    """Write the paper under the meeting's lock. An agenda book of a version already built from other sources
    (built while the meeting was planned, or before an opinion came in) is replaced, and its old file dropped."""
    document = MeetingDocument.objects.filter(meeting=meeting, kind=kind, version=version).first()
    old_file = document.file.name if document is not None else None
    document = document or MeetingDocument(meeting=meeting, kind=kind, version=version)
    document.language = meeting.language
    document.size = len(content)
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.source_sha256 = source
    document.built_at = timezone.now()
    document.file.save(document.filename, ContentFile(content), save=False)
    document.save()
    audit_change("meeting_document.built", document, by=None, committee_id=meeting.committee_id, fields=AUDITED)
    if old_file:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return document


AUDITED = ("meeting_id", "kind", "version", "language", "size", "sha256")
