"""Signed one-click links in an invitation email: attend, send a delegate or stay away, for one member and meeting.

A link names the member, the meeting and the answer, signed with its own salt and valid for
settings.ATTENDANCE_REPLY_LINK_DAYS. Opening it only shows a confirmation page; the answer is recorded when
the member presses its button (a POST), so mail scanners that follow links answer for nobody.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import AttendanceReply

SALT = "policies.attendance-reply"


@dataclass(frozen=True)
class ReplyLink:
    meeting_id: int
    user_id: int
    answer: str


def make_token(meeting_id: int, user_id: int, answer: str) -> str:
    return signing.dumps({"m": meeting_id, "u": user_id, "a": answer}, salt=SALT, compress=True)


def max_age() -> timedelta:
    return timedelta(days=settings.ATTENDANCE_REPLY_LINK_DAYS)


def read_token(token: str) -> ReplyLink:
    """What a link was made for; raises signing.SignatureExpired when too old, signing.BadSignature when not ours."""
    data = signing.loads(token, salt=SALT, max_age=max_age())
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("m"), int)
        or not isinstance(data.get("u"), int)
        or data.get("a") not in AttendanceReply.Answer.values
    ):
        raise signing.BadSignature("malformed attendance reply token")
    return ReplyLink(meeting_id=data["m"], user_id=data["u"], answer=data["a"])


def reply_links(meeting, user) -> list[tuple[str, str]]:
    """(label, absolute URL) for each answer, in the order of the choices."""
    path = reverse("portal:reply_link")
    return [
        (label, f"{settings.SITE_URL}{path}?token={make_token(meeting.pk, user.pk, value)}")
        for value, label in AttendanceReply.Answer.choices
    ]
