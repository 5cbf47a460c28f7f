"""A member's home: the next meeting of their committees first, with its agenda and positions, and their reply."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import AgendaItem, AttendanceReply, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db
A = AttendanceReply.Answer


@pytest.fixture
def next_meeting(committee, secretariat, lead_liaison, other_liaison, third_liaison, mohw, motie, proposal_in_state):
    """A published agenda a week ahead: one proposal that MOHW concurs with and MOTIE has not answered yet."""
    proposal = proposal_in_state(
        ProposalState.SUBMITTED, title="Biobank data sharing", summary="Open the national biobank to researchers."
    )
    consultations = services.request_consultations(proposal, by=secretariat, agencies=[mohw, motie], working_days=5)
    mohw_consultation = next(c for c in consultations if c.agency_id == mohw.pk)
    services.give_opinion(mohw_consultation, by=other_liaison, position="concur", opinion="Agreed.")
    services.start_review(proposal, by=secretariat)
    services.accept_proposal(proposal, by=secretariat, open_consultations="keep")
    meeting = cast.make_meeting(
        committee,
        secretariat,
        days_ahead=7,
        title="3rd plenary meeting",
        location="Government Complex Seoul, room 301",
        online_link="https://meet.example/nbc-3",
    )
    services.add_agenda_item(meeting, by=secretariat, proposal=proposal)
    return services.publish_agenda(meeting, by=secretariat)


@pytest.fixture
def later_meeting(committee, secretariat):
    meeting = cast.make_meeting(committee, secretariat, days_ahead=21, title="4th plenary meeting")
    services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.REPORT, title="Annual report")
    return services.publish_agenda(meeting, by=secretariat)


@pytest.fixture
def other_committee_meeting(db):
    """A sooner meeting of another committee, with its own member."""
    health = cast.make_committee("NBC-HEALTH")
    secretariat = cast.make_secretariat(health, "secretariat-health")
    cast.make_member(health, "member-health")
    meeting = cast.make_meeting(health, secretariat, days_ahead=2, title="Health subcommittee meeting")
    services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.BRIEFING, title="Hospital data briefing")
    return services.publish_agenda(meeting, by=secretariat)


def test_home_shows_the_next_meeting_first_with_place_link_agenda_summaries_and_positions(
    login, member, next_meeting, later_meeting, other_committee_meeting
):
    page = login(member).get(reverse("portal:home")).content.decode()
    card = page.index('id="next-meeting-heading"')
    assert card < page.index('id="recent-heading"') and card < page.index('id="meetings-heading"')
    first = page[card : page.index("</section>", card)]
    assert "3rd plenary meeting" in first and "4th plenary meeting" not in first
    assert timezone.localtime(next_meeting.starts_at).strftime("%Y-%m-%d") in first
    assert "Government Complex Seoul, room 301" in first
    assert 'href="https://meet.example/nbc-3"' in first
    assert "Biobank data sharing" in first and "Open the national biobank to researchers." in first
    assert "Concur: MOHW" in first and "No opinion yet: MOTIE" in first
    assert "You have not replied yet." in first
    assert "Health subcommittee meeting" not in page


def test_a_member_of_another_committee_sees_their_own_meeting_not_ours(
    login, next_meeting, other_committee_meeting, django_user_model
):
    page = login(django_user_model.objects.get(username="member-health")).get(reverse("portal:home")).content.decode()
    assert "Health subcommittee meeting" in page and "Hospital data briefing" in page
    assert "3rd plenary meeting" not in page and "Biobank data sharing" not in page


def test_an_unpublished_agenda_is_not_shown_on_the_home_page(login, committee, secretariat, member):
    meeting = cast.make_meeting(committee, secretariat, days_ahead=5, title="Planned meeting")
    services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.REPORT, title="Secret working draft")
    page = login(member).get(reverse("portal:home")).content.decode()
    assert "Planned meeting" in page and "The agenda is not published yet." in page
    assert "Secret working draft" not in page


def test_cancelled_and_past_meetings_are_not_the_next_meeting(login, committee, secretariat, member, later_meeting):
    cancelled = cast.make_meeting(committee, secretariat, days_ahead=3, title="Cancelled meeting")
    services.cancel_meeting(cancelled, by=secretariat)
    page = login(member).get(reverse("portal:home")).content.decode()
    first = page[page.index('id="next-meeting-heading"') :]
    assert first.index("4th plenary meeting") < first.index("</section>")
    assert "Cancelled meeting" not in first[: first.index("</section>")]


def test_a_member_replies_from_the_home_page_and_sees_the_reply(login, member, next_meeting):
    client = login(member)
    response = client.post(
        reverse("portal:meeting_reply", args=[next_meeting.pk]), {"answer": A.ATTENDING, "next": "/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    reply = AttendanceReply.objects.get(meeting=next_meeting, member=member)
    assert reply.answer == A.ATTENDING
    page = client.get("/").content.decode()
    assert "Your reply:" in page and "You have not replied yet." not in page


def test_a_delegate_without_a_name_comes_back_with_the_choice_kept_and_nothing_saved(login, member, next_meeting):
    response = login(member).post(
        reverse("portal:meeting_reply", args=[next_meeting.pk]), {"answer": A.DELEGATE, "delegate_name": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Name the delegate." in page
    assert re.search(r'value="delegate"[^>]*checked', page)
    assert not AttendanceReply.objects.exists()


def test_the_meeting_page_offers_the_reply_form_and_the_delegate_reply_is_shown(login, member, next_meeting):
    client = login(member)
    url = reverse("portal:meeting", args=[next_meeting.pk])
    assert 'name="answer"' in client.get(url).content.decode()
    client.post(
        reverse("portal:meeting_reply", args=[next_meeting.pk]),
        {"answer": A.DELEGATE, "delegate_name": "Dr. Kim", "next": url},
    )
    assert "Dr. Kim" in client.get(url).content.decode()


def test_a_liaison_who_is_no_member_is_refused_with_a_reason(login, lead_liaison, next_meeting):
    client = login(lead_liaison)
    url = reverse("portal:meeting_reply", args=[next_meeting.pk])
    response = client.post(url, {"answer": A.ATTENDING})
    assert response.status_code == 403 and "Only members of the committee" in response.content.decode()
    assert client.get(url).status_code == 403
    assert 'name="answer"' not in client.get(reverse("portal:meeting", args=[next_meeting.pk])).content.decode()
    assert not AttendanceReply.objects.exists()


def test_a_cancelled_meeting_refuses_replies_with_a_conflict(login, member, secretariat, next_meeting):
    services.cancel_meeting(next_meeting, by=secretariat)
    client = login(member)
    url = reverse("portal:meeting_reply", args=[next_meeting.pk])
    response = client.get(url)
    assert response.status_code == 409 and "cancelled" in response.content.decode()
    assert client.post(url, {"answer": A.ATTENDING}).status_code == 409


def test_the_reply_page_of_an_invisible_meeting_is_not_found(login, next_meeting, outsider):
    assert login(outsider).get(reverse("portal:meeting_reply", args=[next_meeting.pk])).status_code == 404


def test_a_member_without_upcoming_meetings_is_told_so(login, member):
    page = login(member).get(reverse("portal:home")).content.decode()
    assert "No meeting of your committees is planned." in page


def test_the_next_meeting_is_the_soonest_to_come_after_the_clock_moves(login, member, next_meeting, later_meeting):
    with time_machine.travel(next_meeting.starts_at + datetime.timedelta(hours=1), tick=True):
        page = login(member).get(reverse("portal:home")).content.decode()
    first = page[page.index('id="next-meeting-heading"') :]
    assert "4th plenary meeting" in first[: first.index("</section>")]
