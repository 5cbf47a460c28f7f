"""The meeting page's read-only list of members' replies to the invitation, and who has not replied."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committee.directory.names import display_name
from policies.queries.meetings import attendance_replies


@admin.display(description=_("replies to the invitation"))
def invitation_replies(modeladmin, obj) -> str:
    rows = attendance_replies(obj)
    if not rows:
        return gettext("The committee has no members on the meeting day.")
    replied = [row for row in rows if row.reply is not None]
    waiting = [row for row in rows if row.reply is None]
    answers = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                display_name(row.member),
                row.reply.get_answer_display(),
                row.reply.delegate_name,
                timezone.localtime(row.reply.replied_at).strftime("%Y-%m-%d %H:%M"),
            )
            for row in replied
        ),
    )
    return format_html(
        '<p>{}</p><table class="invitation-replies"><tbody>{}</tbody></table><p>{} {}</p>',
        gettext("%(replied)s of %(members)s members replied.") % {"replied": len(replied), "members": len(rows)},
        answers,
        gettext("No reply yet:") if waiting else "",
        ", ".join(display_name(row.member) for row in waiting) or "",
    )
