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
