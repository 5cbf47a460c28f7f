"""The header's language switch: for a signed-in person it changes their setting, the one the settings page shows."""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as set_language_cookie

from policies import services


@require_POST
def set_language(request):
    """Store the choice in the profile (signed in) and in the cookie (everyone), then go back where one was."""
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.update_preferences(request.user, by=request.user, language=language)
    return set_language_cookie(request)
