"""The mutation results file cannot pass a stopped run off as a whole one: it says how many mutants never ran."""

import json

from mutation import results, settings


def summary(pending: int) -> dict:
    counts = {"killed": 8, "timeout": 0, "survived": 1, "no_tests": 0, "equivalent": 1, "error": 0, "pending": pending}
    return {
        "date": "2026-11-26",
        "command": "bin/mutants policies/permissions.py",
        "seconds": 600,
        "mutants": 10,
        "filtered": 0,
        "counts": counts,
        "kill_rate": 80.0,
        "kill_rate_without_equivalents": 88.9,
        "survivors": [],
        "equivalents": [],
        "errors": [],
    }


def test_a_partial_run_says_how_many_mutants_never_ran(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "MD_PATH", tmp_path / "results.md")
    config = settings.load()
    results.write_markdown(config, {"modules": {"policies/permissions.py": summary(pending=126)}, "tools": {}})
    text = (tmp_path / "results.md").read_text()
    assert "| `policies/permissions.py` | 10 (+126 not run) |" in text
    assert "**Partial run:** 126 mutants were not run" in text

    results.write_markdown(config, {"modules": {"policies/permissions.py": summary(pending=0)}, "tools": {}})
    text = (tmp_path / "results.md").read_text()
    assert "| `policies/permissions.py` | 10 |" in text and "Partial run" not in text


def test_a_stopped_and_resumed_run_is_reported_with_the_time_and_date_it_took(tmp_path, monkeypatch):
    """`bin/mutants report --run-date/--run-seconds/--run-command`: without them the entry keeps the older run's."""
    from mutation import __main__ as cli
    from mutation import session

    monkeypatch.setattr(results, "MD_PATH", tmp_path / "results.md")
    monkeypatch.setattr(results, "JSON_PATH", tmp_path / "results.json")
    (tmp_path / "mutants.json").write_text("{}")  # a kept session of the whole module
    monkeypatch.setattr(session, "work_dir", lambda module: tmp_path)
    monkeypatch.setattr(
        results,
        "summarise",
        lambda config, module, work, seconds, command: {
            **summary(pending=76),
            "seconds": seconds,
            "command": command,
            "date": "2026-11-28",
        },
    )
    config = settings.load()
    module = next(m for m in config.modules if m.path == "policies/permissions.py")
    results.record(module.path, summary(pending=91))  # the older run's entry: 2026-11-26, 600 s

    cli.report(config, [module])
    kept = json.loads((tmp_path / "results.json").read_text())["modules"][module.path]
    assert (kept["date"], kept["seconds"], kept["command"]) == (
        "2026-11-26",
        600,
        "bin/mutants policies/permissions.py",
    )

    cli.report(
        config, [module], {"date": "2026-11-27", "seconds": 3900, "command": "bin/mutants --resume X", "x": None}
    )
    new = json.loads((tmp_path / "results.json").read_text())["modules"][module.path]
    assert (new["date"], new["seconds"], new["command"]) == ("2026-11-27", 3900, "bin/mutants --resume X")
    assert "| `policies/permissions.py` | 10 (+76 not run) |" in (tmp_path / "results.md").read_text()


def test_the_command_line_still_reaches_each_verb(monkeypatch):
    """`report --run-*` once named a local `run`, which hid the `run` verb's function from `main` altogether."""
    from mutation import __main__ as cli

    called = []
    monkeypatch.setattr(cli, "run", lambda config, modules, *, resume: called.append(("run", resume)) or 0)
    monkeypatch.setattr(cli, "report", lambda config, modules, stopped=None: called.append(("report", stopped)) or 0)
    assert cli.main(["run", "policies/permissions.py"]) == 0
    assert cli.main(["report", "policies/permissions.py", "--run-seconds", "60"]) == 0
    assert called == [("run", False), ("report", {"date": None, "seconds": 60, "command": None})]


def mutant(line: int, original: str, changed: str, verdict: str = "survived") -> dict:
    return {
        "line": line,
        "operator": "ReplaceComparisonOperator_Lt_LtE",
        "function": "check_deadline",
        "original": original,
        "mutant": changed,
        "verdict": verdict,
    }


def test_a_retest_on_a_new_machine_finds_the_recorded_survivors_among_fresh_mutants_whatever_their_line():
    """Without the run's kept session, survivors are matched by what they are, not by line: lines shift."""
    from mutation import retest

    recorded = [mutant(66, "if a < b:", "if a <= b:"), mutant(70, "if c < d:", "if c <= d:")]
    fresh = {
        "j1": {**mutant(68, "if a < b:", "if a <= b:"), "verdict": None},  # two lines lower now
        "j2": {**mutant(69, "if a < b:", "if a >= b:"), "verdict": None},  # killed before: not retested
        "j3": {**mutant(72, "if c < d:", "if c <= d:"), "verdict": None},
    }
    chosen, unmatched = retest.choose_recorded_survivors(recorded, fresh)
    assert (sorted(chosen), unmatched) == (["j1", "j3"], [])

    # The second survivor's line was rewritten since: the retest cannot vouch for it, and says so.
    chosen, unmatched = retest.choose_recorded_survivors(recorded, {"j1": fresh["j1"]})
    assert (sorted(chosen), [m["line"] for m in unmatched]) == (["j1"], [70])


def test_a_retest_on_a_new_machine_keeps_the_recorded_counts_and_moves_only_its_survivors():
    from mutation import retest

    before = summary(pending=40)
    before["survivors"] = [mutant(66, "if a < b:", "if a <= b:"), mutant(70, "if c < d:", "if c <= d:")]
    before["counts"].update(killed=7, survived=2)  # 7 + 2 + 1 equivalent = the 10 that ran
    fresh = summary(pending=0)
    fresh["counts"] = dict.fromkeys(before["counts"], 0) | {"killed": 1, "error": 1}
    fresh["date"], fresh["errors"] = "2026-11-27", [mutant(70, "if c < d:", "if c <= d:", verdict="error")]

    merged = retest.merge_retest(before, fresh, 900.4, "bin/mutants X; bin/mutants retest X")
    assert merged["counts"] == {**before["counts"], "killed": 8, "survived": 1}
    assert (merged["mutants"], merged["kill_rate"], merged["kill_rate_without_equivalents"]) == (10, 80.0, 88.9)
    # A mutant the tool failed to run was not shown killed: it is still listed as a survivor.
    assert [m["line"] for m in merged["survivors"]] == [70]
    assert (merged["date"], merged["seconds"], merged["command"]) == (
        "2026-11-27",
        900,
        "bin/mutants X; bin/mutants retest X",
    )
