"""Files an opinion or a progress report carries (an official letter, 공문): checked and stored like a proposal's."""

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from committee.audit.tracking import RemembersLoadedValues


class StoredFile(RemembersLoadedValues, models.Model):
    """An upload kept under a path derived from its hash, never from its uploaded name."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


def opinion_attachment_path(instance, filename):
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/opinions/{instance.consultation_id}/{instance.sha256[:32]}{suffix}"


def progress_attachment_path(instance, filename):
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/progress/{instance.report_id}/{instance.sha256[:32]}{suffix}"


class OpinionAttachment(StoredFile):
    consultation = models.ForeignKey(
        "policies.Consultation", verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=opinion_attachment_path, max_length=300)

    class Meta(StoredFile.Meta):
        verbose_name = _("opinion attachment")
        verbose_name_plural = _("opinion attachments")


class ProgressReportAttachment(StoredFile):
    report = models.ForeignKey(
        "policies.ProgressReport",
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=progress_attachment_path, max_length=300)

    class Meta(StoredFile.Meta):
        verbose_name = _("progress report attachment")
        verbose_name_plural = _("progress report attachments")
