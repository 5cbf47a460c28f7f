"""One mutation session per module: a scratch copy of the tree, the covered baseline, the mutants, the run.

Mutants are written into var/mutants/tree, a copy of the working tree made at the start of each run, so the
files you work on are never mutated, even if a run is killed half way.
"""

import ast
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg
from cosmic_ray.mutating import mutate_code
from cosmic_ray.plugins import get_operator
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult

from . import runner, selection, settings

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "var" / "mutants"
COPY_IGNORE = shutil.ignore_patterns(
    ".git", "var", "test-results", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "media"
)


class BaselineFailed(RuntimeError):
    pass


def _cosmic_ray() -> list[str]:
    return [sys.executable, "-m", "mutation.cosmic"]


def work_dir(module: settings.Module) -> Path:
    return BASE / module.slug


def tree(worker: int = 0) -> Path:
    """The scratch copy a worker mutates; the baseline, the selection and cosmic-ray's session use the first."""
    return BASE / f"tree-{worker}"


def database(worker: int = 0) -> str:
    """Each worker's own test database, kept between its pytest runs (--reuse-db) and named for this tree."""
    tag = hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]
    return f"test_mutants_{tag}_{worker}"


def _postgres(*statements: str) -> list:
    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url.replace(urlparse(url).path, "/postgres"), autocommit=True) as conn:
        return [
            conn.execute(statement).fetchall() if statement.startswith("SELECT") else None for statement in statements
        ]


def clone_databases(workers: int) -> None:
    """Give every other worker a copy of the first worker's freshly built test database (if the pool made one)."""
    [found] = _postgres(f"SELECT 1 FROM pg_database WHERE datname = '{database(0)}'")
    for worker in range(1, workers if found else 1):
        _postgres(
            f'DROP DATABASE IF EXISTS "{database(worker)}" WITH (FORCE)',
            f'CREATE DATABASE "{database(worker)}" TEMPLATE "{database(0)}"',
        )


def prepare_trees(workers: int) -> None:
    for worker in range(workers):
        shutil.rmtree(tree(worker), ignore_errors=True)
        shutil.copytree(ROOT, tree(worker), symlinks=True, ignore=COPY_IGNORE)
        (tree(worker) / "var" / "test").mkdir(parents=True, exist_ok=True)


def _worker_env(worker: int) -> dict[str, str]:
    return dict(
        runner.pytest_env(),
        TEST_DATABASE_NAME=database(worker),
        VAR_DIR=str(tree(worker) / "var" / "test"),
    )


