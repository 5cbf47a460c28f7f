"""The secretariat's dashboard: proposals by state and area, upcoming meetings, late opinions, overdue actions."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import PolicyArea, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:policies_dashboard"


def cell(table, area_code, state):
    row = next(row for row in table["rows"] if row["area"].code == area_code)
    return row["cells"][table["states"].index(state)]


def test_dashboard_counts_proposals_by_area_and_state(desk, proposal_in_state):
    food = PolicyArea.objects.exclude(code="health").first()
    proposal_in_state(ProposalState.SUBMITTED)
    proposal_in_state(ProposalState.SUBMITTED)
    proposal_in_state(ProposalState.ACCEPTED, policy_area=food)
    response = desk.get(reverse(DASHBOARD))
    assert response.status_code == 200
    table = response.context["proposal_table"]
    assert cell(table, "health", ProposalState.SUBMITTED) == 2
    assert cell(table, food.code, ProposalState.ACCEPTED) == 1
    assert table["total"] == 3
    assert "Proposals by policy area and state" in response.content.decode()


def test_dashboard_leaves_out_other_committees(admin_client_for, other_secretariat, proposal_in_state):
    proposal_in_state(ProposalState.SUBMITTED)
    response = admin_client_for(other_secretariat).get(reverse(DASHBOARD))
    assert response.context["proposal_table"]["total"] == 0


def test_dashboard_lists_upcoming_meetings_late_opinions_and_overdue_actions(
    desk, committee, secretariat, mohw, motie, proposal_in_state
):
    reviewed = proposal_in_state(ProposalState.UNDER_REVIEW, title="Waiting for opinions")
    services.request_consultations(reviewed, by=secretariat, agencies=[mohw, motie], working_days=2)
    decided = proposal_in_state(ProposalState.DECIDED)
    services.assign_follow_up_action(
        decided.agenda_items.get().decision,
        by=secretariat,
        agency=mohw,
        title="Publish the guidelines",
        due_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    upcoming = cast.make_meeting(committee, secretariat, days_ahead=30, title="Autumn plenary")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20)):
        desk.force_login(secretariat)  # the session of three weeks ago has expired
        response = desk.get(reverse(DASHBOARD))
    assert [meeting.pk for meeting in response.context["upcoming_meetings"]] == [upcoming.pk]
    assert {c.agency.acronym for c in response.context["late_opinions"]} == {"MOHW", "MOTIE"}
    assert [a.title for a in response.context["overdue_actions"]] == ["Publish the guidelines"]
    html = response.content.decode()
    assert "Autumn plenary" in html and "Waiting for opinions" in html and "Publish the guidelines" in html


def test_each_count_links_to_the_proposals_it_counts(desk, proposal_in_state):
    proposal_in_state(ProposalState.SUBMITTED)
    proposal_in_state(ProposalState.SUBMITTED)
    proposal_in_state(ProposalState.UNDER_REVIEW)
    table = desk.get(reverse(DASHBOARD)).context["proposal_table"]
    health = next(row for row in table["rows"] if row["area"].code == "health")
    count, link = health["cells_and_links"][table["states"].index(ProposalState.SUBMITTED)]
    listed = desk.get(link).context["cl"].result_list
    assert count == len(listed) == 2
    assert {proposal.state for proposal in listed} == {ProposalState.SUBMITTED}
