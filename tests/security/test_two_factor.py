"""Two-factor sign-in: TOTP codes and recovery codes, enrolment, and the requirement for the secretariat."""

import os
import re
import subprocess
import sys

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.directory import twofactor
from tests import cast
from tests.ops.test_deployment import INHERITED, PRODUCTION_ENV, ROOT


def code_for(device) -> str:
    """The code the user's authenticator app shows now."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def sign_in(client, user, url="/login/", address="10.0.0.1"):
    response = client.post(url, {"username": user.username, "password": cast.PASSWORD}, REMOTE_ADDR=address)
    assert response.status_code == 302, "the password step failed"
    return response


def verify(client, code, next_url="/", address="10.0.0.1"):
    return client.post("/account/verify/", {"code": code, "next": next_url}, REMOTE_ADDR=address)


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_STAFF = True


@pytest.fixture
def no_throttle(settings):
    """django-otp waits 1, 2, 4 ... seconds after each wrong code; these tests count failures, not seconds."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


# --- the second step ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_with_a_device_reaches_nothing_before_the_code(client, lead_liaison, draft):
    device = enrolled(lead_liaison)
    sign_in(client, lead_liaison)
    for path in ("/", f"/proposals/{draft.pk}/", "/settings/", "/account/two-factor/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/account/verify/"), path
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"

    response = verify(client, code_for(device), next_url=f"/proposals/{draft.pk}/")
    assert response.status_code == 302 and response.url == f"/proposals/{draft.pk}/"
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_keeps_the_gate_shut(client, lead_liaison):
    device = enrolled(lead_liaison)
    sign_in(client, lead_liaison)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = verify(client, wrong)
    assert response.status_code == 400 and "not valid" in response.content.decode()
    assert client.get("/").url.startswith("/account/verify/")


@pytest.mark.django_db
def test_verifying_renews_the_session_key(client, lead_liaison):
    device = enrolled(lead_liaison)
    sign_in(client, lead_liaison)
    before = client.session.session_key
    verify(client, code_for(device))
    assert client.session.session_key != before


@pytest.mark.django_db
def test_the_code_step_never_redirects_off_site(client, lead_liaison):
    device = enrolled(lead_liaison)
    sign_in(client, lead_liaison)
    response = verify(client, code_for(device), next_url="https://evil.example/steal")
    assert response.status_code == 302 and response.url == reverse("portal:start")


@pytest.mark.django_db
def test_the_admin_asks_for_the_code_after_its_own_password_page(client, secretariat):
    device = enrolled(secretariat)
    response = sign_in(client, secretariat, url="/admin/login/?next=/admin/")
    assert response.url == "/admin/"
    gated = client.get("/admin/")
    assert gated.status_code == 302 and gated.url.startswith("/account/verify/?next=/admin/")
    assert verify(client, code_for(device), next_url="/admin/").url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_user_with_a_device_cannot_enrol_another_before_the_code(client, lead_liaison):
    enrolled(lead_liaison)
    sign_in(client, lead_liaison)
    response = client.post("/account/two-factor/", {"code": "123456"})
    assert response.status_code == 302 and response.url == "/account/verify/"
    assert TOTPDevice.objects.filter(user=lead_liaison).count() == 1


# --- wrong codes count toward the sign-in lockout ----------------------------------------------------------


