"""Django's own Korean strings that read wrong, translated again in locale/ko (LOCALE_PATHS win over Django's).

Listed here so that makemessages keeps them in the project's catalogue.
"""

from django.utils.translation import gettext_noop

RETRANSLATED = [
    gettext_noop("Select %s to view"),  # Django 5.2's Korean has a stray digit: "보기위한 1%s 를(을) 선택"
]
