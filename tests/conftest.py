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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """One test database per test run, so two runs on one machine never drop each other's database.

    TEST_DATABASE_NAME names a database to keep between runs (with --reuse-db): bin/mutants runs pytest
    once per mutant and must not build the schema from migrations each time.
    """
    database = settings.DATABASES["default"]
    name = os.environ.get("TEST_DATABASE_NAME") or f"test_{database['NAME']}_{os.getpid()}"
    database.setdefault("TEST", {})["NAME"] = name


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
