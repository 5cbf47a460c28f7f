"""The test command cosmic-ray runs for each mutant: pick the tests that cover it, run them, say what happened.

It exits 0 when the mutant survived and 1 when it was killed (cosmic-ray's convention). Its last line is a
verdict that results.py reads back: MUTATION-KILLED, MUTATION-TIMEOUT, MUTATION-SURVIVED, MUTATION-NO-TESTS
(no test executes the mutated code) or MUTATION-TOOL-ERROR (pytest refused to run: never counted as a kill).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import selection, settings

# pytest's exit codes: 1 tests failed, 2 interrupted (a mutant that breaks the import fails collection).
KILLING_EXIT_CODES = {1, 2}


def pytest_command(config: settings.Config, *args: str) -> list[str]:
    """pytest with only the plugins the pools need, in file order, stopping at the first failure."""
    command = [sys.executable, "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider", "-p", "no:randomly"]
    for plugin in config.pytest_plugins:
        command += ["-p", plugin]
    return command + ["--strict-markers", "-q", "--no-header", "-rfE", *args]


def pytest_env() -> dict[str, str]:
    return dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")


def _run(command: list[str], timeout: float) -> tuple[int | None, str]:
    """Run a command in its own process group; None as exit code when it ran out of time."""
    proc = subprocess.Popen(
        command, env=pytest_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        return None, output.decode(errors="replace")
    return proc.returncode, output.decode(errors="replace")


def _migrations_drift() -> str:
    """A mutant of a model's declaration is caught by bin/test's migrations check before any test runs."""
    proc = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout if proc.returncode else ""


def _verdict(code: int | None, output: str, tests: list[str], seconds: float) -> tuple[int, str]:
    tail = "\n".join(output.strip().splitlines()[-15:])
    if code is None:
        return 1, f"{tail}\nMUTATION-TIMEOUT after {seconds:.0f}s, {len(tests)} tests selected"
    if code == 0:
        return 0, f"{tail}\nMUTATION-SURVIVED {len(tests)} tests ran"
    if code in KILLING_EXIT_CODES:
        summary = [line.split() for line in output.splitlines() if line.startswith(("FAILED ", "ERROR "))]
        killers = [words[1] for words in summary if "::" in words[1]]
        by = killers[0] if killers else "collection"
        return 1, f"{tail}\nMUTATION-KILLED by {by}"
    return 1, f"{tail}\nMUTATION-TOOL-ERROR pytest exited {code}"


def main(module_path: str, work: Path) -> int:
    config = settings.load()
    original = (work / "original.py").read_text(encoding="utf-8")
    mutated = Path(module_path).read_text(encoding="utf-8")
    lines = selection.changed_lines(original, mutated)
    table = selection.load(work / "selection.json")
    tests = selection.tests_for(table, lines)
    started = time.monotonic()
    if "/models/" in f"/{module_path}" and (drift := _migrations_drift()):
        verdict = (1, f"{drift.strip()}\nMUTATION-KILLED by makemigrations --check")
    elif not tests:
        verdict = (0, f"MUTATION-NO-TESTS lines {lines}")
    else:
        budget = config.timeout_constant + config.timeout_multiplier * sum(
            table["durations"].get(t, 1.0) for t in tests
        )
        code, output = _run(pytest_command(config, "--reuse-db", "-x", *tests), budget)
        verdict = _verdict(code, output, tests, time.monotonic() - started)
    status, text = verdict
    print(text)
    with (work / "progress.log").open("a", encoding="utf-8") as log:
        log.write(
            f"{time.strftime('%H:%M:%S')} {text.splitlines()[-1]} ({time.monotonic() - started:.0f}s) lines {lines}\n"
        )
    return status
