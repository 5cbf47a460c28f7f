#!/usr/bin/env python3
"""Known vulnerabilities in the installed, pinned dependencies: pip-audit, with an offline fallback.

Run by .ci/run as `.venv/bin/python bin/audit_dependencies.py` (the virtualenv bin/test builds from
requirements-dev.txt, so every pin and every transitive dependency is audited at its installed version).

1. pip-audit asks the vulnerability service (PyPI's JSON API) about each `name==version`.
   Where that per-version API does not answer (some networks reach only PyPI's project pages), a package
   pinned at its latest release is judged from the project's JSON, whose vulnerabilities are those of the
   latest release: the same answer, for exactly that version.
2. Every answer is kept in a cache on this machine (AUDIT_CACHE_DIR, default ~/.cache/bio-committee-desk/audit).
3. A package the service could not answer about (network down, service refused or does not know the version)
   is judged from the cache, if that exact version was audited before, and says how old that answer is.
4. What is still unchecked is listed loudly. A network problem is not a vulnerability, so CI does not fail
   for it, unless AUDIT_STRICT=1 (a release pipeline sets it).

Exit status: 0 no known vulnerability (checked or, loudly, not checkable), 1 a known vulnerability,
2 something could not be checked and AUDIT_STRICT=1. A vulnerability with no fix yet can be accepted, with a
reason, in .ci/audit-ignore.txt (one ID per line, then `# reason`).
"""

import argparse
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = Path(os.environ.get("AUDIT_IGNORE_FILE", ROOT / ".ci" / "audit-ignore.txt"))
PYPI_PROJECT_JSON = "https://pypi.org/pypi/{name}/json"
CACHE_DIR = Path(os.environ.get("AUDIT_CACHE_DIR", Path.home() / ".cache" / "bio-committee-desk" / "audit"))
STALE_AFTER_DAYS = int(os.environ.get("AUDIT_STALE_AFTER_DAYS", "30"))


