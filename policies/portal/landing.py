"""Where signing in lands (settings.LOGIN_REDIRECT_URL): the secretariat on its dashboard, everyone else home."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from committee.directory.scope import scope_of


@login_required
def start(request):
    """The secretariat's desk is the admin (staff who staff a committee, and superusers); liaisons and members
    work in the portal."""
    user = request.user
    if user.is_staff and scope_of(user).is_secretariat:
        return redirect("admin:policies_dashboard")
    return redirect("portal:home")
