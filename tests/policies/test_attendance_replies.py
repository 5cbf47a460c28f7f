"""A member's reply to a meeting invitation: who may reply, to which meetings, and what the desk reads from it."""

import datetime

import icalendar
import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone

from committee.directory.models import CommitteeMembership
from committee.settings import organizer_mailbox
from policies import services
from policies.calendar import invitation_attachment
from policies.models import AgendaItem, Attendance, AttendanceReply
from policies.queries.meetings import attendance_replies
from policies.workflow import InvalidState, NotPermitted
from tests import cast

pytestmark = pytest.mark.django_db
A = AttendanceReply.Answer


def published(committee, secretariat, **fields):
    meeting = cast.make_meeting(committee, secretariat, **fields)
    services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.REPORT, title="Progress report")
    return services.publish_agenda(meeting, by=secretariat)


def test_a_member_replies_and_changes_the_reply_which_stays_one_row(committee, secretariat, member):
    meeting = published(committee, secretariat)
    services.reply_to_invitation(meeting, by=member, answer=A.ATTENDING)
    reply = services.reply_to_invitation(meeting, by=member, answer=A.DELEGATE, delegate_name="  Dr. Kim  ")
    assert AttendanceReply.objects.filter(meeting=meeting, member=member).count() == 1
    assert (reply.answer, reply.delegate_name) == (A.DELEGATE, "Dr. Kim")
    reply = services.reply_to_invitation(meeting, by=member, answer=A.ABSENT, delegate_name="ignored")
    assert (reply.answer, reply.delegate_name) == (A.ABSENT, "")


def test_a_planned_meeting_takes_replies_too(committee, secretariat, member):
    meeting = cast.make_meeting(committee, secretariat)
    assert services.reply_to_invitation(meeting, by=member, answer=A.ATTENDING).answer == A.ATTENDING


def test_sending_a_delegate_needs_the_delegates_name(committee, secretariat, member):
    meeting = published(committee, secretariat)
    with pytest.raises(ValidationError) as refused:
        services.reply_to_invitation(meeting, by=member, answer=A.DELEGATE, delegate_name="   ")
    assert "delegate_name" in refused.value.message_dict
    assert not AttendanceReply.objects.exists()


def test_an_unknown_answer_is_invalid_input(committee, secretariat, member):
    with pytest.raises(ValidationError):
        services.reply_to_invitation(published(committee, secretariat), by=member, answer="maybe")


@pytest.mark.parametrize("who", ["outsider", "lead_liaison", "secretariat"])
def test_only_members_reply(committee, secretariat, request, who):
    meeting = published(committee, secretariat)
    with pytest.raises(NotPermitted, match="Only members of the committee"):
        services.reply_to_invitation(meeting, by=request.getfixturevalue(who), answer=A.ATTENDING)
    assert not AttendanceReply.objects.exists()


def test_a_member_whose_term_ends_before_the_meeting_day_does_not_reply(committee, secretariat, member):
    meeting = published(committee, secretariat, days_ahead=30)
    CommitteeMembership.objects.filter(user=member).update(term_end=timezone.localdate() + datetime.timedelta(days=3))
    with pytest.raises(NotPermitted):
        services.reply_to_invitation(meeting, by=member, answer=A.ATTENDING)


def test_a_cancelled_meeting_takes_no_reply(committee, secretariat, member):
    meeting = services.cancel_meeting(published(committee, secretariat), by=secretariat)
    with pytest.raises(InvalidState, match="cancelled"):
        services.reply_to_invitation(meeting, by=member, answer=A.ATTENDING)


def test_a_held_meeting_takes_no_reply(committee, secretariat, member):
    meeting = published(committee, secretariat)
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=3), tick=True):
        meeting = services.mark_meeting_held(meeting, by=secretariat)
        with pytest.raises(InvalidState, match="already held"):
            services.reply_to_invitation(meeting, by=member, answer=A.ATTENDING)


def test_a_meeting_that_has_started_takes_no_reply(committee, secretariat, member):
    meeting = published(committee, secretariat)
    later = meeting.starts_at + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=True), pytest.raises(InvalidState, match="already started"):
        services.reply_to_invitation(meeting, by=member, answer=A.ATTENDING)


def test_the_desk_reads_every_member_with_their_reply_or_none(committee, secretariat, member, outsider):
    second = cast.make_member(committee, "member-2")
    former = cast.make_member(committee, "member-former")
    meeting = published(committee, secretariat, days_ahead=30)
    services.reply_to_invitation(meeting, by=second, answer=A.DELEGATE, delegate_name="Dr. Lee")
    services.reply_to_invitation(meeting, by=former, answer=A.ATTENDING)
    CommitteeMembership.objects.filter(user=former).update(term_end=timezone.localdate() + datetime.timedelta(days=3))
    rows = attendance_replies(meeting)
    assert [(row.member, row.reply is not None) for row in rows] == [(second, True), (member, False)]
    assert rows[0].attendance_status == Attendance.Status.REPRESENTED
    assert rows[0].reply.delegate_name == "Dr. Lee"
    assert rows[1].attendance_status is None


def test_each_answer_prefills_the_matching_attendance_status():
    assert {answer: AttendanceReply(answer=answer).attendance_status for answer in A.values} == {
        "attending": Attendance.Status.PRESENT,
        "delegate": Attendance.Status.REPRESENTED,
        "absent": Attendance.Status.ABSENT,
    }


def test_the_invitations_organizer_is_the_secretariats_mailbox_not_noreply(committee, secretariat, settings):
    settings.COMMITTEE_ORGANIZER_EMAIL = "nbc-secretariat@bio-committee.example"
    meeting = cast.make_meeting(committee, secretariat)
    attachment = invitation_attachment(meeting, method="REQUEST", url="https://desk.example/m/1/")
    event = icalendar.Calendar.from_ical(attachment.content.decode("utf-8")).walk("VEVENT")[0]
    assert str(event["ORGANIZER"]) == "mailto:nbc-secretariat@bio-committee.example"


def test_the_organizer_defaults_to_the_secretariat_mailbox_of_the_sending_domain_and_refuses_noreply():
    assert organizer_mailbox("", "Desk <noreply@bio.example>") == "secretariat@bio.example"
    assert organizer_mailbox("office@nbc.go.kr", "Desk <noreply@bio.example>") == "office@nbc.go.kr"
    for bad in ("noreply@bio.example", "no-reply@bio.example", "do_not_reply@bio.example", "nobody"):
        with pytest.raises(ImproperlyConfigured):
            organizer_mailbox(bad, "Desk <noreply@bio.example>")
