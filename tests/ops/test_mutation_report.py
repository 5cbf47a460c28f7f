"""The mutation results file cannot pass a stopped run off as a whole one: it says how many mutants never ran."""

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
