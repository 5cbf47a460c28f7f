"""Production warns when sign-in counters would live in each process, and refuses a bad proxy count."""

import pytest

from committee.directory.checks import check_shared_cache
from tests.ops.test_deployment import PRODUCTION_ENV, manage


def test_check_deploy_warns_without_a_shared_cache():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "directory.W001" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_the_check_is_quiet_with_redis(redis_cache):
    assert check_shared_cache() == []


@pytest.mark.parametrize(
    "backend", ["django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"]
)
def test_the_check_names_per_process_caches(settings, backend):
    settings.CACHES = {"default": {"BACKEND": backend}}
    (warning,) = check_shared_cache()
    assert warning.id == "directory.W001" and backend in warning.msg


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NUM_PROXIES", "one", "NUM_PROXIES must be an integer, not 'one'"),
        ("NUM_PROXIES", "-1", "NUM_PROXIES must be 0 or more, not -1"),
        ("API_TOKEN_IDLE_SECONDS", "14d", "API_TOKEN_IDLE_SECONDS must be an integer, not '14d'"),
        ("API_TOKEN_IDLE_SECONDS", "0", "API_TOKEN_IDLE_SECONDS must be 1 or more, not 0"),
    ],
)
def test_a_malformed_sign_in_setting_refuses_to_start(name, value, message):
    result = manage("check", env={**PRODUCTION_ENV, name: value})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr
