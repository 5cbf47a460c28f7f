"""Names in the order their readers expect: 김민준 always, Kim Minjun in Korean and Minjun Kim in English."""

import icalendar
import pytest
from django.utils import translation

from committee.directory.names import display_name, labelled
from policies.calendar import meeting_invitation
from policies.models import ProposalState
from tests import cast

pytestmark = pytest.mark.django_db


def named(user, last, first, language="en"):
    user.last_name, user.first_name = last, first
    user.save()
    user.profile.language = language
    user.profile.save()
    return user


@pytest.mark.parametrize(
    "last, first, language, expected",
    [
        ("김", "민준", "ko", "김민준"),
        ("김", "민준", "en", "김민준"),  # Hangul keeps its order on an English page too
        ("Kim", "Minjun", "en", "Minjun Kim"),
        ("Kim", "Minjun", "ko", "Kim Minjun"),
        ("", "", "ko", "liaison-msit"),
    ],
)
def test_display_name_puts_the_family_name_first_for_korean_readers(lead_liaison, last, first, language, expected):
    named(lead_liaison, last, first)
    assert display_name(lead_liaison, language) == expected


def test_the_active_language_decides_when_none_is_given(lead_liaison):
    named(lead_liaison, "김", "민준")
    with translation.override("ko"):
        assert display_name(lead_liaison) == "김민준"
        assert labelled(lead_liaison) == "김민준 (liaison-msit)"


def test_the_portal_shows_the_actor_and_the_signed_in_person_in_korean_order(client, lead_liaison, proposal_in_state):
    named(lead_liaison, "김", "민준", language="ko")
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    client.force_login(lead_liaison)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert '<span class="who">김민준</span>' in html
    assert '<span class="meta">김민준</span>' in html  # the timeline's actor
    assert "민준 김" not in html


def test_an_english_reader_sees_a_hangul_name_as_written_and_a_latin_one_given_name_first(
    client, lead_liaison, proposal_in_state
):
    named(lead_liaison, "김", "민준", language="en")
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    client.force_login(lead_liaison)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert '<span class="meta">김민준</span>' in html and "민준 김" not in html
    named(lead_liaison, "Kim", "Minjun", language="en")
    assert '<span class="meta">Minjun Kim</span>' in client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_the_calendar_invitation_names_a_korean_attendee_family_name_first(committee, secretariat, member):
    named(member, "이", "서연", language="ko")
    meeting = cast.make_meeting(committee, secretariat)
    calendar = icalendar.Calendar.from_ical(
        meeting_invitation(meeting, method="REQUEST", url="https://x/", recipient=member)
    )
    (event,) = calendar.walk("VEVENT")
    assert event["attendee"].params["cn"] == "이서연"


def test_the_admin_offers_people_by_name_in_korean_order(client, committee, secretariat, member):
    named(member, "이", "서연")
    named(secretariat, "박", "지훈", language="ko")
    client.force_login(secretariat)
    html = client.get("/admin/policies/digestpreference/add/").content.decode()
    assert "이서연 (member-1)" in html


def test_the_return_reason_and_the_invitation_replies_name_people_family_name_first(
    client, committee, secretariat, member, lead_liaison, proposal_in_state
):
    named(secretariat, "박", "지훈", language="ko")
    named(lead_liaison, "김", "민준", language="ko")
    proposal = proposal_in_state(ProposalState.RETURNED)
    client.force_login(lead_liaison)
    assert "박지훈 ·" in client.get(f"/proposals/{proposal.pk}/").content.decode()  # who returned it

    named(member, "이", "서연")
    meeting = cast.make_meeting(committee, secretariat)
    client.force_login(secretariat)
    page = client.get(f"/admin/policies/meeting/{meeting.pk}/change/").content.decode()
    assert "이서연" in page and "서연 이" not in page  # waiting for a reply
