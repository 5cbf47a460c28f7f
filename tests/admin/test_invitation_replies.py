"""The meeting's change page lists who replied to the invitation, and who has not."""

import pytest
from django.urls import reverse

from policies import services
from policies.models import AttendanceReply
from tests import cast

pytestmark = pytest.mark.django_db


def test_the_meeting_page_shows_replies_and_members_without_a_reply(desk, committee, secretariat, member):
    cast.make_member(committee, "member-silent")
    meeting = cast.make_meeting(committee, secretariat)
    services.reply_to_invitation(meeting, by=member, answer=AttendanceReply.Answer.DELEGATE, delegate_name="Dr. Kim")
    page = desk.get(reverse("admin:policies_meeting_change", args=[meeting.pk])).content.decode()
    section = page[page.index("invitation-replies") :]
    assert "1 of 2 members replied." in page
    assert "member-1" in section and "Sending a delegate" in section and "Dr. Kim" in section
    assert "No reply yet:" in section and "member-silent" in section
