"""Files that travel with an email: the value a letter carries, the size guard, and the MIME part each becomes.

An attachment is kept in the database with its email (the outbox must outlive SMTP and broker outages), so
one letter's attachments together may not exceed OUTBOX_MAX_ATTACHMENT_BYTES: larger papers are linked,
not attached. The content type is stored whole, parameters included (`text/calendar; method=REQUEST`),
because calendar clients read the method from it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from email import encoders
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.text import MIMEText

from django.conf import settings


class AttachmentsTooLarge(ValueError):
    """A letter's attachments exceed what the outbox keeps per email; link the file instead."""


def _parsed(content_type: str) -> Message:
    header = Message()
    header["Content-Type"] = content_type
    return header


@dataclass(frozen=True)
class Attachment:
    """One file for an email: its name, its full content type and its bytes."""

    filename: str
    content_type: str
    content: bytes

    def __post_init__(self):
        if not self.filename or any(char in self.filename for char in "/\\\r\n"):
            raise ValueError(f"An attachment needs a plain file name, not {self.filename!r}.")
        if "/" not in self.content_type or "\n" in self.content_type or "\r" in self.content_type:
            raise ValueError(f"{self.content_type!r} is not a content type such as application/pdf.")
        if not isinstance(self.content, bytes):
            raise TypeError("An attachment's content is bytes; use Attachment.text() for text.")

    @classmethod
    def text(cls, filename: str, text: str, content_type: str) -> "Attachment":
        """A text file, encoded as UTF-8 and saying so in its content type."""
        if _parsed(content_type).get_param("charset") is None:
            content_type = f"{content_type}; charset=utf-8"
        return cls(filename, content_type, text.encode("utf-8"))

    @property
    def size(self) -> int:
        return len(self.content)

    def mime_part(self) -> MIMEBase:
        """The part as it goes out: text decoded by its charset, anything else base64, always an attachment."""
        header = _parsed(self.content_type)
        maintype, subtype = header.get_content_maintype(), header.get_content_subtype()
        params = [(name, value) for name, value in header.get_params()[1:] if name != "charset"]
        if maintype == "text":
            charset = header.get_content_charset() or "utf-8"
            part = MIMEText(self.content.decode(charset), subtype, charset)
        else:
            part = MIMEBase(maintype, subtype)
            part.set_payload(self.content)
            encoders.encode_base64(part)
        for name, value in params:
            part.set_param(name, value)
        part.add_header("Content-Disposition", "attachment", filename=self.filename)
        return part


def max_bytes() -> int:
    return settings.OUTBOX_MAX_ATTACHMENT_BYTES  # 10 MB unless set (committee/settings.py)


def check_size(attachments: Iterable[Attachment]) -> None:
    """Refuse attachments that together exceed the limit (an SMTP server judges the message as a whole)."""
    attachments = list(attachments)
    total, limit = sum(item.size for item in attachments), max_bytes()
    if total > limit:
        names = ", ".join(item.filename for item in attachments)
        raise AttachmentsTooLarge(
            f"Attachments of {total} bytes ({names}) exceed OUTBOX_MAX_ATTACHMENT_BYTES ({limit}); link large files."
        )
