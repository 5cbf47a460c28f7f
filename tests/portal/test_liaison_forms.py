"""The liaison's forms (issue 10): amounts as typed, a formatted body that stays safe, chosen files that survive a
refused save, and the secretariat's reason for a return on top."""

import pytest
from django.urls import reverse

from policies import services
from policies.models import Proposal, ProposalState

from .conftest import PDF, pdf_upload
from .test_proposal_forms import edit_data, form_data

pytestmark = pytest.mark.django_db


# --- amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "won"),
    [("120억", 12_000_000_000), ("₩12,000,000,000", 12_000_000_000), ("1조 2천억", 1_200_000_000_000)],
)
def test_the_budget_is_read_as_typed_and_shown_in_won(login, lead_liaison, committee, health, typed, won):
    client = login(lead_liaison)
    response = client.post(reverse("portal:proposal_create"), form_data(committee, health, estimated_budget_krw=typed))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.estimated_budget_krw == won
    assert f"₩{won:,}" in client.get(response["Location"]).content.decode()
    # The edit form shows it back with separators, which it reads again unchanged.
    assert f'value="₩{won:,}"' in client.get(reverse("portal:proposal_edit", args=[proposal.pk])).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter an amount in won, such as 12,000,000,000 or 120억."),
        ("-5", "The amount cannot be negative."),
        ("99999999999999999999", "The amount is too large."),
    ],
)
def test_nonsense_amounts_are_form_errors_and_keep_what_was_typed(
    login, lead_liaison, committee, health, typed, message
):
    response = login(lead_liaison).post(
        reverse("portal:proposal_create"), form_data(committee, health, estimated_budget_krw=typed)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["estimated_budget_krw"] == [message]
    assert f'value="{typed}"' in response.content.decode()
    assert not Proposal.objects.exists()


# --- the formatted body -------------------------------------------------------------------------


def test_the_body_textarea_carries_the_editor_and_its_files_come_from_our_own_static(login, lead_liaison):
    page = login(lead_liaison).get(reverse("portal:proposal_create")).content.decode()
    assert "data-rich-text" in page
    assert "/static/portal/rich-text.js" in page and "/static/django_prose_editor/editor.css" in page
    assert "https://" not in page.split("<main")[1]  # no CDN


@pytest.mark.parametrize(
    "attack",
    [
        '<script>alert("x")</script>',
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        '<p onclick="alert(1)" style="color:red">styled</p>',
        "<iframe src=//evil.example></iframe>",
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_a_formatted_body_keeps_its_formatting_and_never_carries_a_script(
    login, lead_liaison, committee, health, attack
):
    client = login(lead_liaison)
    body = f"<h2>Why</h2><ul><li><strong>Bold</strong> point</li></ul>{attack}"
    response = client.post(reverse("portal:proposal_create"), form_data(committee, health, body=body))
    proposal = Proposal.objects.get()
    page = client.get(response["Location"]).content.decode()
    rendered = page.split('class="rich-text">')[1].split("</div>")[0]
    assert "<h2>Why</h2>" in rendered and "<strong>Bold</strong>" in rendered
    for dangerous in ("<script", "onerror", "onclick", "javascript:", "<iframe", "style="):
        assert dangerous not in proposal.body.lower()
        assert dangerous not in rendered.lower()


def test_a_body_stored_unsanitised_is_still_rendered_safely(login, lead_liaison, proposal_in_state):
    proposal = proposal_in_state(ProposalState.DRAFT)
    Proposal.objects.filter(pk=proposal.pk).update(body='<p>ok</p><script>alert("x")</script>')
    page = login(lead_liaison).get(reverse("portal:proposal", args=[proposal.pk])).content.decode()
    assert "<p>ok</p>" in page and 'alert("x")' not in page


# --- files kept across a refused save -----------------------------------------------------------


def test_chosen_files_survive_a_form_error_and_are_attached_on_the_next_save(login, lead_liaison, committee, health):
    client = login(lead_liaison)
    url = reverse("portal:proposal_create")
    data = form_data(committee, health, title="")
    data["attachments"] = [pdf_upload("letter.pdf"), pdf_upload("annex.pdf", PDF + b"annex")]
    refused = client.post(url, data)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Will be attached when you save:" in page and "letter.pdf" in page and "annex.pdf" in page
    assert not Proposal.objects.exists()
    saved = client.post(url, form_data(committee, health))  # no files chosen this time
    assert saved.status_code == 302
    proposal = Proposal.objects.get()
    assert sorted(proposal.attachments.values_list("original_name", flat=True)) == ["annex.pdf", "letter.pdf"]
    assert "Will be attached" not in client.get(url).content.decode()  # nothing left pending


def test_a_pending_file_ticked_do_not_attach_is_dropped(login, lead_liaison, committee, health):
    client = login(lead_liaison)
    url = reverse("portal:proposal_create")
    data = form_data(committee, health, title="")
    data["attachments"] = [pdf_upload("keep.pdf"), pdf_upload("drop.pdf", PDF + b"drop")]
    page = client.post(url, data)
    pending = {entry["name"]: entry["token"] for entry in page.context["pending_uploads"]}
    response = client.post(url, {**form_data(committee, health), "discard_pending": [pending["drop.pdf"]]})
    assert response.status_code == 302
    assert list(Proposal.objects.get().attachments.values_list("original_name", flat=True)) == ["keep.pdf"]


def test_a_refused_file_is_named_and_not_kept_while_the_good_one_is(login, lead_liaison, committee, health):
    client = login(lead_liaison)
    data = form_data(committee, health)
    fake = pdf_upload("virus.pdf", b"MZ\x90\x00 not a pdf")
    data["attachments"] = [pdf_upload("good.pdf"), fake]
    response = client.post(reverse("portal:proposal_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["attachments"] == ["virus.pdf: The file's content does not match its type."]
    assert [entry["name"] for entry in response.context["pending_uploads"]] == ["good.pdf"]


def test_pending_files_of_one_form_do_not_follow_the_user_to_another(
    login, lead_liaison, committee, health, proposal_in_state
):
    draft = proposal_in_state(ProposalState.DRAFT)
    client = login(lead_liaison)
    data = form_data(committee, health, title="")
    data["attachments"] = [pdf_upload("new-only.pdf")]
    client.post(reverse("portal:proposal_create"), data)
    response = client.post(reverse("portal:proposal_edit", args=[draft.pk]), edit_data(draft, title="Edited"))
    assert response.status_code == 302
    assert not draft.attachments.filter(original_name="new-only.pdf").exists()


def test_edit_keeps_files_across_a_stale_version_and_attaches_them_after(login, lead_liaison, proposal_in_state):
    draft = proposal_in_state(ProposalState.DRAFT)
    client = login(lead_liaison)
    url = reverse("portal:proposal_edit", args=[draft.pk])
    stale = edit_data(draft, title="Mine", version=draft.version - 1 if draft.version > 1 else 99)
    stale["attachments"] = [pdf_upload("kept.pdf")]
    refused = client.post(url, stale)
    assert refused.status_code in (400, 409, 412)
    assert "kept.pdf" in refused.content.decode()
    draft.refresh_from_db()
    assert client.post(url, edit_data(draft, title="Mine")).status_code == 302
    assert draft.attachments.filter(original_name="kept.pdf").exists()


# --- the secretariat's reason for a return ------------------------------------------------------


def test_a_returned_proposal_shows_the_latest_reason_on_top_of_its_page_and_edit_form(
    login, lead_liaison, secretariat, proposal_in_state
):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    services.return_proposal(proposal, by=secretariat, comment="Add a budget table.")
    services.submit_proposal(proposal, by=lead_liaison)
    services.start_review(proposal, by=secretariat)
    services.return_proposal(proposal, by=secretariat, comment="Name the co-sponsors.")
    client = login(lead_liaison)
    pages = {
        reverse("portal:proposal", args=[proposal.pk]): 'id="details-heading"',
        reverse("portal:proposal_edit", args=[proposal.pk]): 'class="card proposal-form"',
    }
    for url, first_content in pages.items():
        page = client.get(url).content.decode()
        top = page.split('id="return-reason-heading"')[1][:600]
        assert "Name the co-sponsors." in top and "Add a budget table." not in top
        assert page.index("return-reason-heading") < page.index(first_content)


def test_no_reason_is_shown_once_the_proposal_is_resubmitted(login, lead_liaison, secretariat, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    services.return_proposal(proposal, by=secretariat, comment="Add a budget table.")
    services.submit_proposal(proposal, by=lead_liaison)
    page = login(lead_liaison).get(reverse("portal:proposal", args=[proposal.pk])).content.decode()
    assert "return-reason-heading" not in page
