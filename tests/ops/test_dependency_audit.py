"""The dependency audit in .ci/run: offline it judges from its cache, and it never passes or fails falsely.

These runs are offline on purpose: every request goes to a proxy address where nothing listens, so pip-audit
and the project-page fallback really fail to connect, as on a machine without network.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bin" / "audit_dependencies.py"
PIN = "django==5.2.19"
VULN = {"id": "PYSEC-2099-1", "fix_versions": ["5.2.20"], "aliases": ["CVE-2099-0001"]}


@pytest.fixture
def offline_audit(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"{PIN}\n")
    cache = tmp_path / "cache"

    def run(*, cached=None, strict=False, ignore=""):
        if cached is not None:
            cache.mkdir(exist_ok=True)
            (cache / "answers.json").write_text(json.dumps(cached))
        (tmp_path / "ignore.txt").write_text(ignore)
        nowhere = "http://127.0.0.1:9"  # the discard port: connection refused
        env = {
            **{key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ},
            "AUDIT_CACHE_DIR": str(cache),
            "AUDIT_IGNORE_FILE": str(tmp_path / "ignore.txt"),
            "AUDIT_TIMEOUT": "5",
            "HTTPS_PROXY": nowhere,
            "https_proxy": nowhere,
            "HTTP_PROXY": nowhere,
            "http_proxy": nowhere,
            "AUDIT_STRICT": "1" if strict else "",
        }
        return subprocess.run(
            [sys.executable, str(SCRIPT), "-r", str(requirements)],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    return run


def test_unreachable_service_and_no_cache_passes_loudly_not_silently(offline_audit):
    result = offline_audit()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "NOT CHECKED for known vulnerabilities: django==5.2.19" in result.stdout
    assert "unreachable" in result.stdout


def test_strict_mode_fails_when_something_could_not_be_checked(offline_audit):
    assert offline_audit(strict=True).returncode == 2


def test_offline_a_cached_vulnerability_fails_the_audit(offline_audit):
    result = offline_audit(cached={PIN: {"checked_at": "2026-11-01T00:00:00+00:00", "vulns": [VULN]}})
    assert result.returncode == 1, result.stdout
    assert "VULNERABLE: django==5.2.19: PYSEC-2099-1 (fixed in: 5.2.20" in result.stdout
    assert "1 from the cache" in result.stdout


def test_offline_a_clean_cached_answer_passes_and_says_how_old_it_is(offline_audit):
    result = offline_audit(cached={PIN: {"checked_at": "2020-01-01T00:00:00+00:00", "vulns": []}})
    assert result.returncode == 0, result.stdout
    assert "cached: django==5.2.19 (checked 2020-01-01" in result.stdout
    assert "older than 30 days" in result.stdout
    assert "No known vulnerabilities." in result.stdout


def test_an_accepted_vulnerability_with_a_reason_does_not_fail(offline_audit):
    cached = {PIN: {"checked_at": "2026-11-01T00:00:00+00:00", "vulns": [VULN]}}
    result = offline_audit(cached=cached, ignore="PYSEC-2099-1  # no fix yet; the affected API is unused\n")
    assert result.returncode == 0, result.stdout
