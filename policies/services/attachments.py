"""Verbs on a proposal's files: check an upload, attach it, remove it."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from policies.models import Proposal, ProposalAttachment
from policies.workflow import WorkflowError

from .audit import audit_change
from .common import record_event
from .proposals import require_editable


class AttachmentTooLarge(WorkflowError):
    """The upload is over ATTACHMENT_MAX_BYTES."""

    status, code = 413, "too_large"


# Leading bytes of the binary types we accept, so a renamed executable is not taken for a PDF.
_SIGNATURES = {
    "application/pdf": (b"%PDF",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (b"PK\x03\x04",),
    "application/vnd.hancom.hwpx": (b"PK\x03\x04",),
}
_EXTRA_SUFFIXES = {"image/jpeg": {".jpeg"}}


def check_upload(uploaded_file) -> str:
    """Validate size and type of an upload; return its content type. Raises before anything is stored."""
    if uploaded_file.size > settings.ATTACHMENT_MAX_BYTES:
        raise AttachmentTooLarge(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": uploaded_file.size, "limit": settings.ATTACHMENT_MAX_BYTES}
        )
    content_type = (uploaded_file.content_type or "").split(";")[0].strip().lower()
    allowed_suffix = settings.ATTACHMENT_CONTENT_TYPES.get(content_type)
    name = (uploaded_file.name or "").lower()
    suffixes = {allowed_suffix} | _EXTRA_SUFFIXES.get(content_type, set()) if allowed_suffix else set()
    if not allowed_suffix or not any(name.endswith(suffix) for suffix in suffixes):
        raise ValidationError(
            {
                "file": _("Files of this type are not accepted. Accepted: %(types)s.")
                % {"types": ", ".join(sorted(set(settings.ATTACHMENT_CONTENT_TYPES.values())))}
            }
        )
    signatures = _SIGNATURES.get(content_type)
    if signatures:
        uploaded_file.seek(0)
        head = uploaded_file.read(8)
        uploaded_file.seek(0)
        if not any(head.startswith(signature) for signature in signatures):
            raise ValidationError({"file": _("The file's content does not match its type.")})
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    return content_type


def store_upload(row, uploaded_file, *, by):
    """Check an upload and save it as `row` (a ProposalAttachment or a models.letters.StoredFile): name, type,
    size and SHA-256 from the file, stored under a path derived from the hash."""
    content_type = check_upload(uploaded_file)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    original_name = (uploaded_file.name or "file").replace("/", "_").replace("\\", "_")[-255:]
    row.original_name, row.content_type, row.size = original_name, content_type, uploaded_file.size
    row.sha256, row.uploaded_by = digest.hexdigest(), by
    row.file.save(original_name, uploaded_file, save=False)
    row.save()
    return row


@transaction.atomic
def add_attachment(proposal: Proposal, *, by, uploaded_file) -> ProposalAttachment:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require_editable(locked, by=by)
    attachment = store_upload(ProposalAttachment(proposal=locked), uploaded_file, by=by)
    record_event(locked, "attach", by=by, comment=attachment.original_name)
    audit_change("attachment.added", attachment, by=by, committee_id=locked.committee_id)
    return attachment


@transaction.atomic
def remove_attachment(attachment: ProposalAttachment, *, by) -> None:
    locked = Proposal.objects.select_for_update().get(pk=attachment.proposal_id)
    require_editable(locked, by=by)
    name, storage, path = attachment.original_name, attachment.file.storage, attachment.file.name
    audit_change("attachment.removed", attachment, by=by, deleted=True, committee_id=locked.committee_id)
    attachment.delete()
    record_event(locked, "detach", by=by, comment=name)
    transaction.on_commit(lambda: storage.delete(path))
