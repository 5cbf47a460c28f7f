"""HTML to PDF: WeasyPrint lays out the paper with blank pages reserved for each merged PDF, pypdf swaps them in.

Reserving as many pages as a merged file has keeps the table of contents right: WeasyPrint numbers the pages
(`target-counter`) knowing where every reserved page falls, and the swap changes no page's number. The
bookmarks come from WeasyPrint's bookmark tree of the laid-out document, pointed at the merged pages.
"""

from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import Fit
from weasyprint import HTML

# Each reserved page carries one element with this id; the swap finds it among the page's anchors.
RESERVED_ID = "reserved-{key}-{page}"
_PT_PER_PX = 0.75  # CSS pixels to PDF points


@dataclass(frozen=True)
class Merged:
    """A PDF to merge into the paper, under `key`, with its page count known before layout."""

    key: str
    content: bytes
    pages: int


def page_count(content: bytes) -> int | None:
    """Pages of a PDF, or None when it cannot be merged (damaged, encrypted): it is then listed, not merged."""
    try:
        reader = PdfReader(BytesIO(content))
        if reader.is_encrypted:
            return None
        return len(reader.pages) or None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return None


def _reserved_pages(merged: list[Merged]) -> dict[str, tuple[str, int]]:
    return {RESERVED_ID.format(key=item.key, page=n): (item.key, n) for item in merged for n in range(item.pages)}


def render_pdf(html: str, merged: list[Merged], *, title: str) -> bytes:
    """The paper as PDF bytes: the laid-out HTML with each reserved page replaced by the merged file's page."""
    document = HTML(string=html).render()
    rendered = PdfReader(BytesIO(document.write_pdf()))
    readers = {item.key: PdfReader(BytesIO(item.content)) for item in merged}
    reserved = _reserved_pages(merged)
    writer = PdfWriter()
    swapped = set()
    for index, page in enumerate(document.pages):
        hit = next((reserved[name] for name in page.anchors if name in reserved), None)
        if hit is None:
            writer.add_page(rendered.pages[index])
        else:
            key, number = hit
            writer.add_page(readers[key].pages[number])
            swapped.add(index)
    _add_bookmarks(writer, document.make_bookmark_tree(scale=_PT_PER_PX, transform_pages=True), swapped)
    writer.add_metadata({"/Title": title, "/Producer": "Bio Committee Desk"})
    writer.page_mode = "/UseOutlines"
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_bookmarks(writer: PdfWriter, tree, swapped: set[int], parent=None) -> None:
    """WeasyPrint's bookmark tree as the PDF's outline; a bookmark on a swapped page shows the whole page."""
    for label, (page_number, x, y), children, _state in tree:
        fit = Fit.fit() if page_number in swapped else Fit.xyz(left=x, top=y)
        node = writer.add_outline_item(title=label, page_number=page_number, parent=parent, fit=fit)
        _add_bookmarks(writer, children, swapped, parent=node)
