"""Reads about meetings: quorum and attendance figures."""

from django.db.models import Count
from django.utils import timezone

from policies.models import Attendance, Meeting


def quorum_status(meeting: Meeting) -> dict:
    """Members on the meeting day, how many make a quorum, how many attend, and whether that suffices."""
    meeting_day = timezone.localtime(meeting.starts_at).date()
    member_ids = set(meeting.committee.current_memberships(on=meeting_day).values_list("user_id", flat=True))
    counted = [Attendance.Status.PRESENT]
    if meeting.committee.delegates_count_for_quorum:
        counted.append(Attendance.Status.REPRESENTED)
    attending = meeting.attendances.filter(member_id__in=member_ids, status__in=counted).count()
    recorded = meeting.attendances.exists()
    required = meeting.committee.quorum_for(len(member_ids))
    return {
        "members": len(member_ids),
        "required": required,
        "attending": attending,
        "recorded": recorded,
        "has_quorum": recorded and attending >= required,
    }


def attendance_counts(meeting: Meeting) -> list[tuple[str, int]]:
    """(label, how many) for each attendance status, in the order of the choices, zeros included."""
    counts = dict(meeting.attendances.values_list("status").annotate(n=Count("id")))
    return [(label, counts.get(value, 0)) for value, label in Attendance.Status.choices]
