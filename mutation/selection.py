"""Which tests may kill a mutant: the tests that ran the mutated function in the baseline, fastest first.

A mutation inside a function (its decorators and default values included) is run against the tests that
executed that function's body; one outside every function (module or class level, e.g. the workflow table),
or in a function that only ran while the module was imported, against every test that executed any line of
the module and every test in a file that imports the module: a test reading a module-level value (a table, a
tuple of choices) runs no line of the module while it runs, so coverage alone never names it.
"""

import ast
import difflib
import json
import re
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


def _importers(root: Path, module_path: str, nodeids) -> set[str]:
    """The tests (of `nodeids`) whose file imports the module at `module_path` (relative to `root`)."""
    dotted = module_path.removesuffix(".py").replace("/", ".")
    package, _, name = dotted.rpartition(".")
    imports = re.compile(rf"\b{re.escape(dotted)}\b|from {re.escape(package)} import [^\n]*\b{re.escape(name)}\b")
    files: dict[str, bool] = {}
    found = set()
    for nodeid in nodeids:
        path = nodeid.split("::")[0]
        if path not in files:
            test_file = root / path
            files[path] = test_file.is_file() and bool(imports.search(test_file.read_text(encoding="utf-8")))
        if files[path]:
            found.add(nodeid)
    return found


def build(
    source_path: Path, coverage_file: Path, durations: dict[str, float], pool: list[str], module_path: str = ""
) -> dict:
    """The selection table of one module, from its source and the baseline's coverage (its pool's tests only).

    `module_path` (relative to the tree, e.g. policies/notifications.py) adds the pool's tests whose file imports
    the module to the tests of module-level mutations."""
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
    module_tests = set().union(*by_line.values()) if by_line else set()
    if module_path:
        root = source_path.resolve().parents[len(Path(module_path).parts) - 1]
        module_tests |= _importers(root, module_path, [n for n in durations if _in_pool(n, pool)])
    module_tests = sorted(module_tests)
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


def drop_vanished_tests(table: dict, root: Path) -> list[str]:
    """Forget tests renamed or removed since the run: pytest refuses a whole selection naming one (exit 4).

    A test is kept while its file under `root` still defines a function of its name.
    """
    sources: dict[str, str] = {}

    def defined(nodeid: str) -> bool:
        path, _, rest = nodeid.partition("::")
        name = rest.split("::")[-1].split("[")[0]
        if path not in sources:
            file = root / path
            sources[path] = file.read_text(encoding="utf-8") if file.is_file() else ""
        return re.search(rf"^\s*(async\s+)?def {re.escape(name)}\(", sources[path], re.MULTILINE) is not None

    vanished = {t for f in table["functions"] for t in f["tests"]} | set(table["module_tests"])
    vanished = {nodeid for nodeid in vanished if not defined(nodeid)}
    for function in table["functions"]:
        function["tests"] = [t for t in function["tests"] if t not in vanished]
    table["module_tests"] = [t for t in table["module_tests"] if t not in vanished]
    return sorted(vanished)
