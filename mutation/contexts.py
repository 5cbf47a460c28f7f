"""pytest plugin for the baseline run: one coverage context per test (its node id) and each test's duration.

With it, coverage tells which tests executed which line of the mutated module, so a mutant runs only those.
"""

import json
import os
import time

import coverage
import pytest

_durations: dict[str, float] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    cov = coverage.Coverage.current()
    if cov is not None:
        cov.switch_context(item.nodeid)
    started = time.perf_counter()
    yield
    _durations[item.nodeid] = time.perf_counter() - started
    if cov is not None:
        cov.switch_context("")


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("MUTATION_DURATIONS")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(_durations, handle, indent=0, sort_keys=True)
