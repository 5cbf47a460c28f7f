"""Retest a module's survivors after writing tests for them, without running its other mutants again.

The new test files run once under coverage, join the module's selection table, and only the mutants that
survived (or that no test ran) go through cosmic-ray again. The module's source must be the one the full run
mutated; when it changed, run the module in full.

On a machine without the run's kept session (a new checkout: var/mutants is not in the repository), the survivors
come from the results file instead: the module is mutated afresh, only the mutants that match a recorded survivor
run, and the module's entry keeps its other counts as the recorded run left them.
"""

import json
import shutil
import sqlite3
import time
from collections import Counter

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult

from . import results, selection, session, settings


def refresh_tests(workers: int) -> None:
    """Bring the new tests (and this tool) into the scratch trees; the application code stays as it was."""
    for worker in range(workers):
        for folder in ("tests", "mutation"):
            shutil.rmtree(session.tree(worker) / folder)
            shutil.copytree(session.ROOT / folder, session.tree(worker) / folder, ignore=session.COPY_IGNORE)


def forget_vanished_tests(module: settings.Module) -> None:
    path = session.work_dir(module) / "selection.json"
    table = selection.load(path)
    if vanished := selection.drop_vanished_tests(table, session.ROOT):
        print(f"{module.path}: {len(vanished)} tests of the run are gone or renamed, left out", flush=True)
        path.write_text(json.dumps(table, indent=1), encoding="utf-8")


def check_source(module: settings.Module) -> None:
    work = session.work_dir(module)
    if not (work / "mutants.json").exists():
        raise SystemExit(f"No run of {module.path} to retest: run bin/mutants {module.path} first.")
    if (work / "original.py").read_text(encoding="utf-8") != (session.ROOT / module.path).read_text(encoding="utf-8"):
        raise SystemExit(f"{module.path} changed since its run: run bin/mutants {module.path} again in full.")


def extend_selection(config: settings.Config, module: settings.Module, paths: list[str]) -> None:
    """Run the new tests under coverage and add them to the tests of every function they execute."""
    session.baseline(config, [settings.Module(module.path, paths)], create_db=False)
    shared, work = session.BASE / "baseline", session.work_dir(module)
    durations = json.loads((shared / "durations.json").read_text(encoding="utf-8"))
    new = selection.build(session.tree() / module.path, shared / "coverage.sqlite", durations, paths, module.path)
    table = selection.load(work / "selection.json")
    for old_function, new_function in zip(table["functions"], new["functions"], strict=True):
        old_function["tests"] = sorted(set(old_function["tests"]) | set(new_function["tests"]))
        old_function["imported"] = old_function.get("imported") or new_function["imported"]
    table["module_tests"] = sorted(set(table["module_tests"]) | set(new["module_tests"]))
    table["durations"].update(durations)
    (work / "selection.json").write_text(json.dumps(table, indent=1), encoding="utf-8")


def refilter(config: settings.Config, module: settings.Module) -> None:
    """Apply the current filters to a run made before them (they only ever drop mutants)."""
    work = session.work_dir(module)
    original = (work / "original.py").read_text(encoding="utf-8")
    mutants = json.loads((work / "mutants.json").read_text(encoding="utf-8"))
    spans = session.annotation_spans(original)
    with use_db(str(work / "session.sqlite"), WorkDB.Mode.open) as db:
        for item in db.work_items:
            (spec,) = item.mutations
            reason = session.refusal(config, spec.operator_name) or session.not_a_rule(original, spans, spec)
            if reason and item.job_id in mutants:
                db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=reason))
                del mutants[item.job_id]
    (work / "mutants.json").write_text(json.dumps(mutants, indent=1), encoding="utf-8")


def reset_survivors(config: settings.Config, module: settings.Module) -> int:
    work = session.work_dir(module)
    summary = results.summarise(config, module, work, 0, "")
    # Survivors, and mutants whose run failed for a reason of the tool's (errors count for nothing).
    again = summary["survivors"] + summary["errors"]
    survivors = {(m["line"], m["operator"], m["original"], m["mutant"]) for m in again}
    mutants = json.loads((work / "mutants.json").read_text(encoding="utf-8"))
    job_ids = [j for j, m in mutants.items() if (m["line"], m["operator"], m["original"], m["mutant"]) in survivors]
    with sqlite3.connect(work / "session.sqlite") as db:
        db.executemany("DELETE FROM work_results WHERE job_id = ?", [(j,) for j in job_ids])
    return len(job_ids)


def _identity(mutant: dict) -> tuple:
    """What a recorded mutant is, line number aside (lines shift when code above them changes)."""
    return mutant["function"], mutant["operator"], mutant["original"], mutant["mutant"]


