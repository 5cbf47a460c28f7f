"""bin/mutants: python -m mutation run [MODULE ...] | report [MODULE ...] | test MODULE --work DIR (cosmic-ray's)."""

import argparse
import fcntl
import json
import sys
import time
from pathlib import Path

from . import results, retest, runner, session, settings


def _print_row(path: str, s: dict) -> None:
    c = s["counts"]
    print(
        f"{path}: {s['mutants']} mutants, {c['killed']} killed, {c['timeout']} timeouts, "
        f"{c['survived'] + c['no_tests']} survived ({c['no_tests']} run by no test), {c['equivalent']} equivalent, "
        f"{c['error']} errors; kill rate {s['kill_rate']}% ({s['kill_rate_without_equivalents']}% without "
        f"equivalents) in {s['seconds'] / 60:.1f} min",
        flush=True,
    )


def _lock():
    """One run per working tree at a time: a second would overwrite the first one's scratch copy."""
    session.BASE.mkdir(parents=True, exist_ok=True)
    handle = (session.BASE / "lock").open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SystemExit(f"Another bin/mutants is running in this tree (lock {session.BASE / 'lock'}).") from None
    return handle


def run(config: settings.Config, modules: list[settings.Module], *, resume: bool) -> int:
    lock = _lock()  # noqa: F841 (held until the process ends)
    if not resume:
        session.prepare_trees(config.workers)
    todo = [m for m in modules if not (resume and (session.work_dir(m) / "mutants.json").exists())]
    started = time.monotonic()
    baseline_seconds = 0.0
    if todo:
        pool = " ".join(dict.fromkeys(p for m in todo for p in m.tests))
        print(f"Baseline under coverage: {pool} ...", flush=True)
        try:
            baseline_seconds = session.baseline(config, todo, create_db=not resume)
        except session.BaselineFailed as error:
            raise SystemExit(str(error)) from None
        session.clone_databases(config.workers)
        for module in todo:
            session.select_tests(module)
            mutants = session.create_mutants(config, module)
            print(f"{module.path}: {len(mutants)} mutants", flush=True)
    print(f"Baseline and mutants ready in {(time.monotonic() - started) / 60:.1f} min", flush=True)
    for module in modules:
        work = session.work_dir(module)
        print(f"{module.path}: running; progress in {work / 'progress.log'}", flush=True)
        started = time.monotonic()
        session.execute(config, module)
        # A module's run time: its mutants, plus its share of the shared baseline.
        seconds = time.monotonic() - started + baseline_seconds / max(1, len(todo)) * (module in todo)
        summary = results.summarise(config, module, work, seconds, f"bin/mutants {module.path}")
        data = results.record(module.path, summary)
        results.write_markdown(config, data)
        _print_row(module.path, summary)
    # The workers' test databases stay for --resume and retest; the next full run builds them afresh.
    return 0


def report(config: settings.Config, modules: list[settings.Module], run: dict | None = None) -> int:
    """Classify again from the kept sessions (after declaring an equivalent) and rewrite the results.

    `run` (date, seconds, command) describes a run that was stopped and resumed, whose time no single process
    saw; without it an entry keeps the date, time and command it had."""
    data = json.loads(results.JSON_PATH.read_text(encoding="utf-8")) if results.JSON_PATH.exists() else {}
    for module in modules:
        work = session.work_dir(module)
        if not (work / "mutants.json").exists():  # no kept session of the whole module
            continue
        before = data.get("modules", {}).get(module.path, {})
        summary = results.summarise(
            config, module, work, before.get("seconds", 0), before.get("command", f"bin/mutants {module.path}")
        )
        if before.get("date"):
            summary["date"] = before["date"]
        summary.update({key: value for key, value in (run or {}).items() if value is not None})
        data = results.record(module.path, summary)
        _print_row(module.path, summary)
    results.write_markdown(config, data or json.loads(results.JSON_PATH.read_text(encoding="utf-8")))
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bin/mutants", description=__doc__)
    sub = parser.add_subparsers(dest="verb", required=True)
    run_parser = sub.add_parser("run", help="mutate the named modules (all of mutation/config.toml by default)")
    run_parser.add_argument("modules", nargs="*")
    run_parser.add_argument("--resume", action="store_true", help="go on with the pending mutants of a stopped run")
    report_parser = sub.add_parser("report", help="rewrite the results from the kept sessions")
    report_parser.add_argument("modules", nargs="*")
    report_parser.add_argument("--run-date", help="a stopped and resumed run's date (YYYY-MM-DD)")
    report_parser.add_argument("--run-seconds", type=int, help="its time in all: baseline and every stretch")
    report_parser.add_argument("--run-command", help="the commands it took")
    retest_parser = sub.add_parser("retest", help="run a module's survivors again, with new test files")
    retest_parser.add_argument("module")
    retest_parser.add_argument("tests", nargs="*", help="the new test files (they join the module's selection)")
    test_parser = sub.add_parser("test", help="(for cosmic-ray) test the current mutant of MODULE")
    test_parser.add_argument("module")
    test_parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.verb == "test":
        return runner.main(args.module, args.work)
    config = settings.load()
    modules = [config.module(m) for m in getattr(args, "modules", [])] or config.modules
    if args.verb == "retest":
        lock = _lock()  # noqa: F841
        _print_row(args.module, retest.retest(config, config.module(args.module), args.tests))
        return 0
    if args.verb == "report":
        stopped_run = {"date": args.run_date, "seconds": args.run_seconds, "command": args.run_command}
        return report(config, modules, stopped_run)
    return run(config, modules, resume=args.resume)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
