"""Template filters for amounts: `{{ proposal.estimated_budget_krw|won }}` shows ₩12,000,000,000."""

from django import template

from policies.amounts import format_won

register = template.Library()


@register.filter
def won(value) -> str:
    return format_won(value) if isinstance(value, int) else ""
