"""`{{ proposal.body|rich_text }}`: the stored body, sanitised again as it is shown (it was when written)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from policies.richtext import clean_rich_text

register = template.Library()


@register.filter
def rich_text(value) -> SafeString:
    # Sanitised on the way in (services) and again on the way out, so a row written before the rules or
    # past the services still cannot carry a script into the page.
    return mark_safe(clean_rich_text(str(value or "")))  # nosec B308 B703: just sanitised by nh3
