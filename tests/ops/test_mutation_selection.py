"""Which tests a mutant runs: coverage names the tests that ran its function; for a mutation of a module-level
value, the tests whose file imports the module count too (they read the value without running a line of it).

The 2026-11-26 run of policies/notifications.py let a mutant of CHOOSABLE_KINDS survive that
tests/notifications/test_email_choices.py kills: that test only reads the tuple, so coverage never named it.
"""

from pathlib import Path

from coverage import CoverageData

from mutation import selection

MODULE = """\
LIMITS = tuple(n for n in range(5) if n > 1)


def over(n):
    return n > LIMITS[-1]
"""


def tree_with_tests(root: Path) -> None:
    (root / "pkg").mkdir()
    (root / "pkg" / "rules.py").write_text(MODULE)
    (root / "tests").mkdir()
    (root / "tests" / "test_runs.py").write_text("from pkg.rules import over\n")
    (root / "tests" / "test_reads.py").write_text("from pkg.rules import LIMITS\n")
    (root / "tests" / "test_package.py").write_text("from pkg import other, rules  # noqa\n")
    (root / "tests" / "test_elsewhere.py").write_text("from pkg.rulesets import X  # a longer name\n")
    (root / "outside").mkdir()
    (root / "outside" / "test_far.py").write_text("from pkg.rules import LIMITS\n")


def coverage_of(root: Path) -> Path:
    """The baseline's coverage: test_runs ran `over` (line 5); the others ran no line of the module."""
    data = CoverageData(basename=str(root / "coverage.sqlite"))
    data.set_context("tests/test_runs.py::test_over")
    data.add_lines({str((root / "pkg" / "rules.py").resolve()): [5]})
    data.write()
    return root / "coverage.sqlite"


def test_a_module_level_mutation_runs_the_tests_that_import_the_module(tmp_path):
    tree_with_tests(tmp_path)
    durations = {
        "tests/test_runs.py::test_over": 0.1,
        "tests/test_reads.py::test_limits": 0.2,
        "tests/test_package.py::test_rules": 0.3,
        "tests/test_elsewhere.py::test_x": 0.1,
        "outside/test_far.py::test_limits": 0.1,  # imports the module, but is not in the pool
    }
    table = selection.build(
        tmp_path / "pkg" / "rules.py", coverage_of(tmp_path), durations, ["tests"], module_path="pkg/rules.py"
    )
    assert selection.tests_for(table, [1]) == [
        "tests/test_runs.py::test_over",
        "tests/test_reads.py::test_limits",
        "tests/test_package.py::test_rules",
    ]
    # Inside a function, coverage alone still decides.
    assert selection.tests_for(table, [5]) == ["tests/test_runs.py::test_over"]

    without = selection.build(tmp_path / "pkg" / "rules.py", coverage_of(tmp_path), durations, ["tests"])
    assert selection.tests_for(without, [1]) == ["tests/test_runs.py::test_over"]


def test_a_retest_leaves_out_tests_renamed_or_removed_since_the_run(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_a.py").write_text(
        "def test_kept():\n    pass\n\n\nclass TestGroup:\n    def test_in_a_class(self):\n        pass\n\n\n"
        "def test_renamed_since():\n    pass\n"
    )
    table = {
        "functions": [
            {"first": 1, "last": 9, "tests": ["tests/test_a.py::test_kept[1]", "tests/test_a.py::test_renamed"]},
            {
                "first": 10,
                "last": 12,
                "tests": ["tests/test_a.py::TestGroup::test_in_a_class", "tests/gone.py::test_x"],
            },
        ],
        "module_tests": ["tests/test_a.py::test_kept[2]", "tests/test_a.py::test_renamed_since_then"],
        "durations": {},
    }
    vanished = selection.drop_vanished_tests(table, tmp_path)
    assert vanished == [
        "tests/gone.py::test_x",
        "tests/test_a.py::test_renamed",
        "tests/test_a.py::test_renamed_since_then",
    ]
    assert [f["tests"] for f in table["functions"]] == [
        ["tests/test_a.py::test_kept[1]"],
        ["tests/test_a.py::TestGroup::test_in_a_class"],
    ]
    assert table["module_tests"] == ["tests/test_a.py::test_kept[2]"]
