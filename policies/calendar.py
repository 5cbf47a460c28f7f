"""The one calendar builder: a meeting as an iCalendar invitation, and as the attachment an email carries.

Every invitation of a meeting has the same UID and the meeting's current SEQUENCE, so calendars update or
cancel the event they already hold instead of adding another.
"""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

from committee.outbox.attachments import Attachment

FILENAME = "invitation.ics"
DEFAULT_LENGTH = datetime.timedelta(hours=2)  # a meeting without an end is shown this long


def meeting_invitation(meeting, *, method: str, url: str, recipient=None) -> str:
    """An iCalendar invitation for the meeting (`method` REQUEST or CANCEL), linking to `url`."""
    seoul = timezone.get_default_timezone()
    starts_at = timezone.localtime(meeting.starts_at, seoul)
    ends_at = timezone.localtime(meeting.ends_at, seoul) if meeting.ends_at else starts_at + DEFAULT_LENGTH
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//National Bio Committee//Bio Committee Desk//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", meeting.invitation_uid)
    event.add("sequence", meeting.invitation_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", f"{meeting.committee.code} {meeting.title}")
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", url)
    if meeting.online_link:
        event.add("description", meeting.online_link)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", _organizer(meeting))
    if recipient is not None and recipient.email:
        event.add("attendee", _attendee(recipient))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def _organizer(meeting) -> icalendar.vCalAddress:
    organizer = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = icalendar.vText(meeting.committee.name_en)
    return organizer


def _attendee(recipient) -> icalendar.vCalAddress:
    attendee = icalendar.vCalAddress(f"mailto:{recipient.email}")
    attendee.params["cn"] = icalendar.vText(recipient.get_full_name() or recipient.username)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
    return attendee


def invitation_attachment(meeting, *, method: str, url: str, recipient=None) -> Attachment:
    """The invitation as a text/calendar attachment whose content type names its method, as clients expect."""
    text = meeting_invitation(meeting, method=method, url=url, recipient=recipient)
    return Attachment.text(FILENAME, text, f"text/calendar; charset=utf-8; method={method}")
