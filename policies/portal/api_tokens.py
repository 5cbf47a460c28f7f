"""The portal's settings page lets people revoke their API tokens (listed there by the preferences view)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from committee.directory import tokens


def token_context(user) -> dict:
    """What the settings page shows about the user's tokens: never more than a prefix of each."""
    return {
        "api_tokens": list(tokens.tokens_of(user)),
        "api_token_idle_days": settings.API_TOKEN_IDLE_SECONDS // 86400,
    }


@login_required
@require_POST
def api_token_revoke(request):
    # Another user's key is no match: it reads like a token that is already gone.
    if tokens.revoke_token_by_key(request.user, request.POST.get("token_key", "")):
        messages.success(request, _("The API token is revoked: it no longer works."))
    else:
        messages.error(request, _("No such API token: it was already revoked or has expired."))
    return redirect("portal:preferences")


@login_required
@require_POST
def api_tokens_revoke_all(request):
    count = tokens.revoke_all_tokens(request.user)
    messages.success(
        request,
        ngettext("%(count)d API token revoked.", "%(count)d API tokens revoked.", count) % {"count": count},
    )
    return redirect("portal:preferences")
