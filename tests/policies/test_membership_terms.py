"""A member is a member through the last day of the term (term_end, a Seoul date) and not a second longer.

Four places reckon this: the visibility policy's scopes, Committee.current_memberships (attendance, quorum,
invitations), CommitteeMembership.is_current (the API's /me) and the digest enrolment. Each is checked at
23:59:59 KST on the last day and at 00:00:00 KST the day after, which is still the last day in UTC.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from committee.directory import scope as directory_scope
from committee.directory.models import CommitteeMembership
from policies import digests, permissions, services
from policies.models import Attendance, DigestPreference, ProposalState
from policies.queries.meetings import quorum_status
from tests import cast

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
LAST_DAY = datetime.date(2026, 3, 31)
LAST_SECOND = datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=SEOUL)
FIRST_SECOND_AFTER = datetime.datetime(2026, 4, 1, 0, 0, 0, tzinfo=SEOUL)  # 31 March 15:00 UTC

MOMENTS = pytest.mark.parametrize(
    ("moment", "is_member"),
    [(LAST_SECOND, True), (FIRST_SECOND_AFTER, False)],
    ids=["last second of the term", "first second after it"],
)


@pytest.fixture
def term(member):
    """The member's term: 1 April 2024 to 31 March 2026."""
    CommitteeMembership.objects.filter(user=member).update(term_start=datetime.date(2024, 4, 1), term_end=LAST_DAY)
    return CommitteeMembership.objects.get(user=member)


def fresh(user):
    """The user as a new request would load it, with no scope cached from before."""
    return get_user_model().objects.select_related("profile").get(pk=user.pk)


@MOMENTS
def test_a_member_sees_the_committees_proposals_through_the_last_day(
    term, member, proposal_in_state, moment, is_member
):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    with time_machine.travel(moment, tick=False):
        visible = permissions.visible_proposals(fresh(member)).filter(pk=proposal.pk).exists()
        scope = directory_scope.scopes_of([fresh(member)])[member.pk]
    assert visible is is_member
    assert (term.committee_id in scope.member_of) is is_member


@MOMENTS
def test_current_memberships_include_the_last_day(term, committee, member, moment, is_member):
    with time_machine.travel(moment, tick=False):
        assert committee.current_memberships().filter(user=member).exists() is is_member
        assert term.is_current() is is_member


@MOMENTS
def test_the_api_lists_the_membership_through_the_last_day(term, member, moment, is_member):
    client = APIClient()
    client.force_login(member)
    with time_machine.travel(moment, tick=False):
        roles = client.get("/api/v1/me/").json()["roles"]
    assert [m["committee"] for m in roles["memberships"]] == (["NBC"] if is_member else [])


@MOMENTS
def test_digest_enrolment_takes_members_through_the_last_day(term, member, moment, is_member):
    DigestPreference.objects.filter(user=member).delete()
    with time_machine.travel(moment, tick=False):
        digests.enrol_newcomers(timezone.now())
    assert DigestPreference.objects.filter(user=member).exists() is is_member


def test_attendance_is_taken_at_a_meeting_on_the_last_day_but_not_the_day_after(term, committee, secretariat, member):
    on_last_day = cast.make_meeting(committee, secretariat, title="Last day", starts_at=LAST_SECOND)
    day_after = cast.make_meeting(committee, secretariat, title="Day after", starts_at=FIRST_SECOND_AFTER)
    services.record_attendance(on_last_day, by=secretariat, member=member, status=Attendance.Status.PRESENT)
    with pytest.raises(ValidationError, match="is not a member"):
        services.record_attendance(day_after, by=secretariat, member=member, status=Attendance.Status.PRESENT)
    assert quorum_status(on_last_day)["members"] == 1
    assert quorum_status(day_after)["members"] == 0
