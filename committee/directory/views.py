"""Account pages around sign-in: the second step, enrolling and managing a second factor, changing password.

Thin views over committee.directory.twofactor; SecondFactorMiddleware sends sessions here until they are done.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import twofactor
from .auth import is_locked_out
from .forms import CodeForm, EnrolmentForm

SETTINGS_PAGE = "portal:preferences"


def next_url(request) -> str:
    """Where to go once the step is done: the page asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _verified(request, device):
    """Mark the session as verified by this device, under a new session key (the session gained rights)."""
    otp_login(request, device)
    request.session.cycle_key()


@never_cache
@login_required
def verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    if twofactor.pending_step(request.user) != "verify":
        return redirect(next_url(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if is_locked_out(request.user.get_username(), request):
            form.add_error(None, _("Too many failed attempts. Try again later."))
        elif device := twofactor.verify_second_factor(request.user, form.cleaned_data["code"], request):
            _verified(request, device)
            return redirect(next_url(request))
        else:
            form.add_error("code", _("That code is not valid."))
    if form.errors:
        status = 400
    context = {"form": form, "next": next_url(request), "signing_in": True}
    return render(request, "registration/two_factor_verify.html", context, status=status)


@never_cache
@login_required
def enrol(request):
    """Set up an authenticator app: scan or type the secret, confirm with a code, keep the recovery codes."""
    if twofactor.is_enrolled(request.user):
        return redirect(next_url(request) if request.user.is_verified() else "account:verify")
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = twofactor.confirm_enrolment(request.user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            _verified(request, device)
            context = {"codes": codes, "next": next_url(request), "first_time": True}
            return render(request, "registration/two_factor_recovery_codes.html", context)
    device = twofactor.begin_enrolment(request.user)
    context = {
        "form": form,
        "next": next_url(request),
        "required": twofactor.is_required(request.user),
        "signing_in": twofactor.pending_step(request.user) == "enrol",
        **twofactor.provisioning(device),
    }
    return render(request, "registration/two_factor_enrol.html", context, status=400 if form.errors else 200)


@never_cache
@require_POST
@login_required
def recovery_codes(request):
    """New recovery codes, shown once; the old ones stop working."""
    try:
        codes = twofactor.regenerate_recovery_codes(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(SETTINGS_PAGE)
    context = {"codes": codes, "next": resolve_url(SETTINGS_PAGE), "first_time": False}
    return render(request, "registration/two_factor_recovery_codes.html", context)


@require_POST
@login_required
def disable(request):
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            twofactor.disable(request.user, form.cleaned_data["code"], request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Two-factor authentication is turned off."))
    else:
        messages.error(request, _("Give a code to turn two-factor authentication off."))
    return redirect(SETTINGS_PAGE)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (validators included); other sessions of the user end, this one stays."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy(SETTINGS_PAGE)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed. Your other sessions have ended."))
        return response
