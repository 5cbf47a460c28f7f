"""The desk's carry-over suggestions: ticked ones go on the agenda in one POST (proposals as proposal items,
follow-up actions as report items), a refused save comes back with its ticks and a form error, and only while
the agenda may change."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import AgendaItem, FollowUpAction, ProposalState
from tests import cast
from tests.admin.conftest import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee, secretariat):
    return cast.make_meeting(committee, secretariat, days_ahead=14, title="7th plenary meeting")


@pytest.fixture
def overdue_action(proposal_in_state, secretariat, mohw):
    decision = proposal_in_state(ProposalState.DECIDED, title="Decided proposal").agenda_items.get().decision
    action = services.assign_follow_up_action(
        decision, by=secretariat, agency=mohw, title="Draft the regulation", due_date=timezone.localdate()
    )
    FollowUpAction.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=4))
    return action


def desk_url(meeting, name="desk"):
    return reverse(f"admin:policies_meeting_{name}", args=[meeting.pk])


def ticked(page: str) -> set[str]:
    return set(re.findall(r'<input type="checkbox" name="carry-suggestions" value="([^"]+)"[^>]*checked', page))


def test_the_desk_offers_each_suggestion_with_a_checkbox_and_its_reason(
    desk, meeting, proposal_in_state, overdue_action
):
    proposal = proposal_in_state(ProposalState.ACCEPTED, title="Gene therapy pilot")
    page = desk.get(desk_url(meeting)).content.decode()
    assert f'value="proposal-{proposal.pk}"' in page and f'value="follow_up_action-{overdue_action.pk}"' in page
    assert "Gene therapy pilot" in page and "not yet scheduled" in page
    assert "Draft the regulation" in page and "Overdue since" in page
    assert "Add ticked to agenda" in page and not ticked(page)


def test_ticked_suggestions_go_on_the_agenda_in_one_post(desk, meeting, proposal_in_state, overdue_action, mohw):
    proposal = proposal_in_state(ProposalState.ACCEPTED, title="Gene therapy pilot")
    untouched = proposal_in_state(ProposalState.ACCEPTED, title="Seed bank upgrade")
    response = desk.post(
        desk_url(meeting, "desk_suggestions"),
        {"carry-suggestions": [f"proposal-{proposal.pk}", f"follow_up_action-{overdue_action.pk}"]},
    )
    assert response.status_code == 302 and response["Location"] == desk_url(meeting) + "#agenda"
    first, second = AgendaItem.objects.filter(meeting=meeting).order_by("position")
    assert (first.kind, first.proposal, first.position) == ("proposal", proposal, 1)
    assert (second.kind, second.follow_up_action, second.presenter, second.position) == (
        "report",
        overdue_action,
        mohw,
        2,
    )
    assert "Draft the regulation" in second.title and overdue_action.decision.number in second.notes
    proposal.refresh_from_db()
    untouched.refresh_from_db()
    assert (proposal.state, untouched.state) == (ProposalState.SCHEDULED, ProposalState.ACCEPTED)
    page = desk.get(desk_url(meeting))
    assert "2 items added to the agenda." in messages_of(page)
    offered = page.content.decode()
    assert f'value="proposal-{proposal.pk}"' not in offered  # placed things are not suggested again
    assert f'value="follow_up_action-{overdue_action.pk}"' not in offered
    assert f'value="proposal-{untouched.pk}"' in offered


def test_a_refused_save_keeps_the_ticks_and_says_why(
    desk, meeting, committee, secretariat, proposal_in_state, overdue_action
):
    taken = proposal_in_state(ProposalState.ACCEPTED, title="Taken by a colleague")
    kept = proposal_in_state(ProposalState.ACCEPTED, title="Still waiting")
    desk.get(desk_url(meeting))  # the page as the secretariat saw it, then a colleague places one elsewhere
    other_meeting = cast.make_meeting(committee, secretariat, title="Other meeting")
    services.add_agenda_item(other_meeting, by=secretariat, proposal=taken)
    ticks = [f"proposal-{taken.pk}", f"proposal-{kept.pk}", f"follow_up_action-{overdue_action.pk}"]
    data = {"carry-suggestions": ticks}
    response = desk.post(desk_url(meeting, "desk_suggestions"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "errornote" in page and "no longer open" in page
    assert ticked(page) == {f"proposal-{kept.pk}", f"follow_up_action-{overdue_action.pk}"}
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_a_verb_refusal_adds_nothing_and_keeps_the_ticks(desk, meeting, proposal_in_state, overdue_action, monkeypatch):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    original = services.add_agenda_item

    def refuse_reports(meeting, *, by, **item):
        if item.get("follow_up_action") is not None:
            from django.core.exceptions import ValidationError

            raise ValidationError("Refused for the test.")
        return original(meeting, by=by, **item)

    monkeypatch.setattr("policies.services.meetings.add_agenda_item", refuse_reports)
    data = {"carry-suggestions": [f"proposal-{proposal.pk}", f"follow_up_action-{overdue_action.pk}"]}
    response = desk.post(desk_url(meeting, "desk_suggestions"), data)
    assert response.status_code == 200 and "Refused for the test." in response.content.decode()
    assert ticked(response.content.decode()) == set(data["carry-suggestions"])
    assert not AgendaItem.objects.filter(meeting=meeting).exists()  # all or nothing
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED


@pytest.mark.parametrize("value", [None, "", "proposal-x", "proposal-999999", "9" * 40])
def test_nothing_ticked_or_a_made_up_tick_is_a_form_error(desk, meeting, proposal_in_state, value):
    proposal_in_state(ProposalState.ACCEPTED)
    response = desk.post(desk_url(meeting, "desk_suggestions"), {} if value is None else {"carry-suggestions": value})
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_only_while_the_agenda_may_change(desk, meeting, secretariat, proposal_in_state):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    services.cancel_meeting(meeting, by=secretariat)
    assert "Add ticked to agenda" not in desk.get(desk_url(meeting)).content.decode()
    response = desk.post(desk_url(meeting, "desk_suggestions"), {"carry-suggestions": f"proposal-{proposal.pk}"})
    assert response.status_code == 302 and messages_of(desk.get(desk_url(meeting)))
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_a_published_agenda_still_takes_suggestions(desk, meeting, secretariat, proposal_in_state):
    services.add_agenda_item(meeting, by=secretariat, kind="briefing", title="Opening")
    services.publish_agenda(meeting, by=secretariat)
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    desk.post(desk_url(meeting, "desk_suggestions"), {"carry-suggestions": f"proposal-{proposal.pk}"})
    assert AgendaItem.objects.get(meeting=meeting, position=2).proposal == proposal


def test_get_is_405_and_another_committees_secretariat_gets_404(
    desk, admin_client_for, other_secretariat, meeting, proposal_in_state
):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    assert desk.get(desk_url(meeting, "desk_suggestions")).status_code == 405
    client = admin_client_for(other_secretariat)
    response = client.post(desk_url(meeting, "desk_suggestions"), {"carry-suggestions": f"proposal-{proposal.pk}"})
    assert response.status_code == 404
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
