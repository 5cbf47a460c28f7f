"""The one source of a signed-in person's interface language: their profile.

The settings page shows `Profile.language`, emails are written in it, and so the pages are too; the language
cookie and the browser's Accept-Language (Django's LocaleMiddleware) decide only for people not signed in.
Changing the language anywhere (the settings page, the header's switch, the API) changes the profile.
"""

from django.conf import settings
from django.utils import translation

from .models import profile_of


def profile_language(user) -> str | None:
    profile = profile_of(user)
    language = profile.language if profile is not None else None
    return language if language in dict(settings.LANGUAGES) else None


class ProfileLanguageMiddleware:
    """After authentication: a signed-in person's pages are in their profile's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = profile_language(getattr(request, "user", None))
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
