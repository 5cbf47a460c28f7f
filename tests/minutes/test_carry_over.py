"""Minutes in review are suggested for the next meeting's agenda (carry-over), once, as a report item."""

import pytest

from policies import services
from policies.models import AgendaItem, Minutes
from policies.queries.carry_over import SuggestionKind, Why, agenda_suggestions
from tests import cast

pytestmark = pytest.mark.django_db
N = Minutes.Status


@pytest.fixture
def next_meeting(committee, secretariat):
    return cast.make_meeting(committee, secretariat, days_ahead=14, title="Next plenary meeting")


def minutes_suggestions(meeting, user):
    return [s for s in agenda_suggestions(meeting, user=user) if s.kind == SuggestionKind.MINUTES]


def test_minutes_in_review_are_suggested_last_with_why_and_go_on_as_a_report_once(
    minutes_in_state, next_meeting, secretariat
):
    minutes, _ = minutes_in_state(N.IN_REVIEW)
    [suggestion] = minutes_suggestions(next_meeting, secretariat)
    assert agenda_suggestions(next_meeting, user=secretariat)[-1] == suggestion
    assert (suggestion.object_id, suggestion.why) == (minutes.pk, Why.MINUTES_AWAITING_APPROVAL)
    assert minutes.meeting.title in suggestion.reason and minutes.review_deadline.isoformat() in suggestion.reason

    [item] = services.add_agenda_items(next_meeting, by=secretariat, items=[suggestion.item])
    assert (item.kind, item.minutes_id) == (AgendaItem.Kind.REPORT, minutes.pk)
    assert minutes_suggestions(next_meeting, secretariat) == []  # already on this agenda


@pytest.mark.parametrize("status", [N.DRAFT, N.FINAL])
def test_minutes_not_in_review_are_not_suggested(minutes_in_state, next_meeting, secretariat, status):
    minutes_in_state(status)
    assert minutes_suggestions(next_meeting, secretariat) == []


def test_minutes_are_not_suggested_to_another_committee_nor_placed_there(minutes_in_state, secretariat, lead_liaison):
    minutes, _ = minutes_in_state(N.IN_REVIEW)
    other = cast.make_committee("NBC-SUB")
    other_secretariat = cast.make_secretariat(other, "secretariat-sub")
    elsewhere = cast.make_meeting(other, other_secretariat, days_ahead=14)
    assert minutes_suggestions(elsewhere, other_secretariat) == []
    with pytest.raises(Exception, match="another committee"):
        services.add_agenda_item(
            elsewhere, by=other_secretariat, kind=AgendaItem.Kind.REPORT, title="Minutes", minutes=minutes
        )
