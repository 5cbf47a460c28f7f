"""What became of each mutant, per module, kept in docs/mutation-results.json and shown in docs/mutation-results.md.

Re-running one module replaces that module's entry only; the Markdown is regenerated from the JSON each time.
Kill rate = (killed + timeouts) / mutants, where mutants are all that ran (equivalents included); the rate
without equivalents is shown beside it.
"""

import datetime
import json
from importlib.metadata import version
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db

from . import settings

DOCS = Path(__file__).resolve().parent.parent / "docs"
JSON_PATH = DOCS / "mutation-results.json"
MD_PATH = DOCS / "mutation-results.md"
COUNTED = ("killed", "timeout", "survived", "no_tests", "equivalent")


def _verdict(result) -> str:
    if result.worker_outcome == "skipped":
        return "filtered"
    if result.worker_outcome != "normal":
        return "error"
    output = (result.output or "").strip()
    last = output.splitlines()[-1] if output else ""
    if output == "timeout" or last.startswith("MUTATION-TIMEOUT"):
        return "timeout"
    for marker, verdict in (("MUTATION-KILLED", "killed"), ("MUTATION-SURVIVED", "survived")):
        if last.startswith(marker):
            return verdict
    if last.startswith("MUTATION-NO-TESTS"):
        return "no_tests"
    return "error"


def _equivalent(config: settings.Config, module: str, mutant: dict) -> str:
    for entry in config.equivalents:
        if (entry.module, entry.line, entry.mutant) == (module, mutant["original"], mutant["mutant"]):
            return entry.reason
    return ""


def rates(counts: dict) -> dict:
    """The mutants that count, the counts, and the two kill rates."""
    total = sum(counts[k] for k in COUNTED)
    killed = counts["killed"] + counts["timeout"]
    return {
        "mutants": total,
        "counts": counts,
        "kill_rate": round(100 * killed / total, 1) if total else 0.0,
        "kill_rate_without_equivalents": round(100 * killed / (total - counts["equivalent"]), 1)
        if total > counts["equivalent"]
        else 0.0,
    }


def summarise(config: settings.Config, module: settings.Module, work: Path, seconds: float, command: str) -> dict:
    mutants = json.loads((work / "mutants.json").read_text(encoding="utf-8"))
    counts = dict.fromkeys((*COUNTED, "error", "pending"), 0)
    survivors, equivalents, errors = [], [], []
    with use_db(str(work / "session.sqlite"), WorkDB.Mode.open) as db:
        results = dict(db.results)
    for job_id, mutant in sorted(mutants.items(), key=lambda kv: (kv[1]["line"], kv[1]["operator"])):
        verdict = _verdict(results[job_id]) if job_id in results else "pending"
        if verdict in ("survived", "no_tests") and (reason := _equivalent(config, module.path, mutant)):
            verdict = "equivalent"
            equivalents.append({**mutant, "reason": reason})
        elif verdict in ("survived", "no_tests"):
            survivors.append({**mutant, "verdict": verdict})
        elif verdict == "error":
            errors.append({**mutant, "output": (results[job_id].output or "")[-400:]})
        counts[verdict] += 1
    return {
        "date": datetime.date.today().isoformat(),
        "command": command,
        "seconds": round(seconds),
        "filtered": sum(1 for r in results.values() if r.worker_outcome == "skipped"),
        **rates(counts),
        "survivors": survivors,
        "equivalents": equivalents,
        "errors": errors,
    }


def record(module_path: str, summary: dict) -> dict:
    data = json.loads(JSON_PATH.read_text(encoding="utf-8")) if JSON_PATH.exists() else {"modules": {}}
    data["modules"][module_path] = summary
    data["tools"] = {"cosmic-ray": version("cosmic-ray"), "coverage": version("coverage"), "pytest": version("pytest")}
    JSON_PATH.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


def _row(name: str, s: dict) -> str:
    c = s["counts"]
    minutes = f"{s['seconds'] / 60:.0f} min"
    # A stopped run's mutants that never ran are not counted; the row says how many, so it cannot pass for whole.
    mutants = f"{s['mutants']} (+{c['pending']} not run)" if c.get("pending") else s["mutants"]
    return (
        f"| {name} | {mutants} | {c['killed']} | {c['timeout']} | {c['survived'] + c['no_tests']} "
        f"| {c['equivalent']} | {c['error']} | {s['kill_rate']}% | {s['kill_rate_without_equivalents']}% "
        f"| {minutes} | {s['date']} |"
    )


def _total(modules: dict) -> dict:
    counts = {k: sum(s["counts"][k] for s in modules.values()) for k in (*COUNTED, "error")}
    return {
        "seconds": sum(s["seconds"] for s in modules.values()),
        **rates(counts),
        "date": max((s["date"] for s in modules.values()), default=""),
    }


def _mutant_line(m: dict) -> str:
    where = f"line {m['line']}" + (f" in `{m['function']}`" if m["function"] else "")
    after = f"`{m['mutant']}`" if m["mutant"] else "(line removed)"
    return f"{where}, {m['operator']}: `{m['original']}` → {after}"


def write_markdown(config: settings.Config, data: dict) -> None:
    order = [m.path for m in config.modules if m.path in data["modules"]]
    modules = {path: data["modules"][path] for path in order}
    tools = ", ".join(f"{k} {v}" for k, v in data.get("tools", {}).items())
    lines = [
        "# Mutation testing results",
        "",
        "Generated by `bin/mutants` (see the README, *Mutation testing*); do not edit by hand: equivalent mutants",
        f"are declared with their reason in `mutation/config.toml`. Tools: {tools}.",
        "",
        "Kill rate = (killed + timeouts) / mutants; equivalents count as mutants in the first rate and are left",
        "out of the second. Mutants that are not valid Python, duplicates and operators outside the policy in",
        "`mutation/config.toml` are filtered before the run and not counted.",
        "",
        "| module | mutants | killed | timeouts | survived | equivalent | errors | kill rate | without equivalents "
        "| run time | date |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *(_row(f"`{path}`", s) for path, s in modules.items()),
        _row("**total**", _total(modules)) if modules else "",
        "",
    ]
    for path, s in modules.items():
        lines += [f"## `{path}`", "", f"{s['date']}: `{s['command']}` ({s['filtered']} filtered).", ""]
        if s["counts"].get("pending"):
            lines += [
                f"**Partial run:** {s['counts']['pending']} mutants were not run (the run was stopped); the "
                f"figures are of the {s['mutants']} that ran. `bin/mutants --resume {path}` goes on.",
                "",
            ]
        if s["survivors"]:
            lines += ["Survivors (each needs a test or a reason):", ""]
            lines += [
                f"- {_mutant_line(m)}" + (" (no test runs it)" if m["verdict"] == "no_tests" else "")
                for m in s["survivors"]
            ]
            lines.append("")
        if s["equivalents"]:
            lines += ["Equivalent:", ""]
            lines += [f"- {_mutant_line(m)}: {m['reason']}" for m in s["equivalents"]]
            lines.append("")
        if s["errors"]:
            lines += ["Tool errors (not counted):", ""] + [f"- {_mutant_line(m)}" for m in s["errors"]] + [""]
    MD_PATH.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
