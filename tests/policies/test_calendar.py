"""The calendar builder: one invitation per meeting, carried as a text/calendar attachment naming its method."""

import ast
import datetime
from pathlib import Path

import icalendar
import pytest

import policies.calendar
from policies.calendar import invitation_attachment
from tests import cast

pytestmark = pytest.mark.django_db


def test_a_cancellation_is_a_text_calendar_attachment_whose_type_names_its_method(committee, secretariat, member):
    meeting = cast.make_meeting(committee, secretariat)
    attachment = invitation_attachment(meeting, method="CANCEL", url="https://desk.example/m/1/", recipient=member)
    assert attachment.filename == "invitation.ics"
    assert attachment.content_type == "text/calendar; charset=utf-8; method=CANCEL"
    calendar = icalendar.Calendar.from_ical(attachment.content.decode("utf-8"))
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert str(event["URL"]) == "https://desk.example/m/1/"
    assert str(event["ATTENDEE"]) == f"mailto:{member.email}"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(hours=2)  # no end given


def event_of(meeting, **kwargs) -> icalendar.Event:
    invitation = invitation_attachment(meeting, method="REQUEST", url="https://desk.example/m/1/", **kwargs)
    return icalendar.Calendar.from_ical(invitation.content.decode("utf-8")).walk("VEVENT")[0]


def test_an_invitation_names_its_recipient_as_attendee_only_when_they_have_an_address(committee, secretariat, member):
    meeting = cast.make_meeting(committee, secretariat)
    assert str(event_of(meeting, recipient=member)["ATTENDEE"]) == f"mailto:{member.email}"
    assert "ATTENDEE" not in event_of(meeting, recipient=None)
    member.email = ""
    assert "ATTENDEE" not in event_of(meeting, recipient=member)  # never a bare "mailto:"


def test_the_place_and_the_online_link_are_in_the_event_only_when_the_meeting_has_them(committee, secretariat):
    meeting = cast.make_meeting(committee, secretariat, location="Sejong", online_link="https://meet.example/nbc")
    event = event_of(meeting)
    assert str(event["LOCATION"]) == "Sejong" and str(event["DESCRIPTION"]) == "https://meet.example/nbc"
    in_person = event_of(cast.make_meeting(committee, secretariat, location="Sejong", online_link=""))
    assert "DESCRIPTION" not in in_person
    online = event_of(cast.make_meeting(committee, secretariat, location="", online_link="https://meet.example/n"))
    assert "LOCATION" not in online


def test_the_calendar_builder_knows_of_the_outbox_only_its_attachment_and_of_the_directory_only_names():
    tree = ast.parse(Path(policies.calendar.__file__).read_text())
    ours = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(("committee", "policies"))
    ]
    ours += [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith(("committee", "policies"))
    ]
    assert sorted(ours) == ["committee.directory.names", "committee.outbox.attachments"]
