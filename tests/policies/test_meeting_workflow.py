"""Every meeting action x status x role: allowed ones take effect, the rest are refused and change nothing."""

import datetime

import pytest
from django.utils import timezone

from policies import permissions, services
from policies.models import Attendance, Decision, Meeting, Proposal, ProposalState
from policies.workflow import MEETINGS, InvalidState, NotPermitted
from tests import cast

M = Meeting.Status

# Written out by hand from the issue and today's rules, not derived from the workflow table it checks.
ALLOWED = {
    ("publish_agenda", M.PLANNED),
    ("mark_held", M.AGENDA_PUBLISHED),
    ("cancel", M.PLANNED),
    ("cancel", M.AGENDA_PUBLISHED),
    ("change", M.PLANNED),
    ("change", M.AGENDA_PUBLISHED),
    ("record_attendance", M.PLANNED),
    ("record_attendance", M.AGENDA_PUBLISHED),
    ("record_attendance", M.HELD),
    ("decide", M.AGENDA_PUBLISHED),
    ("decide", M.HELD),
}
# Where an allowed action leaves the meeting; the others keep its status.
TARGET = {"publish_agenda": M.AGENDA_PUBLISHED, "mark_held": M.HELD, "cancel": M.CANCELLED}
# The buttons a person is offered (admin, API `allowed_actions`), in this order.
OFFERED = ["publish_agenda", "mark_held", "cancel"]
# Only the committee's own secretariat acts on its meetings; anyone else is refused for role before status.
ROLES = ["secretariat", "foreign_secretariat", "lead_liaison", "member", "outsider"]


@pytest.fixture
def actors(lead_liaison, secretariat, member, outsider):
    foreign = cast.make_committee("NBC-FOOD")
    return {
        "secretariat": secretariat,
        "foreign_secretariat": cast.make_secretariat(foreign, "food-secretariat"),
        "lead_liaison": lead_liaison,
        "member": member,
        "outsider": outsider,
    }


@pytest.fixture
def meeting_in_state(committee, secretariat, proposal_in_state):
    """A meeting with one proposal for decision on its agenda, driven through the services to `status`."""

    def build(status):
        # Started an hour ago, so that the table alone decides (tests/policies/test_record_rules.py: the clock).
        meeting = cast.make_meeting(committee, secretariat, starts_at=timezone.now() - datetime.timedelta(hours=1))
        item = services.add_agenda_item(meeting, by=secretariat, proposal=proposal_in_state(ProposalState.ACCEPTED))
        if status == M.CANCELLED:
            services.cancel_meeting(meeting, by=secretariat)
        if status in (M.AGENDA_PUBLISHED, M.HELD):
            services.publish_agenda(meeting, by=secretariat)
        if status == M.HELD:
            services.mark_meeting_held(meeting, by=secretariat)
        meeting = Meeting.objects.get(pk=meeting.pk)
        assert meeting.status == status
        return meeting, item

    return build


def take(action, meeting, item, user, member):
    """The service verb behind each action of the table."""
    if action == "publish_agenda":
        return services.publish_agenda(meeting, by=user)
    if action == "mark_held":
        return services.mark_meeting_held(meeting, by=user)
    if action == "cancel":
        return services.cancel_meeting(meeting, by=user, reason="The minister cannot attend.")
    if action == "change":
        return services.update_meeting(meeting, by=user, changes={"location": "Sejong"})
    if action == "record_attendance":
        return services.record_attendance(meeting, by=user, member=member, status=Attendance.Status.PRESENT)
    assert action == "decide"
    return services.record_decision(item, by=user, outcome=Decision.Outcome.DEFERRED, resolution="Deferred.")


def effects(meeting):
    """What the actions leave behind besides the status: place, attendance, decisions, the proposal's state."""
    return (
        Meeting.objects.get(pk=meeting.pk).location,
        Attendance.objects.filter(meeting=meeting).count(),
        Decision.objects.filter(agenda_item__meeting=meeting).count(),
        list(Proposal.objects.filter(agenda_items__meeting=meeting).values_list("state", flat=True)),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", M.values)
@pytest.mark.parametrize("action", list(MEETINGS.transitions))
def test_meeting_table(meeting_in_state, actors, member, action, status, role):
    meeting, item = meeting_in_state(status)
    user = actors[role]
    allowed = (action, status) in ALLOWED and role == "secretariat"
    if action in OFFERED:
        assert (action in permissions.allowed_actions(user, meeting)) == allowed
    before = effects(meeting)
    if allowed:
        take(action, meeting, item, user, member)
        assert Meeting.objects.get(pk=meeting.pk).status == TARGET.get(action, status)
        assert effects(meeting) != before or action in TARGET
        return
    expected = InvalidState if role == "secretariat" else NotPermitted
    with pytest.raises(expected) as refused:
        take(action, meeting, item, user, member)
    assert refused.value.message
    assert Meeting.objects.get(pk=meeting.pk).status == status
    assert effects(meeting) == before


def test_the_table_has_exactly_the_actions_this_test_walks():
    assert set(MEETINGS.transitions) == {action for action, _ in ALLOWED}
    assert list(MEETINGS.user_actions) == OFFERED
    assert MEETINGS.open_states == {M.PLANNED, M.AGENDA_PUBLISHED}