def choose_recorded_survivors(recorded: list[dict], mutants: dict) -> tuple[dict, list[dict]]:
    """The fresh mutants that match the recorded survivors, and the recorded survivors that match none."""
    wanted = Counter(_identity(m) for m in recorded)
    chosen = {}
    for job_id, mutant in mutants.items():
        if wanted[_identity(mutant)] > 0:
            wanted[_identity(mutant)] -= 1
            chosen[job_id] = mutant
    unmatched = []
    for mutant in recorded:
        if wanted[_identity(mutant)] > 0:
            wanted[_identity(mutant)] -= 1
            unmatched.append(mutant)
    return chosen, unmatched


def merge_retest(before: dict, fresh: dict, seconds: float, command: str) -> dict:
    """The recorded entry with its survivors replaced by what became of them in the fresh run."""
    counts = dict(before["counts"])
    for verdict in ("survived", "no_tests"):
        counts[verdict] -= sum(1 for m in before["survivors"] if m["verdict"] == verdict)
    for verdict in ("killed", "timeout", "survived", "no_tests", "equivalent"):
        counts[verdict] += fresh["counts"][verdict]
    # A mutant the tool failed to run was not shown killed: it stays the survivor it was.
    counts["survived"] += fresh["counts"]["error"]
    survivors = fresh["survivors"] + [{**m, "verdict": "survived"} for m in fresh["errors"]]
    return {
        **before,
        **results.rates(counts),
        "date": fresh["date"],
        "command": command,
        "seconds": round(seconds),
        "survivors": survivors,
        "equivalents": before["equivalents"] + fresh["equivalents"],
    }


def retest_recorded(config: settings.Config, module: settings.Module, paths: list[str]) -> dict:
    recorded = json.loads(results.JSON_PATH.read_text(encoding="utf-8"))["modules"].get(module.path)
    if not recorded:
        raise SystemExit(f"No run of {module.path} to retest: run bin/mutants {module.path} first.")
    if not recorded["survivors"]:
        raise SystemExit(f"{module.path} has no recorded survivors to retest.")
    started = time.monotonic()
    session.prepare_trees(config.workers)
    pool = settings.Module(module.path, list(dict.fromkeys([*module.tests, *paths])))
    try:
        session.baseline(config, [pool], create_db=True)
    except session.BaselineFailed as error:
        raise SystemExit(str(error)) from None
    session.clone_databases(config.workers)
    session.select_tests(pool)
    work = session.work_dir(module)
    chosen, unmatched = choose_recorded_survivors(recorded["survivors"], session.create_mutants(config, module))
    if unmatched:
        lines = "; ".join(f"line {m['line']}: {m['original']}" for m in unmatched)
        raise SystemExit(f"{module.path} changed where survivors were ({lines}): run it in full (bin/mutants MODULE).")
    with use_db(str(work / "session.sqlite"), WorkDB.Mode.open) as db:
        filtered = dict(db.results)
        for item in db.work_items:
            if item.job_id not in chosen and item.job_id not in filtered:
                db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output="kept as recorded"))
    (work / "mutants.json").write_text(json.dumps(chosen, indent=1), encoding="utf-8")
    print(f"{module.path}: retesting {len(chosen)} recorded survivors in a fresh session", flush=True)
    session.execute(config, module)
    fresh = results.summarise(config, module, work, 0, "")
    again = f"bin/mutants retest {module.path} {' '.join(paths)}".strip()
    summary = merge_retest(
        recorded, fresh, recorded["seconds"] + time.monotonic() - started, f"{recorded['command']}; {again}"
    )
    results.write_markdown(config, results.record(module.path, summary))
    # This session holds only the survivors: `report` or a later retest must not take it for the whole module.
    (work / "mutants.json").rename(work / "retested-survivors.json")
    return summary


def retest(config: settings.Config, module: settings.Module, paths: list[str]) -> dict:
    if not (session.work_dir(module) / "mutants.json").exists():
        return retest_recorded(config, module, paths)
    check_source(module)
    started = time.monotonic()
    refresh_tests(config.workers)
    forget_vanished_tests(module)
    if paths:
        extend_selection(config, module, paths)
        session.clone_databases(config.workers)
    refilter(config, module)
    count = reset_survivors(config, module)
    print(f"{module.path}: retesting {count} survivors", flush=True)
    session.execute(config, module)
    before = json.loads(results.JSON_PATH.read_text(encoding="utf-8"))["modules"].get(module.path, {})
    seconds = before.get("seconds", 0) + time.monotonic() - started
    again = f"bin/mutants retest {module.path} {' '.join(paths)}".strip()
    command = f"{before.get('command', f'bin/mutants {module.path}')}; {again}"
    summary = results.summarise(config, module, session.work_dir(module), seconds, command)
    results.write_markdown(config, results.record(module.path, summary))
    return summary
