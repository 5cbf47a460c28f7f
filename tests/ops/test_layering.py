"""The layering contract (.importlinter) holds for the tree, and breaks when a forbidden import is added to a copy."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """lint-imports over `tree`, its packages found there first (never the checkout the tests run from)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "200"}  # one report line per contract
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert result.stdout.count(" KEPT") == 3


@pytest.fixture(scope="module")
def copy_of_the_tree(tmp_path_factory):
    tree = tmp_path_factory.mktemp("layering")
    ignore = shutil.ignore_patterns("__pycache__", "static", "*.pyc")
    for package in ("committee", "policies"):
        shutil.copytree(ROOT / package, tree / package, ignore=ignore)
    shutil.copy(ROOT / ".importlinter", tree / ".importlinter")
    return tree


def services_module(tree: Path) -> str:
    # policies.services is one module today and may become a package: the contract covers both.
    return "policies/services.py" if (tree / "policies/services.py").exists() else "policies/services/__init__.py"


@pytest.mark.parametrize(
    ("module", "forbidden", "contract"),
    [
        ("committee/directory/models.py", "import policies.models", "Apps:"),
        ("committee/audit/log.py", "import committee.directory.models", "Apps:"),
        ("committee/outbox/delivery.py", "import policies.notifications", "Apps:"),
        ("committee/outbox/models.py", "import committee.errors", "Apps never import the project package"),
        ("policies/workflow.py", "import policies.portal.views", "Policy domain never imports its faces"),
        ("policies/notifications.py", "import policies.admin.base", "Policy domain never imports its faces"),
        (None, "import policies.api.serializers", "Policy domain never imports its faces"),
    ],
    ids=[
        "directory>policies",
        "audit>directory",
        "outbox>policies",
        "outbox>project",
        "workflow>portal",
        "notifications>admin",
        "services>api",
    ],
)
def test_a_forbidden_import_breaks_its_contract(copy_of_the_tree, module, forbidden, contract):
    path = copy_of_the_tree / (module or services_module(copy_of_the_tree))
    original = path.read_text(encoding="utf-8")
    path.write_text(f"{original}\n{forbidden}  # added by the test\n", encoding="utf-8")
    try:
        result = lint_imports(copy_of_the_tree)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [line for line in result.stdout.splitlines() if line.endswith(" BROKEN")]
    assert any(contract in line for line in broken), result.stdout
    assert forbidden.split()[-1] in result.stdout  # the report names the import


def test_the_copy_is_clean_before_anything_is_added(copy_of_the_tree):
    assert lint_imports(copy_of_the_tree).returncode == 0
