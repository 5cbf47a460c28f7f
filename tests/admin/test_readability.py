"""The admin reads like a document: formatted text, amounts in won, no bookkeeping, overdue said in red words."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import ProposalState

pytestmark = pytest.mark.django_db


def change_url(proposal):
    return reverse("admin:policies_proposal_change", args=[proposal.pk])


def test_the_proposal_page_shows_the_body_formatted_not_as_tags(desk, proposal_in_state):
    proposal = proposal_in_state(
        ProposalState.UNDER_REVIEW, body="<p>Two <strong>pilot</strong> plants</p><ul><li>Osong</li></ul>"
    )
    html = desk.get(change_url(proposal)).content.decode()
    assert '<div class="rich-text"><p>Two <strong>pilot</strong> plants</p><ul><li>Osong</li></ul></div>' in html
    assert "&lt;strong&gt;" not in html and "&lt;p&gt;" not in html


def test_the_budget_is_shown_in_won_on_the_page_and_in_the_list(desk, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW, estimated_budget_krw=35_000_000_000)
    assert "₩35,000,000,000" in desk.get(change_url(proposal)).content.decode()
    assert "₩35,000,000,000" in desk.get(reverse("admin:policies_proposal_changelist")).content.decode()


def test_the_version_counter_is_not_shown(desk, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    response = desk.get(change_url(proposal))
    shown = [field for fieldset in response.context["adminform"] for line in fieldset for field in line]
    assert "version" not in [field.field["name"] for field in shown]
    assert "field-version" not in response.content.decode()


def test_overdue_is_said_in_red_words_and_on_time_in_quiet_words(desk, proposal_in_state, secretariat, mohw):
    late = proposal_in_state(ProposalState.UNDER_REVIEW, title="Late opinions")
    services.request_consultations(late, by=secretariat, agencies=[mohw], working_days=2)
    proposal_in_state(ProposalState.UNDER_REVIEW, title="On time")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        html = desk.get(reverse("admin:policies_proposal_changelist")).content.decode()
        consultation_html = desk.get(change_url(late)).content.decode()
    assert html.count('<span class="marker marker-overdue">⚠ Overdue</span>') == 1
    assert html.count('<span class="marker marker-on-time">On time</span>') == 1
    assert "icon-yes.svg" not in html and "icon-no.svg" not in html  # no green tick meaning "late"
    assert '<span class="marker marker-overdue">⚠ Overdue</span>' in consultation_html


def test_follow_up_actions_list_marks_only_the_late_one_overdue(desk, proposal_in_state, secretariat, mohw):
    decision = proposal_in_state(ProposalState.DECIDED).agenda_items.get().decision
    today = timezone.localdate()
    services.assign_follow_up_action(decision, by=secretariat, agency=mohw, title="Soon", due_date=today)
    services.assign_follow_up_action(
        decision, by=secretariat, agency=mohw, title="Later", due_date=today + datetime.timedelta(days=30)
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        html = desk.get(reverse("admin:policies_followupaction_changelist")).content.decode()
    assert html.count("marker-overdue") == 1 and html.count("marker-on-time") == 1


def test_every_admin_page_carries_the_committee_styles(desk):
    assert "policies/admin.css" in desk.get(reverse("admin:policies_proposal_changelist")).content.decode()


def test_a_read_only_list_is_titled_in_plain_korean(desk, secretariat):
    secretariat.profile.language = "ko"
    secretariat.profile.save()
    html = desk.get(reverse("admin:policies_consultation_changelist")).content.decode()
    assert "<h1>볼 협의 선택</h1>" in html and "1협의" not in html  # Django's own Korean: "보기위한 1%s 를(을) 선택"