@pytest.mark.django_db
def test_wrong_codes_lock_the_account_out_even_for_the_right_code(client, lead_liaison, settings, no_throttle):
    settings.LOGIN_FAILURE_LIMIT = 3
    device = enrolled(lead_liaison)
    sign_in(client, lead_liaison)
    for _ in range(3):
        assert verify(client, "000000").status_code == 400
    refused = verify(client, code_for(device))
    assert refused.status_code == 400 and "Too many failed attempts" in refused.content.decode()
    client.logout()
    password_again = client.post(
        "/login/", {"username": "liaison-msit", "password": cast.PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert password_again.status_code == 200 and not password_again.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_the_right_password_does_not_wipe_out_wrong_codes(client, lead_liaison, settings, no_throttle):
    settings.LOGIN_FAILURE_LIMIT = 3
    device = enrolled(lead_liaison)
    sign_in(client, lead_liaison)
    verify(client, "000000")
    verify(client, "000001")
    client.logout()
    sign_in(client, lead_liaison)  # the password is right: its own failures clear, the codes' stay
    verify(client, "000002")
    assert "Too many failed attempts" in verify(client, code_for(device)).content.decode()


@pytest.mark.django_db
def test_a_right_code_starts_the_count_again(client, lead_liaison, settings, no_throttle):
    settings.LOGIN_FAILURE_LIMIT = 3
    device = enrolled(lead_liaison)
    sign_in(client, lead_liaison)
    verify(client, "000000")
    verify(client, "000001")
    assert verify(client, code_for(device)).status_code == 302
    client.logout()
    device.refresh_from_db()
    device.last_t = -1  # another time step, as at the next sign-in
    device.save()
    sign_in(client, lead_liaison)
    verify(client, "000000")
    verify(client, "000001")
    assert verify(client, code_for(device)).status_code == 302


# --- recovery codes ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(client, lead_liaison, no_throttle):
    enrolled(lead_liaison)
    codes = twofactor.regenerate_recovery_codes(lead_liaison)
    assert len(codes) == 10 and len(set(codes)) == 10
    sign_in(client, lead_liaison)
    assert verify(client, codes[0].upper()).status_code == 302  # typed in capitals: still the code
    assert client.get("/").status_code == 200
    client.logout()
    sign_in(client, lead_liaison)
    assert verify(client, codes[0]).status_code == 400
    assert StaticToken.objects.filter(device__user=lead_liaison).count() == 9


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones(client, lead_liaison, no_throttle):
    device = enrolled(lead_liaison)
    old = twofactor.regenerate_recovery_codes(lead_liaison)
    sign_in(client, lead_liaison)
    verify(client, code_for(device))
    response = client.post("/account/two-factor/recovery-codes/")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.logout()
    sign_in(client, lead_liaison)
    assert verify(client, old[1]).status_code == 400
    assert verify(client, new[1]).status_code == 302


# --- enrolment ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_liaison_enrols_from_the_settings_page(client, lead_liaison):
    client.force_login(lead_liaison)
    settings_page = client.get("/settings/").content.decode()
    assert "Two-factor authentication" in settings_page and "/account/two-factor/" in settings_page

    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'id="totp-secret"' in body
    device = TOTPDevice.objects.get(user=lead_liaison, confirmed=False)
    secret = re.search(r'id="totp-secret" class="secret">([A-Z2-7 ]+)<', body).group(1)
    assert secret.replace(" ", "") == twofactor.provisioning(device)["secret"].replace(" ", "")

    assert client.post("/account/two-factor/", {"code": "12"}).status_code == 400
    confirmed = client.post("/account/two-factor/", {"code": code_for(device)})
    assert confirmed.status_code == 200
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", confirmed.content.decode())) == 10
    device.refresh_from_db()
    assert device.confirmed and twofactor.is_enrolled(lead_liaison)
    assert client.get("/").status_code == 200  # the session that enrolled is verified
    assert "2 recovery codes" not in client.get("/settings/").content.decode()
    assert "10 recovery codes left" in client.get("/settings/").content.decode()


@pytest.mark.django_db
def test_reloading_the_enrolment_page_keeps_one_pending_device(client, lead_liaison):
    client.force_login(lead_liaison)
    first = client.get("/account/two-factor/").content
    second = client.get("/account/two-factor/").content
    assert TOTPDevice.objects.filter(user=lead_liaison).count() == 1
    assert re.search(rb'id="totp-secret"[^>]*>([^<]+)<', first).group(1) == re.search(
        rb'id="totp-secret"[^>]*>([^<]+)<', second
    ).group(1)


@pytest.mark.django_db
def test_a_liaison_may_turn_two_factor_off_with_a_code(client, lead_liaison, no_throttle):
    device = enrolled(lead_liaison)
    twofactor.regenerate_recovery_codes(lead_liaison)
    sign_in(client, lead_liaison)
    verify(client, code_for(device))
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert client.post("/account/two-factor/disable/", {"code": "999999"}).status_code == 302
    assert twofactor.is_enrolled(lead_liaison)
    client.post("/account/two-factor/disable/", {"code": code_for(device)})
    assert not twofactor.is_enrolled(lead_liaison)
    assert not StaticToken.objects.filter(device__user=lead_liaison).exists()


# --- required for the secretariat --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_secretariat_without_a_device_must_enrol_before_anything(client, secretariat, required):
    sign_in(client, secretariat, url="/admin/login/")
    for path in ("/admin/", "/", "/settings/", "/admin/policies/proposal/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/account/two-factor/"), path
    assert client.get("/api/v1/proposals/").status_code == 403
    page = client.get("/account/two-factor/?next=/admin/")
    assert "Your role requires two-factor authentication" in page.content.decode()

    device = TOTPDevice.objects.get(user=secretariat, confirmed=False)
    codes_page = client.post("/account/two-factor/", {"code": code_for(device), "next": "/admin/"})
    assert codes_page.status_code == 200 and 'href="/admin/"' in codes_page.content.decode()
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/proposals/").status_code == 200


@pytest.mark.django_db
def test_superusers_must_enrol_too_but_liaisons_and_members_need_not(client, lead_liaison, member, required):
    admin = cast.make_user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/admin/").url.startswith("/account/two-factor/")
    for user in (lead_liaison, member):
        client.force_login(user)
        assert client.get("/").status_code == 200
    assert [twofactor.is_required(user) for user in (admin, lead_liaison, member)] == [True, False, False]


@pytest.mark.django_db
def test_the_secretariat_cannot_turn_a_required_second_factor_off(client, secretariat, required):
    device = enrolled(secretariat)
    sign_in(client, secretariat)
    verify(client, code_for(device))
    assert "cannot be turned off" in client.get("/settings/").content.decode()
    client.post("/account/two-factor/disable/", {"code": "123456"})
    assert twofactor.is_enrolled(secretariat)


@pytest.mark.django_db
def test_without_the_requirement_the_secretariat_signs_in_with_a_password(client, secretariat, settings):
    settings.OTP_REQUIRED_FOR_STAFF = False
    sign_in(client, secretariat, url="/admin/login/")
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("debug", "override", "expected"), [("false", None, "True"), ("true", None, "False"), ("false", "off", "False")]
)
def test_production_settings_require_the_second_factor(debug, override, expected):
    env = {key: os.environ[key] for key in INHERITED if key in os.environ}
    env.update(PRODUCTION_ENV)
    env.update({"DEBUG": debug, "DJANGO_SETTINGS_MODULE": "committee.settings"})
    if override is not None:
        env["OTP_REQUIRED_FOR_STAFF"] = override
    code = "import django; django.setup(); from django.conf import settings; print(settings.OTP_REQUIRED_FOR_STAFF)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


# --- the API token door --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_token_needs_the_code_of_a_two_factor_user(client, lead_liaison, no_throttle):
    device = enrolled(lead_liaison)
    credentials = {"username": "liaison-msit", "password": cast.PASSWORD}

    def token(**extra):
        return client.post("/api/v1/auth/token/", {**credentials, **extra}, content_type="application/json")

    missing = token()
    assert missing.status_code == 400 and "otp" in missing.json()
    wrong = token(otp="000000")
    assert wrong.status_code == 400 and "token" not in wrong.json()
    right = token(otp=code_for(device))
    assert right.status_code == 200 and right.json()["token"]


@pytest.mark.django_db
def test_the_api_token_refuses_the_secretariat_that_must_enrol(client, secretariat, lead_liaison, required):
    refused = client.post("/api/v1/auth/token/", {"username": "secretariat", "password": cast.PASSWORD})
    assert refused.status_code == 400 and "Set up two-factor" in refused.json()["otp"][0]
    allowed = client.post("/api/v1/auth/token/", {"username": "liaison-msit", "password": cast.PASSWORD})
    assert allowed.status_code == 200
