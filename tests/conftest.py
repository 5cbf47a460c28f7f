"""The cast of users every test can call on, and the suite's ground rules: PostgreSQL only, any test order,
any instant (TEST_FROZEN_AT), Hypothesis without memory between runs."""

import datetime
import json
import os
import uuid
from dataclasses import dataclass

import pytest
import redis
import time_machine
from django.conf import settings
from django.utils import translation
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from tests import cast

FROZEN_AT = pytest.StashKey[datetime.datetime | None]()
MIGRATED_ROWS = pytest.StashKey[dict[str, str]]()

# Examples are generated afresh each run (nothing is kept in a .hypothesis folder that could make one machine's
# run differ from another's), few enough for a 2-core CI, and a failure prints the blob that replays it.
hypothesis_settings.register_profile(
    "suite",
    database=None,
    derandomize=False,
    max_examples=40,
    deadline=None,  # a database example can take a while on a shared machine; timing is not the property
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# For mutation testing, where only "does some example fail" matters: stop at the first failure, no shrinking.
hypothesis_settings.register_profile(
    "mutants", parent=hypothesis_settings.get_profile("suite"), phases=[Phase.explicit, Phase.generate]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


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
    config.stash[FROZEN_AT] = frozen_instant_from_environment()


# --- any instant: TEST_FROZEN_AT -------------------------------------------------------------------


def frozen_instant_from_environment() -> datetime.datetime | None:
    """TEST_FROZEN_AT="2027-01-01T00:30+09:00" starts every test's clock at that instant (README, Tests)."""
    value = os.environ.get("TEST_FROZEN_AT", "").strip()
    if not value:
        return None
    try:
        instant = datetime.datetime.fromisoformat(value)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise pytest.UsageError(
            f"TEST_FROZEN_AT must be an ISO 8601 instant with its UTC offset, e.g. 2027-01-01T00:30+09:00; "
            f"got {value!r}."
        )
    return instant


# The other party of these tests is a process with its own clock, which time-machine cannot move: a Celery
# worker claims mail that is due by *its* clock, and Chromium drops cookies that expire by *its* clock.
REAL_CLOCK_MARKERS = ("real_clock", "worker", "browser")


def runs_on_real_clock(item) -> bool:
    return any(item.get_closest_marker(name) is not None for name in REAL_CLOCK_MARKERS)


def pytest_report_header(config):
    instant = config.stash.get(FROZEN_AT, None)
    if instant is None:
        return "clock: real (set TEST_FROZEN_AT=2027-01-01T00:30+09:00 to start every test at an instant)"
    markers = "/".join(REAL_CLOCK_MARKERS)
    return f"clock: every test starts at {instant.isoformat()} and ticks on (TEST_FROZEN_AT), except {markers} tests"


@pytest.fixture(autouse=True)
def clock_at_the_frozen_instant(request):
    """Under TEST_FROZEN_AT, the test (and its fixtures, live server thread included) starts at that instant.

    tick=True: time moves on from there, so timeouts, leases and orderings by time behave as in real life.
    Tests travel further with time_machine.travel inside; that nests.
    """
    instant = request.config.stash.get(FROZEN_AT, None)
    if instant is None or runs_on_real_clock(request.node):
        yield
        return
    with time_machine.travel(instant, tick=True):
        yield


# --- any order: transactional tests put back what the migrations made ------------------------------


def is_transactional(item) -> bool:
    """The same reading of a test as pytest-django's own ordering (plugin.py, get_order_number)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return "transactional_db" in item.fixturenames or "live_server" in item.fixturenames


def is_serialized(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("serialized_rollback"))


def pytest_collection_modifyitems(config, items):
    """Refuse a transactional test without serialized_rollback: without it there is no snapshot to restore."""
    unserialized = [item.nodeid for item in items if is_transactional(item) and not is_serialized(item)]
    if unserialized:
        raise pytest.UsageError(
            "Transactional tests must be marked @pytest.mark.django_db(transaction=True, serialized_rollback=True), "
            "so that what the migrations created can be put back after them (tests/conftest.py): "
            + ", ".join(unserialized)
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has emptied the database, load the post-migration snapshot back.

    pytest-django ends a transactional test by flushing every table, and serialized_rollback reloads the
    snapshot only when the *next* such test starts. Every other test in between would find no policy areas,
    content types or periodic tasks. Tests may run in any order (pytest-randomly), so restore right away.
    """
    result = yield
    # After the last test the test database is already gone (session teardown): nothing to restore.
    if nextitem is not None and is_transactional(item):
        restore_migrated_rows(item.config)
    return result


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, request):
    """pytest-django's test database, and a safe copy of its post-migration snapshot for restore_migrated_rows.

    Django keeps the snapshot on the connection object, but connection objects live in a context variable and
    Playwright's event loop leaves this thread with fresh ones for the rest of the run: serialized_rollback
    then finds no snapshot and silently restores nothing. The connections opened while migrating are closed
    at the end, or the test database could not be dropped ("being accessed by other users").
    """
    from django.db import connections

    opened = [connections[alias] for alias in connections]
    request.config.stash[MIGRATED_ROWS] = {
        connection.alias: connection._test_serialized_contents
        for connection in opened
        if getattr(connection, "_test_serialized_contents", None)
    }
    yield
    for connection in opened:
        connection.close()


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started after the test database and so stopped before it is dropped.

    Should a live-server test be the first to run (any order), the server would otherwise outlive the database
    and its open connection would keep the test database from being dropped.

    Its request threads close their database connection after each request (CONN_MAX_AGE 0; the test client
    never closes one): an HTTP client that keeps its connection alive, as the schema fuzz's does, would
    otherwise keep a database session open past the end of the run, and the test database could not be dropped.
    """
    from django.db import connections

    for alias in connections:
        connections[alias].settings_dict["CONN_MAX_AGE"] = 0
    return live_server


def restore_migrated_rows(config):
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        for alias, contents in config.stash.get(MIGRATED_ROWS, {}).items():
            connection = connections[alias]
            if not connection.settings_dict["NAME"].startswith("test_"):
                continue  # never flush anything but a test database
            # Keep the sequences where they are: rows reloaded with their own keys must not collide with new ones.
            call_command(
                "flush",
                database=connection.alias,
                verbosity=0,
                interactive=False,
                inhibit_post_migrate=True,
                reset_sequences=False,
            )
            connection.creation.deserialize_db_from_string(contents)
            # ...and should some flush have restarted them, move them past the reloaded keys.
            reloaded = {apps.get_model(row["model"]) for row in json.loads(contents)}
            statements = connection.ops.sequence_reset_sql(no_style(), reloaded)
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
    ContentType.objects.clear_cache()


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


@dataclass
class RedisCacheUnderTest:
    """The Redis behind the `default` cache, and the keys this test's cache wrote there."""

    client: redis.Redis
    prefix: str

    def stored_keys(self, containing: str = "") -> list[str]:
        keys = (key.decode() for key in self.client.scan_iter(match=f"{self.prefix}:*"))
        return sorted(key for key in keys if containing in key)


@pytest.fixture
def redis_cache(settings, private_cache):
    """Redis as production has it, for sign-in lockout and throttling: counters live where every worker sees
    them, and expire by Redis's own clock. A key prefix of this test's own keeps parallel runs apart; its
    keys are deleted afterwards (never FLUSHDB: other test runs may share the server)."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
    }
    client = redis.Redis.from_url(url)
    try:
        yield RedisCacheUnderTest(client=client, prefix=prefix)
    finally:
        leftovers = list(client.scan_iter(match=f"{prefix}:*"))
        if leftovers:
            client.delete(*leftovers)
        client.close()


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


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Under the results, where a long CI log is read: what tests recorded as their `summary` property (the
    schema fuzz's figures; a property travels back from pytest-xdist's processes, printed output does not),
    then pytest-randomly's seed."""
    summaries = [
        value
        for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
        for name, value in getattr(report, "user_properties", ())
        if name == "summary" and report.when == "call"
    ]
    if summaries:
        terminalreporter.section("summaries")
        for summary in sorted(summaries):
            terminalreporter.write_line(summary)
    if config.pluginmanager.hasplugin("randomly"):
        seed = config.getoption("randomly_seed")
        terminalreporter.write_line(
            f"Random order: bin/test --randomly-seed={seed} repeats this order (-n 0: in one process, exactly)"
        )
