"""The cast of users every test can call on, and the guarantee that tests run on PostgreSQL."""

import os

import pytest
from django.conf import settings
from django.utils import translation

from tests import cast


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        raise pytest.UsageError(
            f"Tests run on PostgreSQL only, but DATABASE_URL gives {engine}. Run them with bin/test, "
            "which points them at PostgreSQL on 127.0.0.1:5432."
        )
    # Hashing is deliberately slow in production; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # bin/test runs with DEBUG off, where the secretariat must have a second factor; most tests sign in with
    # force_login and test something else. Tests of the requirement turn it on (tests/security).
    settings.OTP_REQUIRED_FOR_STAFF = False
    # Likewise sessions: many tests sign in and then travel days ahead on a frozen clock to test deadlines.
    # tests/security/test_sessions.py sets the idle and absolute lifetimes it proves.
    settings.SESSION_IDLE_SECONDS = settings.SESSION_MAX_SECONDS = settings.SESSION_COOKIE_AGE = 10 * 365 * 86400


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """One test database per test run, so two runs on one machine never drop each other's database."""
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = f"test_{database['NAME']}_{os.getpid()}"


@pytest.fixture(autouse=True)
def private_cache(settings, request):
    """A fresh in-memory cache per test: sign-in failures and throttles never leak between tests."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid}
    }


@pytest.fixture(autouse=True)
def english_and_media(settings, tmp_path):
    """Messages in English unless a test asks for Korean; uploads and mail files in a throwaway folder."""
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with translation.override("en"):
        yield


@pytest.fixture
def committee(db):
    return cast.make_committee()


@pytest.fixture
def msit(committee):
    return cast.agency("MSIT")


@pytest.fixture
def mohw(committee):
    return cast.agency("MOHW")


@pytest.fixture
def motie(committee):
    return cast.agency("MOTIE")


@pytest.fixture
def secretariat(committee):
    return cast.make_secretariat(committee)


@pytest.fixture
def lead_liaison(msit):
    return cast.make_liaison(msit, "liaison-msit")


@pytest.fixture
def other_liaison(mohw):
    return cast.make_liaison(mohw, "liaison-mohw")


@pytest.fixture
def third_liaison(motie):
    return cast.make_liaison(motie, "liaison-motie")


@pytest.fixture
def member(committee):
    return cast.make_member(committee, "member-1")


@pytest.fixture
def outsider(db):
    return cast.make_user("outsider")


@pytest.fixture
def health(db):
    from policies.models import PolicyArea

    cast.ensure_policy_areas()
    return PolicyArea.objects.get(code="health")


@pytest.fixture
def draft(committee, lead_liaison, health):
    return cast.make_proposal(committee, lead_liaison, health)


@pytest.fixture
def proposal_in_state(committee, lead_liaison, secretariat, health):
    """Build a proposal of the lead agency and drive it through the services into the given state."""

    def build(state, **fields):
        return cast.proposal_in_state(
            state, committee=committee, liaison=lead_liaison, secretariat=secretariat, area=health, **fields
        )

    return build
