"""Verbs on the files an opinion carries (an official letter, 공문): attach and remove, while it may be answered.

Files are checked and stored like a proposal's (`attachments.store_upload`: size, type, leading bytes, SHA-256).
A progress report's files come with the report itself (`actions.report_progress(files=...)`).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from policies.models import Consultation, OpinionAttachment
from policies.workflow import InvalidState

from .attachments import store_upload
from .audit import audit_change
from .consultations import require_opinion_giver, require_opinion_still_wanted


def _lock_answerable(consultation_id: int, *, by) -> Consultation:
    """The consultation, locked, if `by` may still change its answer (the rules of give_opinion)."""
    locked = Consultation.objects.select_for_update().select_related("proposal").get(pk=consultation_id)
    require_opinion_giver(locked, by=by)
    require_opinion_still_wanted(locked)
    if not locked.is_open():
        raise InvalidState(_("The deadline of this consultation has passed."))
    return locked


@transaction.atomic
def add_opinion_attachment(consultation: Consultation, *, by, uploaded_file) -> OpinionAttachment:
    locked = _lock_answerable(consultation.pk, by=by)
    attachment = store_upload(OpinionAttachment(consultation=locked), uploaded_file, by=by)
    audit_change("opinion_attachment.added", attachment, by=by, committee_id=locked.proposal.committee_id)
    return attachment


@transaction.atomic
def remove_opinion_attachment(attachment: OpinionAttachment, *, by) -> None:
    locked = _lock_answerable(attachment.consultation_id, by=by)
    storage, path = attachment.file.storage, attachment.file.name
    audit_change(
        "opinion_attachment.removed", attachment, by=by, deleted=True, committee_id=locked.proposal.committee_id
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))
