"""A member's reply to a meeting invitation: attending, sending a delegate, or absent.

One reply per member and meeting, changed as often as the member likes until the meeting starts; the
secretariat's attendance sheet starts from it (`queries.meetings.attendance_replies`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policies.models import AttendanceReply, Meeting
from policies.workflow import MEETINGS, InvalidState, NotPermitted, WorkflowError

from .audit import audit_change
from .meetings import lock_meeting


def require_open_for_replies(meeting: Meeting) -> None:
    """Replies are for meetings still to come: not cancelled, not held, not begun."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise InvalidState(_("This meeting was cancelled; no reply is needed."))
    if meeting.status not in MEETINGS.open_states:
        raise InvalidState(_("This meeting was already held; replies are closed."))
    if meeting.starts_at <= timezone.now():
        raise InvalidState(_("This meeting has already started; tell the secretariat directly."))


def require_member(meeting: Meeting, user) -> None:
    """Only those who are members of the meeting's committee on the meeting day reply."""
    meeting_day = timezone.localtime(meeting.starts_at).date()
    if not meeting.committee.current_memberships(on=meeting_day).filter(user_id=user.pk).exists():
        raise NotPermitted(_("Only members of the committee reply to its meeting invitations."))


def why_no_reply(meeting: Meeting, user) -> WorkflowError | None:
    """Why `user` may not reply to this meeting, or None when they may: the verb's own checks, asked ahead."""
    try:
        require_member(meeting, user)
        require_open_for_replies(meeting)
    except WorkflowError as error:
        return error
    return None


@transaction.atomic
def reply_to_invitation(meeting: Meeting, *, by, answer: str, delegate_name: str = "") -> AttendanceReply:
    """Record (or change) `by`'s own answer to the meeting's invitation."""
    locked = lock_meeting(meeting)
    require_member(locked, by)
    require_open_for_replies(locked)
    if answer not in AttendanceReply.Answer.values:
        raise ValidationError({"answer": _("Choose attending, sending a delegate or absent.")})
    reply = AttendanceReply.objects.select_for_update().filter(meeting=locked, member=by).first()
    if reply is None:
        reply = AttendanceReply(meeting=locked, member=by)
    reply.answer = answer
    reply.delegate_name = delegate_name.strip() if answer == AttendanceReply.Answer.DELEGATE else ""
    reply.replied_at = timezone.now()
    reply.full_clean()
    reply.save()
    audit_change("attendance.replied", reply, by=by)
    return reply
