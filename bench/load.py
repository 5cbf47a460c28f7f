"""Row 7: HTTP under load. gunicorn (2 gthread workers) on the large database, driven by wrk.

    DATABASE_URL=... DEBUG=false SECRET_KEY=... .venv/bin/python bench/load.py --seconds 30

For 10, 50 and 100 connections it drives the authenticated API list (a liaison's session cookie) and a page
that touches no database (the anonymous sign-in form), and reports requests per second, p99 latency, errors,
non-2xx answers and the peak resident memory of every gunicorn process. Prints one JSON line per run and
writes bench/load.json.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "committee.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

HERE = Path(__file__).resolve().parent
PORT = 8731
ENDPOINTS = {"no database (GET /login/)": "/login/", "API list, liaison (50 rows)": "/api/v1/proposals/?page_size=50"}


def session_cookie(username: str) -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def rss_of(pids) -> dict[int, int]:
    sizes = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        sizes[pid] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return sizes


def gunicorn_pids(master: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()  # nosec B603 B607
    return [master, *map(int, children)]


def wrk(url: str, connections: int, seconds: int, cookie: str) -> dict:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # nosec B603
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    unit = {"us": 0.001, "ms": 1, "s": 1000}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p99_ms": round(float(p99.group(1)) * unit[p99.group(2)], 1) if p99 else None,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
        "non_2xx_3xx": int(non2xx.group(1)) if non2xx else 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", default="10,50,100")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    cookie = session_cookie("liaison-msit")
    server = subprocess.Popen(  # nosec B603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "committee.wsgi",
            "--workers=2",
            "--worker-class=gthread",
            "--threads=4",
            f"--bind=127.0.0.1:{PORT}",
            "--log-level=warning",
        ],
        cwd=HERE.parent,
    )
    results = []
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/login/", timeout=2)  # nosec B310
                break
            except OSError:
                time.sleep(0.2)
        peak = {}
        for connections in map(int, args.connections.split(",")):
            for name, path in ENDPOINTS.items():
                row = {"endpoint": name, "connections": connections}
                row.update(
                    wrk(f"http://127.0.0.1:{PORT}{path}", connections, args.seconds, cookie if "API" in name else "")
                )
                for pid, size in rss_of(gunicorn_pids(server.pid)).items():
                    peak[pid] = max(peak.get(pid, 0), size)
                results.append(row)
                print(json.dumps(row), flush=True)
        summary = {"peak_rss_mb": {str(pid): round(kb / 1024, 1) for pid, kb in peak.items()}}
        print(json.dumps(summary))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    (HERE / "load.json").write_text(json.dumps({"runs": results, **summary}, indent=1))


if __name__ == "__main__":
    main()
