"""The proposal form and the workflow buttons: errors are shown on the form, nothing saved is lost, never a 500."""

import pytest
from django.urls import reverse

from policies import services
from policies.models import Proposal, ProposalAttachment, ProposalState

from .conftest import PDF, pdf_upload


def form_data(committee, health, **overrides):
    data = {
        "committee": committee.pk,
        "title": "Genome data trust",
        "summary": "A public trust for genome data.",
        "body": "<p>Why it matters.</p>",
        "requested_decision": "Approve the trust's charter.",
        "policy_area": health.pk,
        "estimated_budget_krw": "1500000000",
    }
    data.update(overrides)
    return data


def edit_data(proposal, **overrides):
    data = {
        "title": proposal.title,
        "summary": proposal.summary,
        "body": proposal.body,
        "requested_decision": proposal.requested_decision,
        "policy_area": proposal.policy_area_id,
        "version": proposal.version,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_save_draft_creates_a_private_draft_with_its_attachments(login, lead_liaison, committee, health, mohw):
    client = login(lead_liaison)
    data = form_data(committee, health, co_sponsors=[mohw.pk], save="draft")
    data["attachments"] = [pdf_upload("one.pdf"), pdf_upload("two.pdf", PDF + b"2")]
    response = client.post(reverse("portal:proposal_create"), data)
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:proposal", args=[proposal.pk])
    assert proposal.state == ProposalState.DRAFT
    assert proposal.lead_agency == lead_liaison.profile.agency
    assert list(proposal.co_sponsors.all()) == [mohw]
    assert sorted(proposal.attachments.values_list("original_name", flat=True)) == ["one.pdf", "two.pdf"]


@pytest.mark.django_db
def test_save_and_submit_gives_a_reference(login, lead_liaison, committee, health):
    client = login(lead_liaison)
    response = client.post(reverse("portal:proposal_create"), form_data(committee, health, submit="1"))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert proposal.state == ProposalState.SUBMITTED
    assert proposal.reference.startswith("NBC-")
    page = client.get(response["Location"])
    assert proposal.reference in page.content.decode()
    assert "Submitted as" in page.content.decode()


@pytest.mark.django_db
def test_missing_fields_are_shown_as_form_errors_and_nothing_is_created(login, lead_liaison, committee, health):
    response = login(lead_liaison).post(
        reverse("portal:proposal_create"), form_data(committee, health, title="", requested_decision="")
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "requested_decision"}
    assert "This field is required." in response.content.decode()
    assert 'value="Genome data trust"' not in response.content.decode()  # the title was empty
    assert "A public trust for genome data." in response.content.decode()  # what was typed is kept
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_service_validation_error_lands_on_the_field_it_names(login, lead_liaison, committee, health):
    response = login(lead_liaison).post(
        reverse("portal:proposal_create"), form_data(committee, health, secondary_areas=[health.pk])
    )
    assert response.status_code == 400
    assert response.context["form"].errors["secondary_areas"] == [
        "The primary policy area cannot also be a secondary one."
    ]
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_committee_of_which_agency_is_not_a_member_is_refused_as_a_form_error(login, lead_liaison, health):
    from committee.directory.models import Committee

    foreign = Committee.objects.create(code="OTHER", name_ko="다른 위원회", name_en="Other committee")
    response = login(lead_liaison).post(reverse("portal:proposal_create"), form_data(foreign, health))
    assert response.status_code == 400
    assert "committee" in response.context["form"].errors
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_too_large_attachment_is_a_413_form_error_and_nothing_is_saved(
    login, lead_liaison, committee, health, settings
):
    settings.ATTACHMENT_MAX_BYTES = 100
    data = form_data(committee, health, attachments=pdf_upload("big.pdf", PDF + b"x" * 200))
    response = login(lead_liaison).post(reverse("portal:proposal_create"), data)
    assert response.status_code == 413
    errors = response.context["form"].errors["attachments"]
    assert errors == [f"big.pdf: The file is {len(PDF) + 200} bytes; the limit is 100 bytes."]
    assert "the limit is 100 bytes" in response.content.decode()
    assert not Proposal.objects.exists()
    assert not ProposalAttachment.objects.exists()


@pytest.mark.django_db
def test_wrong_attachment_type_is_a_form_error(login, lead_liaison, committee, health):
    upload = pdf_upload("tool.exe", b"MZ\x90\x00")
    upload.content_type = "application/x-msdownload"
    response = login(lead_liaison).post(
        reverse("portal:proposal_create"), form_data(committee, health, attachments=upload)
    )
    assert response.status_code == 400
    assert "Files of this type are not accepted" in response.context["form"].errors["attachments"][0]
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_pdf_with_wrong_content_is_a_form_error_on_edit_and_the_text_is_not_saved(login, lead_liaison, draft):
    fake = pdf_upload("fake.pdf", b"MZ not a pdf")
    response = login(lead_liaison).post(
        reverse("portal:proposal_edit", args=[draft.pk]), edit_data(draft, title="Changed", attachments=fake)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["attachments"] == ["fake.pdf: The file's content does not match its type."]
    draft.refresh_from_db()
    assert draft.title != "Changed"


@pytest.mark.django_db
def test_edit_saves_with_the_version_it_was_read_at(login, lead_liaison, draft):
    client = login(lead_liaison)
    page = client.get(reverse("portal:proposal_edit", args=[draft.pk]))
    assert f'name="version" value="{draft.version}"' in page.content.decode()
    response = client.post(reverse("portal:proposal_edit", args=[draft.pk]), edit_data(draft, title="Sharper title"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Sharper title", 2)


@pytest.mark.django_db
def test_stale_edit_is_refused_with_a_clear_error_and_keeps_what_was_typed(login, lead_liaison, draft):
    data = edit_data(draft, title="My late change")
    services.update_proposal(draft, by=lead_liaison, changes={"title": "Someone else's change"})
    response = login(lead_liaison).post(reverse("portal:proposal_edit", args=[draft.pk]), data)
    assert response.status_code == 412
    content = response.content.decode()
    assert "This proposal was changed by someone else (version 2, you had 1)" in content
    assert 'value="My late change"' in content
    assert 'name="version" value="2"' in content  # saving again is a knowing overwrite
    draft.refresh_from_db()
    assert draft.title == "Someone else's change"


@pytest.mark.django_db
def test_body_script_is_stripped_when_rendered(login, lead_liaison, committee, health):
    body = '<p onclick="steal()">Plan</p><script>alert("x")</script><a href="javascript:alert(1)">link</a>'
    client = login(lead_liaison)
    client.post(reverse("portal:proposal_create"), form_data(committee, health, body=body))
    page = client.get(reverse("portal:proposal", args=[Proposal.objects.get().pk])).content.decode()
    rich = page.split('<div class="rich-text">', 1)[1].split("</div>", 1)[0]
    assert "<p>Plan</p>" in rich
    assert "<script" not in rich.lower()
    assert "onclick" not in rich
    assert "javascript:" not in rich


@pytest.mark.django_db
def test_submit_refused_after_save_keeps_the_draft_and_says_why(login, lead_liaison, draft, monkeypatch):
    from policies.workflow import InvalidState

    def refuse(*args, **kwargs):
        raise InvalidState("The committee does not take proposals today.")

    monkeypatch.setattr(services.drafts, "submit_proposal", refuse)  # what save_draft calls to submit
    client = login(lead_liaison)
    response = client.post(
        reverse("portal:proposal_edit", args=[draft.pk]), edit_data(draft, title="Kept", submit="1"), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:proposal_edit", args=[draft.pk])
    assert "saved, but the proposal was not submitted: The committee does not take" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.state) == ("Kept", ProposalState.DRAFT)


@pytest.mark.django_db
def test_attachment_can_be_removed_from_a_draft(login, lead_liaison, draft):
    attachment = services.add_attachment(draft, by=lead_liaison, uploaded_file=pdf_upload())
    response = login(lead_liaison).post(reverse("portal:attachment_remove", args=[attachment.pk]))
    assert response.status_code == 302
    assert not draft.attachments.exists()


@pytest.mark.django_db
def test_attachment_download_sends_the_file_under_its_original_name(login, lead_liaison, draft):
    attachment = services.add_attachment(draft, by=lead_liaison, uploaded_file=pdf_upload("계획서.pdf"))
    response = login(lead_liaison).get(reverse("portal:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


# --- workflow buttons ----------------------------------------------------------------------------


def transition(client, proposal, action, comment=""):
    return client.post(
        reverse("portal:proposal_transition", args=[proposal.pk]), {"action": action, "comment": comment}
    )


@pytest.mark.django_db
def test_page_shows_only_the_buttons_the_user_may_press(login, secretariat, lead_liaison, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    secretariat_page = login(secretariat).get(reverse("portal:proposal", args=[proposal.pk])).content.decode()
    assert 'value="accept"' in secretariat_page and 'value="return"' in secretariat_page
    assert 'value="withdraw"' not in secretariat_page
    liaison_page = login(lead_liaison).get(reverse("portal:proposal", args=[proposal.pk])).content.decode()
    assert 'value="withdraw"' in liaison_page and 'value="accept"' not in liaison_page


@pytest.mark.django_db
def test_buttons_move_the_proposal_through_review(login, secretariat, lead_liaison, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    client = login(secretariat)
    assert transition(client, proposal, "start_review").status_code == 302
    response = transition(client, proposal, "accept", "Well prepared.")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    assert proposal.events.last().comment == "Well prepared."
    page = client.get(response["Location"]).content.decode()
    assert "Accept for an agenda: the proposal is now accepted for an agenda." in page


@pytest.mark.django_db
def test_return_without_comment_is_a_400_with_the_reason_on_the_page(login, secretariat, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    response = transition(login(secretariat), proposal, "return")
    assert response.status_code == 400
    assert "Say why: a comment is required for this action." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.UNDER_REVIEW


@pytest.mark.django_db
def test_return_with_comment_reopens_the_proposal_for_the_lead_agency(login, secretariat, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    assert transition(login(secretariat), proposal, "return", "Add the budget.").status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.RETURNED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "state", "action", "expected"),
    [
        ("lead_liaison", ProposalState.SUBMITTED, "accept", 403),
        ("other_liaison", ProposalState.SUBMITTED, "withdraw", 403),
        ("member", ProposalState.SUBMITTED, "start_review", 403),
        ("secretariat", ProposalState.ACCEPTED, "accept", 409),
        ("lead_liaison", ProposalState.DECIDED, "withdraw", 409),
        ("secretariat", ProposalState.ACCEPTED, "schedule", 403),
        ("secretariat", ProposalState.SUBMITTED, "launch", 409),
        ("outsider", ProposalState.SUBMITTED, "withdraw", 404),
    ],
)
def test_refused_transition_answers_with_status_and_reason(
    roles, login, proposal_in_state, role, state, action, expected
):
    proposal = proposal_in_state(state)
    response = transition(login(roles[role]), proposal, action)
    assert response.status_code == expected
    if expected != 404:
        assert b'class="error"' in response.content
    proposal.refresh_from_db()
    assert proposal.state == state


@pytest.mark.django_db
def test_transition_needs_post(login, secretariat, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    response = login(secretariat).get(reverse("portal:proposal_transition", args=[proposal.pk]))
    assert response.status_code == 405


@pytest.mark.django_db
def test_forms_are_csrf_protected(lead_liaison, committee, health):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(lead_liaison)
    page = client.get(reverse("portal:proposal_create")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    response = client.post(reverse("portal:proposal_create"), form_data(committee, health))
    assert response.status_code == 403
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_attachment_removal_is_refused_to_others_and_after_submission(world, login, lead_liaison, other_liaison):
    attachment = world["attachment"]  # of a submitted proposal
    assert login(other_liaison).post(reverse("portal:attachment_remove", args=[attachment.pk])).status_code == 403
    response = login(lead_liaison).post(reverse("portal:attachment_remove", args=[attachment.pk]))
    assert response.status_code == 409
    assert "Only draft or returned proposals can be changed" in response.content.decode()
    hidden = world["draft_attachment"]
    assert login(other_liaison).post(reverse("portal:attachment_remove", args=[hidden.pk])).status_code == 404
    assert ProposalAttachment.objects.filter(pk__in=[attachment.pk, hidden.pk]).count() == 2


@pytest.mark.django_db
def test_anonymous_posts_are_sent_to_login_and_change_nothing(client, proposal_in_state, committee, health):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    response = client.post(reverse("portal:proposal_transition", args=[proposal.pk]), {"action": "withdraw"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(reverse("portal:proposal_create"), form_data(committee, health)).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    assert Proposal.objects.count() == 1


@pytest.mark.django_db
def test_returned_proposal_is_edited_and_resubmitted_with_the_same_reference(login, lead_liaison, proposal_in_state):
    proposal = proposal_in_state(ProposalState.RETURNED)
    client = login(lead_liaison)
    page = client.get(reverse("portal:proposal", args=[proposal.pk])).content.decode()
    assert "Add the budget breakdown." in page  # the secretariat's reason is on the timeline
    response = client.post(
        reverse("portal:proposal_edit", args=[proposal.pk]),
        edit_data(proposal, estimated_budget_krw="900000000", submit="1"),
    )
    assert response.status_code == 302
    reference = proposal.reference
    proposal.refresh_from_db()
    assert (proposal.state, proposal.reference, proposal.estimated_budget_krw) == (
        ProposalState.SUBMITTED,
        reference,
        900_000_000,
    )


@pytest.mark.django_db
def test_withdraw_sits_behind_a_disclosure_and_withdraws(login, lead_liaison, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    client = login(lead_liaison)
    page = client.get(reverse("portal:proposal", args=[proposal.pk])).content.decode()
    assert '<details class="confirm"><summary>Withdraw…</summary>' in page
    assert transition(client, proposal, "withdraw", "Merged into another proposal.").status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    page = client.get(reverse("portal:proposal", args=[proposal.pk])).content.decode()
    assert "What you can do" not in page  # nothing left to press
