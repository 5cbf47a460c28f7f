"""Which tests may kill a mutant: the tests that ran the mutated function in the baseline, fastest first.

A mutation inside a function (its decorators and default values included) is run against the tests that
executed that function's body; one outside every function (module or class level, e.g. the workflow table),
or in a function that only ran while the module was imported, against every test that executed any line of
the module.
"""

import ast
import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from coverage import CoverageData


@dataclass(frozen=True)
class Function:
    name: str
    first: int  # first line of its decorators or `def`
    last: int
    tests: tuple[str, ...]


def _functions(source: str) -> list[tuple[str, int, int, int]]:
    """(name, first line, first body line, last line) of every function, nested ones included."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            found.append((node.name, first, node.body[0].lineno, node.end_lineno))
    return found


def _in_pool(nodeid: str, pool: list[str]) -> bool:
    path = nodeid.split("::")[0]
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in pool)


def build(source_path: Path, coverage_file: Path, durations: dict[str, float], pool: list[str]) -> dict:
    """The selection table of one module, from its source and the baseline's coverage (its pool's tests only)."""
    data = CoverageData(basename=str(coverage_file))
    data.read()
    measured = str(source_path.resolve())
    raw = data.contexts_by_lineno(measured)
    by_line = {line: {c for c in contexts if c and _in_pool(c, pool)} for line, contexts in raw.items()}
    functions = []
    for name, first, body, last in _functions(source_path.read_text(encoding="utf-8")):
        lines = range(body, last + 1)
        tests = set().union(*(by_line.get(line, set()) for line in lines))
        # Run while the module was imported (the workflow table's `_t`): whatever uses the module may notice.
        imported = any("" in raw.get(line, ()) for line in lines)
        functions.append({"name": name, "first": first, "last": last, "tests": sorted(tests), "imported": imported})
    module_tests = sorted(set().union(*by_line.values())) if by_line else []
    return {"functions": functions, "module_tests": module_tests, "durations": durations}


def changed_lines(original: str, mutated: str) -> list[int]:
    """Line numbers (in the original) that the mutation touched."""
    old, new = original.splitlines(), mutated.splitlines()
    lines = []
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            lines.extend(range(i1 + 1, i2 + 1) if i2 > i1 else [i1 + 1])
    # Removing a decorator also removes the blank lines above it: those say nothing about where the mutant is.
    meaningful = [line for line in lines if line <= len(old) and old[line - 1].strip()]
    return meaningful or lines


def tests_for(table: dict, lines: list[int]) -> list[str]:
    """The tests to run for a mutant on these lines, fastest first."""
    chosen: set[str] = set()
    for line in lines:
        enclosing = [f for f in table["functions"] if f["first"] <= line <= f["last"]]
        innermost = min(enclosing, key=lambda f: f["last"] - f["first"]) if enclosing else None
        if innermost and (innermost["tests"] or not innermost.get("imported")):
            chosen.update(innermost["tests"])
        else:
            chosen.update(table["module_tests"])
    durations = table["durations"]
    return sorted(chosen, key=lambda nodeid: (durations.get(nodeid, 0.0), nodeid))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
