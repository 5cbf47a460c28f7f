"""The one calendar builder: a meeting as an iCalendar invitation, and as the attachment an email carries.

Every invitation of a meeting has the same UID and the meeting's current SEQUENCE, so calendars update or
cancel the event they already hold instead of adding another.
"""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.directory.names import name_for
from committee.outbox.attachments import Attachment

FILENAME = "invitation.ics"
DEFAULT_LENGTH = datetime.timedelta(hours=2)  # a meeting without an end is shown this long


def meeting_invitation(meeting, *, method: str, url: str, recipient=None) -> str:
    """An iCalendar invitation for the meeting (`method` REQUEST or CANCEL), linking to `url`."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//National Bio Committee//Bio Committee Desk//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    status = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    event = meeting_event(meeting, url=url, dtstamp=timezone.now(), status=status)
    event.add("organizer", _organizer(meeting))
    if recipient is not None and recipient.email:
        event.add("attendee", _attendee(recipient))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def meeting_event(meeting, *, url: str, dtstamp, status: str) -> icalendar.Event:
    """The meeting as an event, alike in invitations and feeds: same UID, current SEQUENCE."""
    seoul = timezone.get_default_timezone()
    starts_at = timezone.localtime(meeting.starts_at, seoul)
    ends_at = timezone.localtime(meeting.ends_at, seoul) if meeting.ends_at else starts_at + DEFAULT_LENGTH
    event = icalendar.Event()
    event.add("uid", meeting.invitation_uid)
    event.add("sequence", meeting.invitation_sequence)
    event.add("dtstamp", dtstamp)
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", f"{meeting.committee.code} {meeting.title}")
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", url)
    if meeting.online_link:
        event.add("description", meeting.online_link)
    event.add("status", status)
    return event


def _organizer(meeting) -> icalendar.vCalAddress:
    # The secretariat's mailbox (settings.COMMITTEE_ORGANIZER_EMAIL), never the sending-only address: calendar
    # clients send replies and questions to the organizer.
    organizer = icalendar.vCalAddress(f"mailto:{settings.COMMITTEE_ORGANIZER_EMAIL}")
    organizer.params["cn"] = icalendar.vText(meeting.committee.name_en)
    return organizer


def _attendee(recipient) -> icalendar.vCalAddress:
    attendee = icalendar.vCalAddress(f"mailto:{recipient.email}")
    attendee.params["cn"] = icalendar.vText(name_for(recipient, recipient))
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
    return attendee


def invitation_attachment(meeting, *, method: str, url: str, recipient=None) -> Attachment:
    """The invitation as a text/calendar attachment whose content type names its method, as clients expect."""
    text = meeting_invitation(meeting, method=method, url=url, recipient=recipient)
    return Attachment.text(FILENAME, text, f"text/calendar; charset=utf-8; method={method}")


# --- feeds: every event a person or committee follows, for a calendar client to subscribe to -----------


def feed(name: str, content, *, links, updated_at) -> str:
    """A subscribed calendar (no METHOD): meetings with the UID and SEQUENCE of their invitations, so a client
    holding an emailed invitation sees one event, and deadlines and due dates as all-day events.

    `links` maps an object to its page; DTSTAMP is the feed's last change (`updated_at`), so the same data
    gives the same bytes and conditional GETs work.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//National Bio Committee//Bio Committee Desk//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for meeting in content.meetings:
        status = FEED_STATUS.get(meeting.status, "CONFIRMED")
        calendar.add_component(meeting_event(meeting, url=links(meeting), dtstamp=updated_at, status=status))
    for consultation in content.consultations:
        summary = _("Opinion due: %(reference)s %(title)s") % {
            "reference": consultation.proposal.reference,
            "title": consultation.proposal.title,
        }
        uid = f"consultation-{consultation.pk}@bio-committee-desk"
        calendar.add_component(_all_day(uid, consultation.deadline, summary, links(consultation), updated_at))
    for action in content.actions:
        summary = _("Follow-up action due: %(title)s") % {"title": action.title}
        uid = f"action-{action.pk}@bio-committee-desk"
        calendar.add_component(_all_day(uid, action.due_date, summary, links(action), updated_at))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


FEED_STATUS = {"cancelled": "CANCELLED", "planned": "TENTATIVE"}  # published and held meetings: CONFIRMED


def _all_day(uid: str, day: datetime.date, summary: str, url: str, updated_at) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", updated_at)
    event.add("dtstart", day)  # a date: an all-day event (VALUE=DATE)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event