def canonical(name: str) -> str:
    """PEP 503: the name PyPI and pip-audit use (boolean.py -> boolean-py, jsonschema_rs -> jsonschema-rs)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_pins() -> list[str]:
    pins = {f"{canonical(dist.metadata['Name'])}=={dist.version}" for dist in metadata.distributions()}
    return sorted(pin for pin in pins if not pin.startswith("bio-committee-desk=="))


def pins_from(files: list[str]) -> list[str]:
    pins = []
    for name in files:
        for line in Path(name).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if "==" in line and not line.startswith("-"):
                package, version = line.split("==", 1)
                pins.append(f"{canonical(package.split('[')[0].strip())}=={version.strip()}")
    return sorted(set(pins))


def run_pip_audit(pins: list[str]) -> tuple[dict[str, list], dict[str, str]]:
    """Ask the service: ({pin: vulns} for every pin it answered about, {pin: reason} for the others)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as requirements:
        requirements.write("\n".join(pins) + "\n")
        requirements.flush()
        command = [
            sys.executable, "-m", "pip_audit", "-r", requirements.name, "--no-deps", "--disable-pip",
            "--format", "json", "--progress-spinner", "off", "--cache-dir", str(CACHE_DIR / "http"),
            "--timeout", os.environ.get("AUDIT_TIMEOUT", "15"),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        reason = lines[-1][:300] if lines else f"pip-audit exited with {result.returncode}"
        return {}, dict.fromkeys(pins, f"vulnerability service unreachable: {reason}")
    answered, unanswered = {}, {}
    versions = {pin.split("==")[0]: pin for pin in pins}
    for dependency in report.get("dependencies", []):
        pin = versions.get(canonical(dependency["name"]))
        if pin is None:
            continue  # not one we asked about
        if "skip_reason" in dependency:
            unanswered[pin] = dependency["skip_reason"]
        else:
            answered[pin] = dependency.get("vulns", [])
    for pin in pins:
        if pin not in answered and pin not in unanswered:
            unanswered[pin] = "not in pip-audit's report"
    return answered, unanswered


def latest_release_answer(pin: str) -> tuple[str, list | str]:
    """(pin, vulns) when the pin is the project's latest release, else (pin, why it cannot be judged)."""
    name, version = pin.split("==", 1)
    url = PYPI_PROJECT_JSON.format(name=name)
    timeout = float(os.environ.get("AUDIT_TIMEOUT", "15"))
    try:
        # Bandit B310 accepted: the URL is PyPI's fixed https address; only the package name varies.
        with urllib.request.urlopen(url, timeout=timeout) as response:  # nosec B310
            project = json.load(response)
    except (OSError, ValueError) as error:
        return pin, f"PyPI project page unreachable: {error}"[:300]
    latest = project.get("info", {}).get("version")
    if latest != version:
        return pin, f"per-version data unavailable and {version} is not the latest release ({latest})"
    vulns = [
        {"id": vuln["id"], "fix_versions": vuln.get("fixed_in") or [], "aliases": vuln.get("aliases") or []}
        for vuln in project.get("vulnerabilities") or []
        if not vuln.get("withdrawn")
    ]
    return pin, vulns


def ask_project_pages(unanswered: dict[str, str]) -> tuple[dict[str, list], dict[str, str]]:
    answered, still = {}, {}
    with ThreadPoolExecutor(max_workers=8) as pool:
        for pin, answer in pool.map(latest_release_answer, sorted(unanswered)):
            if isinstance(answer, list):
                answered[pin] = answer
            else:
                still[pin] = f"{unanswered[pin]}; {answer}"
    return answered, still


def load_cache() -> dict:
    try:
        return json.loads((CACHE_DIR / "answers.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def save_cache(cache: dict) -> None:
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / "answers.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(cache, indent=1, sort_keys=True))
    temporary.replace(path)


def ignored_ids() -> set[str]:
    if not IGNORE_FILE.exists():
        return set()
    ids = (line.split("#", 1)[0].strip() for line in IGNORE_FILE.read_text().splitlines())
    return {vuln_id for vuln_id in ids if vuln_id}


def audit(pins: list[str]) -> int:
    now = datetime.datetime.now(datetime.UTC)
    answered, unanswered = run_pip_audit(pins)
    if unanswered:
        more, unanswered = ask_project_pages(unanswered)
        answered.update(more)
    cache = load_cache()
    for pin, vulns in answered.items():
        cache[pin] = {"checked_at": now.isoformat(timespec="seconds"), "vulns": vulns}
    if answered:
        save_cache(cache)

    from_cache, unchecked = {}, {}
    for pin, reason in unanswered.items():
        if pin in cache:
            from_cache[pin] = cache[pin]
        else:
            unchecked[pin] = reason

    ignore = ignored_ids()
    findings = [(pin, vuln, "now") for pin, vulns in answered.items() for vuln in vulns]
    findings += [(pin, vuln, entry["checked_at"]) for pin, entry in from_cache.items() for vuln in entry["vulns"]]
    vulnerable = [(pin, vuln, when) for pin, vuln, when in findings if vuln["id"] not in ignore]

    digest = hashlib.sha256("\n".join(pins).encode()).hexdigest()[:12]
    print(f"Dependency audit of {len(pins)} pinned packages (set {digest}):")
    print(f"  {len(answered)} checked now, {len(from_cache)} from the cache, {len(unchecked)} NOT CHECKED")
    stale = [pin for pin, entry in from_cache.items() if _age_days(entry["checked_at"], now) > STALE_AFTER_DAYS]
    for pin in sorted(from_cache):
        print(f"  cached: {pin} (checked {from_cache[pin]['checked_at']})")
    if stale:
        print(f"  WARNING: {len(stale)} cached answers are older than {STALE_AFTER_DAYS} days: {', '.join(stale)}")
    for pin, vuln, when in vulnerable:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
        print(f"  VULNERABLE: {pin}: {vuln['id']} (fixed in: {fixes}; known {when})")
    if vulnerable:
        return 1
    if unchecked:
        reasons = sorted({re.sub(r"audited: \S+ \(\S+\)", "audited", reason) for reason in unchecked.values()})
        print("  " + "!" * 96)
        print(f"  NOT CHECKED for known vulnerabilities: {', '.join(sorted(unchecked))}. Reasons:")
        for reason in reasons[:5]:
            print(f"    - {reason}")
        if len(reasons) > 5:
            print(f"    - ... and {len(reasons) - 5} more")
        print("  A network problem is not a vulnerability: this run passes unless AUDIT_STRICT=1.")
        print("  Re-run where the vulnerability service answers to audit them (answers are then cached).")
        print("  " + "!" * 96)
        return 2 if os.environ.get("AUDIT_STRICT", "").lower() in {"1", "true", "yes"} else 0
    print("  No known vulnerabilities.")
    return 0


def _age_days(checked_at: str, now: datetime.datetime) -> float:
    return (now - datetime.datetime.fromisoformat(checked_at)).total_seconds() / 86400


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-r", "--requirement", action="append", default=[], help="audit these pins instead of the installed ones"
    )
    args = parser.parse_args()
    return audit(pins_from(args.requirement) if args.requirement else installed_pins())


if __name__ == "__main__":
    sys.exit(main())
