"""Reviewing proposals in the admin: buttons, changelist actions and the opinion request, all through the services."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import Consultation, ProposalEvent, ProposalState
from tests.admin.conftest import messages_of

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:policies_proposal_changelist"


def change_url(proposal):
    return reverse("admin:policies_proposal_change", args=[proposal.pk])


def transition_url(proposal, action):
    return reverse("admin:policies_proposal_transition", args=[proposal.pk, action])


def consult_url(proposal):
    return reverse("admin:policies_proposal_consult", args=[proposal.pk])


def state_of(proposal):
    proposal.refresh_from_db()
    return proposal.state


def test_change_page_offers_the_secretariats_buttons_for_the_state(desk, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    response = desk.get(change_url(proposal))
    labels = [str(button["label"]) for button in response.context["workflow_buttons"]]
    assert labels == ["Start review", "Request opinions"]
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    response = desk.get(change_url(proposal))
    labels = [str(button["label"]) for button in response.context["workflow_buttons"]]
    assert labels == ["Return for revision", "Accept for an agenda", "Request opinions"]


def test_start_review_button_moves_the_proposal_and_writes_the_timeline(desk, proposal_in_state, secretariat):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    response = desk.post(transition_url(proposal, "start_review"))
    assert response.status_code == 302
    assert response["Location"] == change_url(proposal)
    assert state_of(proposal) == ProposalState.UNDER_REVIEW
    event = ProposalEvent.objects.filter(proposal=proposal).latest("id")
    assert (event.action, event.actor) == ("start_review", secretariat)
    assert messages_of(response) == ["Start review: done."]


def test_accept_button_accepts_a_proposal_under_review(desk, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    desk.post(transition_url(proposal, "accept"))
    assert state_of(proposal) == ProposalState.ACCEPTED


def test_a_refused_transition_is_an_error_message_and_changes_nothing(desk, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    version = proposal.version
    response = desk.post(transition_url(proposal, "accept"))
    assert response.status_code == 302
    assert "cannot be accept for an agenda" in messages_of(response)[0]
    proposal.refresh_from_db()
    assert (proposal.state, proposal.version) == (ProposalState.SUBMITTED, version)


def test_liaison_actions_are_not_taken_in_the_admin(desk, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    response = desk.post(transition_url(proposal, "withdraw"))
    assert response.status_code == 302
    assert messages_of(response) == ["This action is not taken in the admin."]
    assert state_of(proposal) == ProposalState.SUBMITTED


def test_workflow_buttons_act_only_on_post(desk, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    assert desk.get(transition_url(proposal, "start_review")).status_code == 405
    assert state_of(proposal) == ProposalState.SUBMITTED


def test_return_asks_for_a_comment_first(desk, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    response = desk.get(transition_url(proposal, "return"))
    assert response.status_code == 200
    assert "comment" in response.context["form"].fields
    response = desk.post(transition_url(proposal, "return"), {"comment": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"comment": ["This field is required."]}
    assert state_of(proposal) == ProposalState.UNDER_REVIEW


def test_return_with_a_comment_returns_the_proposal(desk, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    response = desk.post(transition_url(proposal, "return"), {"comment": "Add the budget breakdown."})
    assert response.status_code == 302
    assert state_of(proposal) == ProposalState.RETURNED
    assert ProposalEvent.objects.filter(proposal=proposal).latest("id").comment == "Add the budget breakdown."


def test_state_and_text_cannot_be_changed_by_posting_the_change_form(desk, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    response = desk.post(
        change_url(proposal),
        {"state": ProposalState.ACCEPTED, "title": "Rewritten by the secretariat", "version": 99},
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert (proposal.state, proposal.title) == (ProposalState.UNDER_REVIEW, "Bio-manufacturing pilot plants")


def test_change_page_shows_state_and_text_read_only_with_timeline_and_opinions(
    desk, proposal_in_state, secretariat, mohw, motie, other_liaison
):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    services.request_consultations(
        proposal, by=secretariat, agencies=[mohw, motie], deadline=timezone.localdate() + datetime.timedelta(days=5)
    )
    services.give_opinion(proposal.consultations.get(agency=mohw), by=other_liaison, position="concur", opinion="")
    response = desk.get(change_url(proposal))
    form = response.context["adminform"].form
    assert "state" not in form.fields and "title" not in form.fields and "reference" not in form.fields
    html = response.content.decode()
    assert "Under review" in html
    assert "Start review" in html and "Opinion given" in html  # the timeline
    assert "<strong>Concur</strong>: MOHW" in html
    assert "<strong>No answer yet</strong>: MOTIE" in html


def test_request_opinions_from_two_agencies_by_date(desk, proposal_in_state, mohw, motie):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    response = desk.post(
        consult_url(proposal),
        {"agencies": [mohw.pk, motie.pk], "deadline": deadline.isoformat(), "question": "Any objection?"},
    )
    assert response.status_code == 302
    consultations = Consultation.objects.filter(proposal=proposal).order_by("agency__acronym")
    assert [(c.agency.acronym, c.deadline, c.question) for c in consultations] == [
        ("MOHW", deadline, "Any objection?"),
        ("MOTIE", deadline, "Any objection?"),
    ]


def test_request_opinions_within_korean_working_days(desk, proposal_in_state, mohw, motie):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    # Friday 13 February 2026 in Seoul; Seollal closes 16-18 February, so five working days end on the 25th.
    with time_machine.travel(datetime.datetime(2026, 2, 13, 10, tzinfo=ZoneInfo("Asia/Seoul")), tick=False):
        desk.post(consult_url(proposal), {"agencies": [mohw.pk, motie.pk], "working_days": "5"})
    deadlines = set(Consultation.objects.filter(proposal=proposal).values_list("deadline", flat=True))
    assert deadlines == {datetime.date(2026, 2, 25)}


def test_the_lead_agency_is_not_offered_for_consultation(desk, proposal_in_state, msit):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    response = desk.get(consult_url(proposal))
    assert response.status_code == 200
    assert msit not in response.context["form"].fields["agencies"].queryset


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("no deadline", "Give either a deadline date or a number of working days (one of the two)."),
        ("both deadlines", "Give either a deadline date or a number of working days (one of the two)."),
        ("past deadline", "The deadline cannot be in the past."),
        ("too many days", "Ensure this value is less than or equal to 120."),
    ],
)
def test_a_bad_opinion_request_shows_why_and_consults_nobody(desk, proposal_in_state, mohw, motie, case, expected):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = {
        "no deadline": {"agencies": [mohw.pk, motie.pk]},
        "both deadlines": {"agencies": [mohw.pk, motie.pk], "deadline": tomorrow, "working_days": "3"},
        "past deadline": {"agencies": [mohw.pk, motie.pk], "deadline": "2020-01-01"},
        "too many days": {"agencies": [mohw.pk, motie.pk], "working_days": "500"},
    }[case]
    response = desk.post(consult_url(proposal), data)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not Consultation.objects.filter(proposal=proposal).exists()


def test_an_agency_already_consulted_is_not_offered_again(desk, proposal_in_state, mohw, motie, secretariat):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    services.request_consultations(proposal, by=secretariat, agencies=[mohw], working_days=3)
    assert mohw not in desk.get(consult_url(proposal)).context["form"].fields["agencies"].queryset
    response = desk.post(consult_url(proposal), {"agencies": [mohw.pk, motie.pk], "working_days": "3"})
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert Consultation.objects.filter(proposal=proposal).count() == 1


def test_opinions_cannot_be_requested_on_an_accepted_proposal(desk, proposal_in_state, mohw, motie):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    response = desk.post(consult_url(proposal), {"agencies": [mohw.pk, motie.pk], "working_days": "3"})
    assert response.status_code == 200
    assert "Opinions can be requested only on submitted proposals or those under review." in response.content.decode()
    assert not Consultation.objects.filter(proposal=proposal).exists()


def test_changelist_actions_start_review_and_accept(desk, proposal_in_state):
    first, second = proposal_in_state(ProposalState.SUBMITTED), proposal_in_state(ProposalState.SUBMITTED)
    response = desk.post(
        reverse(CHANGELIST), {"action": "start_review_selected", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    assert (state_of(first), state_of(second)) == (ProposalState.UNDER_REVIEW, ProposalState.UNDER_REVIEW)
    desk.post(reverse(CHANGELIST), {"action": "accept_selected", "_selected_action": [first.pk]})
    assert state_of(first) == ProposalState.ACCEPTED


def test_changelist_action_reports_each_refusal_and_applies_the_rest(desk, proposal_in_state):
    ready, not_ready = proposal_in_state(ProposalState.UNDER_REVIEW), proposal_in_state(ProposalState.SUBMITTED)
    response = desk.post(
        reverse(CHANGELIST), {"action": "accept_selected", "_selected_action": [ready.pk, not_ready.pk]}
    )
    assert response.status_code == 302
    messages = messages_of(response)
    assert any(message.startswith(f"{not_ready.reference}: A proposal that is submitted") for message in messages)
    assert any(ready.reference in message and message.startswith("Accept for an agenda") for message in messages)
    assert (state_of(ready), state_of(not_ready)) == (ProposalState.ACCEPTED, ProposalState.SUBMITTED)


def test_changelist_return_action_asks_for_a_comment_then_returns(desk, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    selection = {"action": "return_selected", "_selected_action": [proposal.pk]}
    response = desk.post(reverse(CHANGELIST), selection)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/policies/service_form.html"
    response = desk.post(reverse(CHANGELIST), {**selection, "apply": "1", "comment": ""})
    assert response.status_code == 200
    assert state_of(proposal) == ProposalState.UNDER_REVIEW
    response = desk.post(reverse(CHANGELIST), {**selection, "apply": "1", "comment": "Cite the evidence."})
    assert response.status_code == 302
    assert state_of(proposal) == ProposalState.RETURNED


@pytest.mark.parametrize(("choice", "still_awaited"), [("keep", 1), ("close", 0)])
def test_changelist_accept_asks_whether_awaited_opinions_stay_open_and_does_as_told(
    desk, proposal_in_state, secretariat, mohw, choice, still_awaited
):
    waiting = proposal_in_state(ProposalState.UNDER_REVIEW)
    services.request_consultations(waiting, by=secretariat, agencies=[mohw], working_days=5)
    plain = proposal_in_state(ProposalState.UNDER_REVIEW)
    selection = {"action": "accept_selected", "_selected_action": [waiting.pk, plain.pk]}

    asked = desk.post(reverse(CHANGELIST), selection)
    assert asked.status_code == 200
    assert f"{waiting.reference}: {mohw.acronym}" in asked.content.decode()
    assert (state_of(waiting), state_of(plain)) == (ProposalState.UNDER_REVIEW, ProposalState.UNDER_REVIEW)
    unanswered = desk.post(reverse(CHANGELIST), {**selection, "apply": "1"})
    assert unanswered.status_code == 200 and unanswered.context["form"].errors
    assert state_of(waiting) == ProposalState.UNDER_REVIEW

    done = desk.post(reverse(CHANGELIST), {**selection, "apply": "1", "open_consultations": choice})
    assert done.status_code == 302
    assert (state_of(waiting), state_of(plain)) == (ProposalState.ACCEPTED, ProposalState.ACCEPTED)
    assert waiting.consultations.awaiting_opinion().count() == still_awaited


def test_changelist_return_asks_for_the_comment_and_the_awaited_opinions_together(
    desk, proposal_in_state, secretariat, mohw
):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    services.request_consultations(proposal, by=secretariat, agencies=[mohw], working_days=5)
    selection = {"action": "return_selected", "_selected_action": [proposal.pk], "apply": "1"}
    response = desk.post(reverse(CHANGELIST), {**selection, "comment": "Cite the evidence."})
    assert response.status_code == 200 and "open_consultations" in response.context["form"].errors
    assert response.context["form"]["comment"].value() == "Cite the evidence."  # what was typed stays
    response = desk.post(
        reverse(CHANGELIST), {**selection, "comment": "Cite the evidence.", "open_consultations": "close"}
    )
    assert response.status_code == 302
    assert state_of(proposal) == ProposalState.RETURNED
    assert not proposal.consultations.awaiting_opinion().exists()


def test_changelist_shows_overdue_opinions(desk, proposal_in_state, secretariat, mohw, motie):
    late = proposal_in_state(ProposalState.UNDER_REVIEW, title="Late opinions")
    services.request_consultations(late, by=secretariat, agencies=[mohw, motie], working_days=2)
    proposal_in_state(ProposalState.UNDER_REVIEW, title="On time")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        response = desk.get(reverse(CHANGELIST))

        flags = {row.title: row.has_overdue_opinion for row in response.context["cl"].result_list}
        assert flags == {"Late opinions": True, "On time": False}
        response = desk.get(reverse(CHANGELIST), {"opinion_overdue": "yes"})
        assert [row.title for row in response.context["cl"].result_list] == ["Late opinions"]


def test_change_page_lists_the_attachments(desk, draft, lead_liaison):
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 pilot plant plan", content_type="application/pdf")
    attachment = services.add_attachment(draft, by=lead_liaison, uploaded_file=upload)
    services.submit_proposal(draft, by=lead_liaison)
    html = desk.get(change_url(draft)).content.decode()
    assert f'<a href="/attachments/{attachment.pk}/">plan.pdf</a>' in html  # the checked download, not /media/
    assert attachment.file.url not in html


@pytest.mark.parametrize("url_name", ["admin:policies_proposal_changelist", "admin:policies_dashboard"])
def test_pages_render_in_korean(desk, proposal_in_state, url_name):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    assert desk.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="ko").status_code == 200
    assert desk.get(change_url(proposal), HTTP_ACCEPT_LANGUAGE="ko").status_code == 200


def test_a_refused_opinion_request_comes_back_with_what_was_typed(desk, proposal_in_state, mohw, motie):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    typed = {"agencies": [str(mohw.pk), str(motie.pk)], "deadline": "2020-01-01", "question": "Is the site safe?"}
    response = desk.post(consult_url(proposal), typed)
    form = response.context["form"]
    assert form.errors
    assert (form["agencies"].value(), form["deadline"].value(), form["question"].value()) == (
        typed["agencies"],
        "2020-01-01",
        "Is the site safe?",
    )
