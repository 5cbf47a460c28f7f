"""save_draft: the one verb behind the portal's draft form (issue 9, item 9: one verb per intent).

Text and files are saved together or not at all; a submission asked for and refused leaves the draft saved.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from policies import services
from policies.models import Proposal, ProposalState
from policies.workflow import InvalidState, StaleVersion

pytestmark = pytest.mark.django_db

TEXT = {
    "title": "Genome data trust",
    "summary": "A public trust for genome data.",
    "requested_decision": "Approve the trust's charter.",
}


def pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 plan", content_type="application/pdf")


def not_a_pdf():
    return SimpleUploadedFile("plan.pdf", b"MZ an executable", content_type="application/pdf")


def test_a_new_draft_is_saved_with_its_files_and_stays_private(lead_liaison, committee, health):
    saved = services.save_draft(
        by=lead_liaison, committee=committee, changes={**TEXT, "policy_area": health}, files=[pdf(), pdf("b.pdf")]
    )
    assert saved.submit_refusal is None
    assert saved.proposal.state == ProposalState.DRAFT
    assert sorted(a.original_name for a in saved.proposal.attachments.all()) == ["b.pdf", "plan.pdf"]


def test_a_refused_file_keeps_nothing_of_a_new_draft(lead_liaison, committee, health):
    with pytest.raises(ValidationError, match="does not match its type"):
        services.save_draft(
            by=lead_liaison, committee=committee, changes={**TEXT, "policy_area": health}, files=[pdf(), not_a_pdf()]
        )
    assert not Proposal.objects.exists()


def test_a_refused_file_keeps_nothing_of_a_revision(lead_liaison, draft):
    with pytest.raises(ValidationError, match="does not match its type"):
        services.save_draft(
            by=lead_liaison,
            proposal=draft,
            changes={"title": "Revised"},
            files=[not_a_pdf()],
            expected_version=draft.version,
        )
    draft.refresh_from_db()
    assert draft.title != "Revised" and not draft.attachments.exists()


def test_save_and_submit_gives_a_reference(lead_liaison, draft):
    saved = services.save_draft(
        by=lead_liaison, proposal=draft, changes={"title": "Revised"}, expected_version=draft.version, submit=True
    )
    assert (saved.proposal.state, saved.submit_refusal) == (ProposalState.SUBMITTED, None)
    assert saved.proposal.reference


def test_a_refused_submission_leaves_the_draft_saved_and_says_why(lead_liaison, draft, monkeypatch):
    def refuse(*args, **kwargs):
        raise InvalidState("The committee does not take proposals today.")

    monkeypatch.setattr(services.drafts, "submit_proposal", refuse)
    saved = services.save_draft(
        by=lead_liaison, proposal=draft, changes={"title": "Kept"}, expected_version=draft.version, submit=True
    )
    assert isinstance(saved.submit_refusal, InvalidState)
    draft.refresh_from_db()
    assert (draft.title, draft.state) == ("Kept", ProposalState.DRAFT)


def test_a_stale_revision_is_refused_and_changes_nothing(lead_liaison, draft):
    with pytest.raises(StaleVersion):
        services.save_draft(
            by=lead_liaison,
            proposal=draft,
            changes={"title": "Late"},
            files=[pdf()],
            expected_version=draft.version - 1,
            submit=True,
        )
    draft.refresh_from_db()
    assert draft.title != "Late" and draft.state == ProposalState.DRAFT and not draft.attachments.exists()
