"""Reads about meetings: quorum and attendance figures, and who has replied to the invitation."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from policies.models import Attendance, AttendanceReply, Meeting


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


@dataclass(frozen=True)
class ReplyRow:
    """One member of the committee on the meeting day, and their reply to the invitation if they gave one."""

    member: object  # a User
    role: str  # CommitteeMembership.Role value
    reply: AttendanceReply | None

    @property
    def attendance_status(self) -> str | None:
        """The attendance sheet's status the reply announces; None for a member who has not replied."""
        return self.reply.attendance_status if self.reply else None


def attendance_replies(meeting: Meeting) -> list[ReplyRow]:
    """Every member on the meeting day with their reply or None, replies first, each part by name; two queries.

    Replies of people who are no longer members that day are left out: the sheet lists members only.
    """
    meeting_day = timezone.localtime(meeting.starts_at).date()
    memberships = (
        meeting.committee.current_memberships(on=meeting_day)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    )
    replies = {reply.member_id: reply for reply in AttendanceReply.objects.filter(meeting=meeting)}
    rows, seen = [], set()
    for membership in memberships:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        rows.append(ReplyRow(member=membership.user, role=membership.role, reply=replies.get(membership.user_id)))
    return sorted(rows, key=lambda row: row.reply is None)
