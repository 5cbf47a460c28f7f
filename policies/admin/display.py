"""How the admin shows values people read: overdue markers, amounts in won, formatted proposal text."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from policies.richtext import clean_rich_text


def overdue_marker(is_overdue: bool) -> str:
    """Overdue in red words with a warning sign; on time in quiet green words (a tick would read as "good")."""
    if is_overdue:
        return format_html('<span class="marker marker-overdue">⚠ {}</span>', gettext("Overdue"))
    return format_html('<span class="marker marker-on-time">{}</span>', gettext("On time"))


def won(amount) -> str:
    """An amount of Korean won with thousands separators (₩35,000,000,000), or a dash when there is none."""
    if amount is None:
        return "—"
    return f"₩{int(amount):,}"


def rendered_rich_text(html: str) -> str:
    """Stored proposal text as formatted HTML, sanitised again on the way out so nothing but markup survives."""
    # Safe: nh3 has just sanitised it (policies/richtext.py).
    return format_html('<div class="rich-text">{}</div>', mark_safe(clean_rich_text(html or "")))  # nosec B308 B703
