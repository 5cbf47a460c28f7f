"""A manage.py command run by hand from a fresh shell works as the README says: bin/manage <command>."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bin_manage_check_works_from_a_shell_with_nothing_set(tmp_path):
    fresh = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path)), "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [str(ROOT / "bin" / "manage"), "check"], cwd=tmp_path, env=fresh, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_a_bare_manage_py_says_how_to_run_it_by_hand(tmp_path):
    fresh = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path))}
    python = ROOT / ".venv" / "bin" / "python"
    result = subprocess.run(
        [str(python), "manage.py", "check"], cwd=ROOT, env=fresh, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    assert "bin/manage <command>, or DEBUG=true" in result.stderr