def baseline(config: settings.Config, modules: list[settings.Module], *, create_db: bool) -> float:
    """Run the modules' pools once, together, unmutated and under coverage. Returns seconds.

    One run for all: the pools overlap (tests/policies serves several modules), and each module's selection
    later keeps only the tests of its own pool.
    """
    shared = BASE / "baseline"
    shutil.rmtree(shared, ignore_errors=True)
    shared.mkdir(parents=True)
    pool = list(dict.fromkeys(path for module in modules for path in module.tests))
    include = ",".join(str(tree() / module.path) for module in modules)
    command = runner.pytest_command(
        config,
        "--reuse-db",
        *(["--create-db"] if create_db else []),
        "-x",
        "-p",
        "mutation.contexts",
        "-m",
        config.markers,
    )
    coverage = [sys.executable, "-m", "coverage", "run", f"--data-file={shared / 'coverage.sqlite'}"]
    command = [*coverage, f"--include={include}", *command[1:], *pool]
    started = time.monotonic()
    env = dict(_worker_env(0), MUTATION_DURATIONS=str(shared / "durations.json"))
    with (shared / "baseline.log").open("w", encoding="utf-8") as log:
        proc = subprocess.run(command, cwd=tree(), env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    if proc.returncode != 0:
        raise BaselineFailed(f"the unmutated tests fail: see {shared / 'baseline.log'}")
    return time.monotonic() - started


def select_tests(module: settings.Module) -> None:
    """Keep the module's unmutated source and its selection table (from the shared baseline) in its work dir."""
    shared, work = BASE / "baseline", work_dir(module)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    source = tree() / module.path
    shutil.copyfile(source, work / "original.py")
    durations = json.loads((shared / "durations.json").read_text(encoding="utf-8"))
    table = selection.build(source, shared / "coverage.sqlite", durations, module.tests, module.path)
    (work / "selection.json").write_text(json.dumps(table, indent=1), encoding="utf-8")


def _cosmic_ray_config(config: settings.Config, module: settings.Module, ports: list[int]) -> Path:
    work = work_dir(module)
    test_command = f"{sys.executable} -m mutation test {module.path} --work {work}"
    # cosmic-ray's own limit is only a backstop: the test command enforces the per-mutant budget itself.
    text = (
        "[cosmic-ray]\n"
        f'module-path = "{module.path}"\n'
        "timeout = 7200.0\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(test_command)}\n"
    )
    if ports:
        urls = ", ".join(f'"http://127.0.0.1:{port}"' for port in ports)
        text += f'[cosmic-ray.distributor]\nname = "http"\n[cosmic-ray.distributor.http]\nworker-urls = [{urls}]\n'
    else:
        text += '[cosmic-ray.distributor]\nname = "local"\n'

    path = work / "cosmic-ray.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(config: settings.Config, operator_name: str) -> str:
    """Why an operator is left out by the policy in config.toml, or '' when it is used."""
    name = operator_name.removeprefix("core/")
    for family, allowed in (
        ("ReplaceBinaryOperator_", config.binary),
        ("ReplaceComparisonOperator_", config.comparison),
    ):
        if name.startswith(family) and name.removeprefix(family) not in allowed:
            return f"operator {name} is outside the policy"
    return ""


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the type annotations are: they state types, not rules (mutmut leaves them alone too)."""
    spans = []
    for node in ast.walk(ast.parse(source)):
        annotations = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            annotations.append(node.returns)
        elif isinstance(node, ast.arg | ast.AnnAssign):
            annotations.append(node.annotation)
        spans += [((a.lineno, a.col_offset), (a.end_lineno, a.end_col_offset)) for a in annotations if a is not None]
    return spans


def not_a_rule(source: str, spans: list, spec) -> str:
    """Why a mutant changes no rule: it sits in a type annotation, or turns the `*` of keyword-only arguments
    into `/` (cosmic-ray takes that star for a multiplication)."""
    position = tuple(spec.start_pos)
    if any(start <= position < end for start, end in spans):
        return "in a type annotation"
    row, col = spec.start_pos
    line = source.splitlines()[row - 1]
    if line[col : col + 1] == "*" and line[col + 1 :].lstrip()[:1] in (",", ")"):
        return "the keyword-only marker is not an operator"
    return ""


def _describe(original: str, mutated: str, line: int) -> tuple[str, str]:
    """The original line and what the mutant made of it (stripped; '' for a removed line)."""
    changed = selection.changed_lines(original, mutated)
    old = original.splitlines()
    first = changed[0] if changed else line
    new_lines = mutated.splitlines()
    offset = len(new_lines) - len(old)
    new = new_lines[first - 1].strip() if offset == 0 and first <= len(new_lines) else ""
    return old[first - 1].strip(), new


def create_mutants(config: settings.Config, module: settings.Module) -> dict:
    """cosmic-ray init, then keep the mutants the policy wants that are valid Python and distinct."""
    work = work_dir(module)
    cfg = _cosmic_ray_config(config, module, ports=[])
    subprocess.run([*_cosmic_ray(), "init", str(cfg), str(work / "session.sqlite")], cwd=tree(), check=True)
    original = (work / "original.py").read_text(encoding="utf-8")
    mutants, seen, spans = {}, {}, annotation_spans(original)
    with use_db(str(work / "session.sqlite"), WorkDB.Mode.open) as db:
        for item in db.work_items:
            (spec,) = item.mutations
            reason = refusal(config, spec.operator_name) or not_a_rule(original, spans, spec)
            mutated = None if reason else mutate_code(original, get_operator(spec.operator_name)(), spec.occurrence)
            if not reason and mutated is None:
                reason = "no mutation applied"
            if not reason:
                try:
                    compile(mutated, module.path, "exec")
                except SyntaxError:
                    reason = "not valid Python"
            if not reason and mutated in seen:
                reason = f"same code as {seen[mutated]}"
            if reason:
                db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=reason))
                continue
            seen[mutated] = item.job_id
            line, mutant = _describe(original, mutated, spec.start_pos[0])
            mutants[item.job_id] = {
                "line": spec.start_pos[0],
                "operator": spec.operator_name.removeprefix("core/"),
                "function": spec.definition_name or "",
                "original": line,
                "mutant": mutant,
            }
    (work / "mutants.json").write_text(json.dumps(mutants, indent=1), encoding="utf-8")
    return mutants


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise RuntimeError(f"cosmic-ray http-worker on port {port} exited with {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError(f"cosmic-ray http-worker on port {port} did not start")


def execute(config: settings.Config, module: settings.Module) -> None:
    """Run the pending mutants: in tree-0 alone, or spread over one HTTP worker per scratch tree."""
    work = work_dir(module)
    for worker in range(config.workers):  # a run killed mid-mutant leaves its mutant on disk
        shutil.copyfile(work / "original.py", tree(worker) / module.path)
    ports = [_free_port() for _ in range(config.workers)] if config.workers > 1 else []
    cfg = _cosmic_ray_config(config, module, ports)
    workers = []
    with (work / "exec.log").open("a", encoding="utf-8") as log:
        try:
            for worker, port in enumerate(ports):
                command = [*_cosmic_ray(), "http-worker", "--port", str(port)]
                workers.append(
                    subprocess.Popen(command, cwd=tree(worker), env=_worker_env(worker), stdout=log, stderr=log)
                )
                _wait_for(port, workers[-1])
            exec_command = [*_cosmic_ray(), "exec", str(cfg), str(work / "session.sqlite")]
            subprocess.run(exec_command, cwd=tree(), env=_worker_env(0), stdout=log, stderr=log, check=True)
        finally:
            for proc in workers:
                proc.terminate()
                proc.wait(timeout=60)
