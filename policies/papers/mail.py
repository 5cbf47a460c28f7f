"""The agenda book in the agenda emails: always a link, attached only when built and small enough.

The outbox keeps attachments in the database with their email and refuses a letter whose files together
exceed OUTBOX_MAX_ATTACHMENT_BYTES (10 MB), so a larger book is only ever linked. The book of the agenda an
email announces is built after that email's transaction commits, so usually only the link goes out; the book
is attached when the version the email announces is already built (an agenda re-sent, a book built early).
"""

from django.conf import settings
from django.urls import reverse

from committee.outbox.attachments import Attachment, max_bytes
from policies.models import Meeting, MeetingDocument


def agenda_book_url(meeting: Meeting) -> str:
    """The newest agenda book of the meeting, in the portal (permission-checked there)."""
    path = reverse("portal:meeting_paper", args=[meeting.pk, MeetingDocument.Kind.AGENDA_BOOK])
    return f"{settings.SITE_URL}{path}"


def current_agenda_book(meeting: Meeting) -> Attachment | None:
    """The built book of the version the meeting's invitation now has, as an email attachment; None if not built."""
    book = MeetingDocument.objects.filter(
        meeting=meeting, kind=MeetingDocument.Kind.AGENDA_BOOK, version=meeting.invitation_sequence
    ).first()
    if book is None or book.size > max_bytes():
        return None
    try:
        with book.file.open("rb") as handle:
            return Attachment(book.filename, "application/pdf", handle.read())
    except FileNotFoundError:
        return None


def with_book(attachments: list[Attachment], book: Attachment | None) -> list[Attachment]:
    """The email's attachments, and the book too if all of them stay within OUTBOX_MAX_ATTACHMENT_BYTES."""
    if book is None or book.size + sum(item.size for item in attachments) > max_bytes():
        return attachments
    return [*attachments, book]
