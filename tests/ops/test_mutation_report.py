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
    (tmp_path / "session.sqlite").write_text("")
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
