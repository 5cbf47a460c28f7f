"""The invitation email's reply links: signed for one member, meeting and answer; opening one records nothing."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings

from committee.outbox.models import OutboundEmail
from policies import reply_links, services
from policies.models import AgendaItem, AttendanceReply
from tests import cast

pytestmark = pytest.mark.django_db
A = AttendanceReply.Answer
LINK = re.compile(r"https?://\S+/meetings/reply/\?token=[^\s\"<>&]+")


@pytest.fixture
def meeting(committee, secretariat, member, lead_liaison):
    meeting = cast.make_meeting(committee, secretariat, days_ahead=10)
    services.add_agenda_item(
        meeting,
        by=secretariat,
        kind=AgendaItem.Kind.REPORT,
        title="Progress report",
        presenter=lead_liaison.profile.agency,
    )
    return services.publish_agenda(meeting, by=secretariat)


def links_in(person, kind="agenda_published") -> dict[str, str]:
    """The reply links of the person's invitation email, as paths, by answer (in the order of the choices)."""
    email = OutboundEmail.objects.get(kind=kind, to_address=person.email)
    text_links = LINK.findall(email.body_text)
    assert LINK.findall(email.body_html) == text_links
    paths = [urlsplit(link)._replace(scheme="", netloc="").geturl() for link in text_links]
    return dict(zip(A.values, paths, strict=True)) if paths else {}


def test_the_members_invitation_carries_one_link_per_answer_on_the_site(member, meeting):
    email = OutboundEmail.objects.get(kind="agenda_published", to_address=member.email)
    links = LINK.findall(email.body_text)
    assert len(links) == 3 and all(link.startswith(settings.SITE_URL) for link in links)
    for answer, path in links_in(member).items():
        link = reply_links.read_token(path.split("token=", 1)[1])
        assert (link.meeting_id, link.user_id, link.answer) == (meeting.pk, member.pk, answer)


def test_a_liaison_who_is_no_member_gets_the_invitation_without_reply_links(lead_liaison, meeting):
    assert links_in(lead_liaison) == {}


def test_a_changed_agenda_carries_fresh_links_too(member, secretariat, meeting):
    services.update_meeting(meeting, by=secretariat, changes={"location": "Sejong"})
    assert len(links_in(member, kind="agenda_changed")) == 3


def test_opening_a_link_shows_a_confirmation_and_records_nothing(client, member, meeting):
    response = client.get(links_in(member)[A.ATTENDING])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirm my reply" in page and "Attending" in page
    assert not AttendanceReply.objects.exists()


def test_confirming_records_the_reply_without_signing_in_and_says_so(client, member, meeting):
    path = links_in(member)[A.ABSENT]
    token = path.split("token=", 1)[1]
    response = client.post("/meetings/reply/", {"token": token})
    assert response.status_code == 200 and "your reply is recorded" in response.content.decode()
    reply = AttendanceReply.objects.get(meeting=meeting, member=member)
    assert reply.answer == A.ABSENT


def test_the_delegate_link_asks_for_the_name_and_refuses_without_it(client, member, meeting):
    path = links_in(member)[A.DELEGATE]
    token = path.split("token=", 1)[1]
    assert 'name="delegate_name"' in client.get(path).content.decode()
    refused = client.post("/meetings/reply/", {"token": token, "delegate_name": ""})
    assert refused.status_code == 400 and "Name the delegate." in refused.content.decode()
    assert not AttendanceReply.objects.exists()
    client.post("/meetings/reply/", {"token": token, "delegate_name": "Dr. Park"})
    assert AttendanceReply.objects.get(member=member).delegate_name == "Dr. Park"


def test_a_tampered_link_is_refused_with_a_page_not_an_error(client, member, meeting):
    path = links_in(member)[A.ATTENDING]
    tampered = path[:-3] + ("abc" if not path.endswith("abc") else "xyz")
    for response in (client.get(tampered), client.post("/meetings/reply/", {"token": tampered.split("=", 1)[1]})):
        assert response.status_code == 400
        assert "This reply link is not valid." in response.content.decode()
    forged = reply_links.make_token(meeting.pk, member.pk, "attending").replace(":", ".", 1)
    assert client.get(f"/meetings/reply/?token={forged}").status_code == 400
    assert client.get("/meetings/reply/").status_code == 400
    assert not AttendanceReply.objects.exists()


def test_a_link_signed_for_another_purpose_is_refused(client, member, meeting):
    from django.core import signing

    other_salt = signing.dumps({"m": meeting.pk, "u": member.pk, "a": "attending"}, salt="committee.outbox.unsubscribe")
    assert client.get(f"/meetings/reply/?token={other_salt}").status_code == 400


def test_an_expired_link_is_refused_with_a_page_saying_so(client, member, meeting):
    path = links_in(member)[A.ATTENDING]
    with time_machine.travel(datetime.timedelta(days=settings.ATTENDANCE_REPLY_LINK_DAYS + 1), tick=True):
        response = client.get(path)
    assert response.status_code == 400 and "This reply link has expired." in response.content.decode()
    assert not AttendanceReply.objects.exists()


def test_another_members_link_is_refused_while_signed_in(client, member, meeting, committee):
    colleague = cast.make_member(committee, "member-2")
    path = links_in(member)[A.ATTENDING]
    client.force_login(colleague)
    response = client.get(path)
    assert response.status_code == 403 and "sent to another member" in response.content.decode()
    token = path.split("token=", 1)[1]
    assert client.post("/meetings/reply/", {"token": token}).status_code == 403
    assert not AttendanceReply.objects.exists()


def test_a_link_to_a_cancelled_meeting_says_why_it_cannot_be_used(client, member, secretariat, meeting):
    token = links_in(member)[A.ATTENDING].split("token=", 1)[1]
    services.cancel_meeting(meeting, by=secretariat)
    response = client.post("/meetings/reply/", {"token": token})
    assert response.status_code == 409 and "cancelled" in response.content.decode()
    assert not AttendanceReply.objects.exists()


def test_the_admin_hides_the_links_secret(member, meeting):
    from committee.outbox.unsubscribe import mask_tokens

    email = OutboundEmail.objects.get(kind="agenda_published", to_address=member.email)
    tokens = [link.split("token=", 1)[1] for link in LINK.findall(email.body_text)]
    assert len(tokens) == 3
    masked = mask_tokens(email.body_text) + mask_tokens(email.body_html)
    assert not any(token in masked for token in tokens)
