"""The second factor at sign-in: TOTP devices (django-otp), single-use recovery codes, and who must have one.

Guarantees, for the portal, the admin and the API alike:
- a signed-in user with a confirmed TOTP device reaches nothing but the second step until a code (or a
  recovery code) has verified the session (SecondFactorMiddleware);
- with OTP_REQUIRED_FOR_STAFF on (the default when DEBUG is off), the secretariat, staff and superusers
  without a device reach nothing but enrolment, and cannot turn the second factor off;
- every wrong code counts toward the sign-in lockout (committee.directory.auth) for that username and address;
- an API token is issued to a user with a second factor only with a valid code (check_second_factor).

Recovery codes are django-otp static tokens: each works once; new ones replace all the old ones.
"""

import io
import re
from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .auth import clear_failures, is_locked_out, log_sign_in, record_failure
from .models import Committee

TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
TOTP_DIGITS = 6


# --- who must, who has ------------------------------------------------------------------------------


def is_required(user) -> bool:
    """The secretariat, staff and superusers must have a second factor when the setting says so."""
    if not settings.OTP_REQUIRED_FOR_STAFF or not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or Committee.secretariat.through.objects.filter(user=user).exists()


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_step(user) -> str | None:
    """What a signed-in session still owes: "verify" (a code), "enrol" (a device first), or None."""
    if not user.is_authenticated or user.is_verified():
        return None
    if is_enrolled(user):
        return "verify"
    return "enrol" if is_required(user) else None


def status(user) -> dict:
    """What the settings page shows: enrolled or not, required or not, recovery codes left."""
    return {
        "enrolled": is_enrolled(user),
        "required": is_required(user),
        "recovery_codes_left": StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
    }


# --- enrolment ----------------------------------------------------------------------------------------


def begin_enrolment(user) -> TOTPDevice:
    """The user's unconfirmed device with a fresh key, kept across reloads of the enrolment page."""
    if is_enrolled(user):
        raise ValidationError(_("Two-factor authentication is already set up."), code="enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def provisioning(device: TOTPDevice) -> dict:
    """The secret as an authenticator app takes it: typed in (base32) or scanned (an inline SVG QR code)."""
    secret = b32encode(device.bin_key).decode()
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # without the XML declaration, to sit inside HTML
    return {"secret": " ".join(re.findall(".{1,4}", secret)), "qr_svg": svg}


def confirm_enrolment(user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a code from the app; returns it and the first recovery codes."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or is_enrolled(user):
            raise ValidationError(_("Start the set-up again: no device is waiting for confirmation."), code="stale")
        if not device.verify_token(normalize(code)):
            raise ValidationError(_("That code is not valid. Check the time on your phone and try again."))
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return device, _new_recovery_codes(user)


def regenerate_recovery_codes(user) -> list[str]:
    if not is_enrolled(user):
        raise ValidationError(_("Set up two-factor authentication first."), code="not_enrolled")
    with transaction.atomic():
        return _new_recovery_codes(user)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def disable(user, code: str, request) -> None:
    """Remove every device, after one last valid code; refused while the second factor is required."""
    if is_required(user):
        raise ValidationError(_("Your role requires two-factor authentication; it cannot be turned off."))
    if verify_second_factor(user, code, request) is None:
        raise ValidationError(_("That code is not valid."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


# --- verification -----------------------------------------------------------------------------------


def normalize(code) -> str:
    """Codes as people type them: spaces and hyphens dropped, recovery codes in lower case."""
    return re.sub(r"[\s-]", "", str(code or "")).lower()


def verify_second_factor(user, code, request):
    """The device that accepts `code` (a TOTP code, or a recovery code, used up), or None.

    A wrong code counts toward the sign-in lockout; while locked out nothing is accepted. django-otp's own
    throttle (a growing delay per device after each failure) applies as well.
    """
    username = user.get_username()
    if is_locked_out(username, request):
        log_sign_in("sign_in.refused_while_locked_out", username, request, user=user)
        return None
    code = normalize(code)
    if code.isdigit() and len(code) == TOTP_DIGITS:
        candidates = TOTPDevice.objects.filter(user=user, confirmed=True)
    elif code:
        candidates = StaticDevice.objects.filter(user=user, confirmed=True)
    else:
        candidates = TOTPDevice.objects.none()
    accepted = None
    with transaction.atomic():
        for device in candidates.select_for_update():
            if device.verify_token(code):
                accepted = device
                break
    if accepted is None:
        record_failure(username, request, second_factor=True)
    else:
        clear_failures(username, request, second_factor=True)
        log_sign_in("sign_in.second_factor_passed", username, request, user=user)
    return accepted


def check_second_factor(user, code, request) -> None:
    """For sign-in doors without a second page (the API token): refuse unless the second factor is satisfied.

    Raises ValidationError on the field "otp": a user who must enrol first is refused outright; a user with a
    device needs a valid code (TOTP or recovery code). Users without either pass.
    """
    if is_enrolled(user):
        if not code:
            raise ValidationError({"otp": _("Give the code from your authenticator app.")}, code="otp_required")
        if verify_second_factor(user, code, request) is None:
            raise ValidationError({"otp": _("That code is not valid.")}, code="otp_invalid")
    elif is_required(user):
        raise ValidationError(
            {"otp": _("Set up two-factor authentication in the portal before asking for a token.")},
            code="enrolment_required",
        )


# --- the gate -----------------------------------------------------------------------------------------


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a session that owes its second factor reaches only the second step.

    Pages redirect to the code (or enrolment) page and come back afterwards; the API answers 403 in JSON.
    Token-authenticated API calls carry no session and are checked when the token is issued.
    """

    OPEN_VIEWS = frozenset({"account:verify", "account:enrol", "logout", "admin:logout", "set_language"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = pending_step(request.user)
        if step is None or request.resolver_match.view_name in self.OPEN_VIEWS:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Complete two-factor sign-in in the portal first."), "code": "second_factor_required"},
                status=403,
            )
        return redirect(f"{reverse(f'account:{step}')}?{urlencode({'next': request.get_full_path()}, safe='/')}")
