"""{{ user|display_name }}: a person's name in the order the page's language expects (committee/directory/names.py)."""

from django import template

from committee.directory import names

register = template.Library()


@register.filter
def display_name(user) -> str:
    return names.display_name(user)
