"""What goes into a meeting's papers, read from the database: the agenda book's items and the decision record."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext

from policies.models import AgendaItem, Consultation, FollowUpAction, Meeting, ProposalAttachment
from policies.queries.consultations import consolidated_position

from .render import Merged, page_count

PDF = "application/pdf"


@dataclass
class ItemPapers:
    """One agenda item as the book shows it, with the PDFs merged after it and the other files listed."""

    item: AgendaItem
    position: list[tuple[str, list[Consultation]]] = field(default_factory=list)
    merged: list[tuple[ProposalAttachment, Merged]] = field(default_factory=list)
    listed: list[ProposalAttachment] = field(default_factory=list)

    @property
    def reserved_pages(self) -> list[tuple[ProposalAttachment, str, list[int]]]:
        return [(attachment, part.key, list(range(part.pages))) for attachment, part in self.merged]


def _read(attachment: ProposalAttachment) -> bytes | None:
    try:
        with attachment.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def _item_papers(item: AgendaItem) -> ItemPapers:
    papers = ItemPapers(item=item)
    if item.proposal_id is None:
        return papers
    papers.position = [
        (Consultation.Position(key).label if key in Consultation.Position.values else gettext("No opinion yet"), found)
        for key, found in consolidated_position(item.proposal).items()
    ]
    for attachment in item.proposal.attachments.all():
        content = _read(attachment) if attachment.content_type == PDF else None
        pages = page_count(content) if content else None
        if pages:
            papers.merged.append((attachment, Merged(key=f"a{attachment.pk}", content=content, pages=pages)))
        else:
            papers.listed.append(attachment)
    return papers


def agenda_book_items(meeting: Meeting) -> list[ItemPapers]:
    items = meeting.items.select_related("proposal__lead_agency", "presenter").prefetch_related(
        "proposal__co_sponsors",
        Prefetch("proposal__consultations", queryset=Consultation.objects.select_related("agency").order_by("pk")),
        "proposal__attachments",
    )
    return [_item_papers(item) for item in items.order_by("position", "pk")]


def recorded_decisions(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items that were decided, in agenda order, each with its decision and follow-up actions."""
    actions = FollowUpAction.objects.select_related("agency").order_by("due_date", "pk")
    return list(
        meeting.items.filter(decision__isnull=False)
        .select_related("proposal__lead_agency", "decision")
        .prefetch_related(Prefetch("decision__follow_up_actions", queryset=actions))
        .order_by("position", "pk")
    )
