"""Deployment checks: production settings pass `check --deploy`, bad configuration fails loudly, migrations agree."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "p8v$x2!kq9@m4z#r7w^t1n&b5c*h3j(l6y)s0d_f-g+a=e~u-production-like-test-key",
    "ALLOWED_HOSTS": "desk.bio-committee.example",
    "SITE_URL": "https://desk.bio-committee.example",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


# The only variables a subprocess inherits: anything else the test process carries (bin/test's DEBUG and
# SECRET_KEY, flags other tests' tools set in os.environ) must not leak into a "production" configuration.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "DATABASE_URL", "REDIS_URL", "VAR_DIR")


def manage(*args, env=None):
    """Run manage.py in a fresh interpreter whose settings come from `env` and INHERITED only."""
    environ = {key: os.environ[key] for key in INHERITED if key in os.environ}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(monkeypatch):
    # The browser tests' Playwright sets this in-process; it must never reach a deployment.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_https_hardening_is_left_out():
    env = {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # HSTS
    assert "security.W008" in result.stderr  # SSL redirect


def test_debug_off_without_secret_key_refuses_to_start():
    result = manage("check", env={"DEBUG": "false"})
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is required when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be a boolean (true/false), not 'maybe'"),
        ("EMAIL_USE_TLS", "sometimes", "EMAIL_USE_TLS must be a boolean (true/false), not 'sometimes'"),
        ("SECURE_HSTS_PRELOAD", "yes please", "SECURE_HSTS_PRELOAD must be a boolean (true/false), not 'yes please'"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be an integer, not 'twenty-five'"),
        ("SECURE_HSTS_SECONDS", "1y", "SECURE_HSTS_SECONDS must be an integer, not '1y'"),
        ("ATTACHMENT_MAX_BYTES", "20MB", "ATTACHMENT_MAX_BYTES must be an integer, not '20MB'"),
    ],
)
def test_a_malformed_setting_refuses_to_start_and_names_the_variable(name, value, message):
    result = manage("check", env={**PRODUCTION_ENV, name: value})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # Exits non-zero (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
