"""TEST_FROZEN_AT runs the suite at one instant (tests/conftest.py): the switch CI uses for the clock traps."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from committee.dates import seoul_today
from tests import conftest

ROOT = Path(__file__).resolve().parents[2]
SEOUL = datetime.timezone(datetime.timedelta(hours=9))


def kernels_clock(tmp_path) -> float:
    """The time as the kernel stamps a new file: a clock time-machine cannot move."""
    stamp = tmp_path / "now"
    stamp.touch()
    return stamp.stat().st_mtime


@pytest.mark.parametrize(
    ("value", "instant"),
    [
        ("", None),
        ("  ", None),
        ("2027-01-01T00:30+09:00", datetime.datetime(2027, 1, 1, 0, 30, tzinfo=SEOUL)),
        ("2028-02-29T12:00+09:00", datetime.datetime(2028, 2, 29, 12, 0, tzinfo=SEOUL)),
        ("2026-12-31T15:30Z", datetime.datetime(2026, 12, 31, 15, 30, tzinfo=datetime.UTC)),
    ],
)
def test_the_instant_is_read_from_the_environment(monkeypatch, value, instant):
    monkeypatch.setenv("TEST_FROZEN_AT", value)
    assert conftest.frozen_instant_from_environment() == instant


@pytest.mark.parametrize("value", ["2027-01-01T00:30", "tomorrow", "2027-02-30T00:00+09:00"])
def test_an_instant_without_an_offset_or_no_instant_at_all_stops_the_run(monkeypatch, value):
    monkeypatch.setenv("TEST_FROZEN_AT", value)
    with pytest.raises(pytest.UsageError, match="ISO 8601 instant with its UTC offset"):
        conftest.frozen_instant_from_environment()


def test_each_test_starts_at_the_instant_and_its_clock_ticks_on(request, tmp_path):
    """Run by the test below under TEST_FROZEN_AT; on the real clock it checks that nothing moved time."""
    instant = request.config.stash.get(conftest.FROZEN_AT, None)
    now = timezone.now()
    if instant is None:
        assert abs(now.timestamp() - kernels_clock(tmp_path)) < 5
        return
    assert instant <= now < instant + datetime.timedelta(minutes=5)
    assert seoul_today() == instant.astimezone(SEOUL).date()
    time.sleep(0.05)
    assert timezone.now() > now  # tick=True: timeouts and orderings by time still behave


@pytest.mark.real_clock
def test_a_real_clock_test_keeps_the_real_clock(tmp_path):
    assert abs(timezone.now().timestamp() - kernels_clock(tmp_path)) < 5


@pytest.mark.parametrize("instant", ["2027-01-01T00:30+09:00", "2028-02-29T12:00+09:00"])
def test_the_switch_runs_tests_at_the_instant_and_leaves_real_clock_tests_alone(instant):
    probes = [
        f"{__file__}::test_each_test_starts_at_the_instant_and_its_clock_ticks_on",
        f"{__file__}::test_a_real_clock_test_keeps_the_real_clock",
    ]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:randomly",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            *probes,
        ],
        cwd=ROOT,
        env=dict(os.environ, TEST_FROZEN_AT=instant),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"clock: every test starts at {datetime.datetime.fromisoformat(instant).isoformat()}" in result.stdout
    assert "2 passed" in result.stdout
