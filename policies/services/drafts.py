"""The liaison's one verb for a draft as the portal's form holds it: its text and files, and submit if asked."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from policies.models import Proposal
from policies.workflow import WorkflowError

from .attachments import add_attachment
from .proposals import create_proposal, submit_proposal, update_proposal


@dataclass(frozen=True)
class SavedDraft:
    proposal: Proposal
    # Why the submission asked for was refused; the draft is saved all the same, so nothing typed is lost.
    submit_refusal: WorkflowError | None = None


def save_draft(
    *,
    by,
    changes: dict,
    files: Iterable = (),
    proposal: Proposal | None = None,
    committee=None,
    expected_version: int | None = None,
    submit: bool = False,
) -> SavedDraft:
    """Create (`committee`) or revise (`proposal`, at `expected_version`) a draft with its new files, in one
    transaction: a refused file keeps nothing of the text. Then submit it if asked, in a transaction of its own.
    """
    with transaction.atomic():
        if proposal is None:
            proposal = create_proposal(by=by, committee=committee, **changes)
        else:
            proposal = update_proposal(proposal, by=by, changes=changes, expected_version=expected_version)
        for uploaded in files:
            add_attachment(proposal, by=by, uploaded_file=uploaded)
    if not submit:
        return SavedDraft(proposal)
    try:
        return SavedDraft(submit_proposal(proposal, by=by))
    except WorkflowError as refusal:
        return SavedDraft(proposal, refusal)
