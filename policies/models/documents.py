"""The papers a meeting lives on, as built PDFs: its agenda book, its decision record, its minutes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def document_path(document, filename: str) -> str:
    return f"papers/meeting-{document.meeting_id}/{filename}"


class MeetingDocument(models.Model):
    """One built version of one paper of a meeting; a new version is a new row, never an edit."""

    class Kind(models.TextChoices):
        AGENDA_BOOK = "agenda_book", _("Agenda book")
        DECISION_RECORD = "decision_record", _("Decision record")
        MINUTES = "minutes", _("Minutes")

    meeting = models.ForeignKey(
        "policies.Meeting", verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The agenda book's version is the meeting's invitation sequence, so the calendar entry, the email and
    # the book of one state of the agenda share a number; other papers count their own builds.
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=8)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    # What the paper was built from (the rendered HTML and the merged files): the same sources build no new version.
    source_sha256 = models.CharField(max_length=64)
    built_at = models.DateTimeField(_("built at"))

    class Meta:
        ordering = ["meeting", "kind", "-version"]
        verbose_name = _("meeting paper")
        verbose_name_plural = _("meeting papers")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind", "version"], name="meeting_document_once_per_version"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def filename(self) -> str:
        return f"{self.kind.replace('_', '-')}-{self.meeting_id}-v{self.version}.pdf"
