"""Latency and SQL queries of the busiest pages and API lists, per role, on a database filled by generate.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bio_bench DEBUG=true \\
        .venv/bin/python bench/pages.py --repeat 30

Requests go through Django's test client in this process (no network, no web server), so the figures are
the application's own cost: views, serializers, templates and PostgreSQL. Prints one JSON line per page.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "committee.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from policies.models import Proposal  # noqa: E402

PAGES = {
    "secretariat": [
        "/api/v1/proposals/?page_size=25",
        "/api/v1/proposals/?page_size=100",
        "/api/v1/proposals/?state=under_review&policy_area=health",
        "/api/v1/proposals/?search=bio",
        "/api/v1/consultations/?page_size=100",
        "/api/v1/actions/?page_size=100",
        "/api/v1/meetings/",
        "/",
        "/proposals/",
        "/admin/policies/proposal/",
        "/admin/policies/proposal/dashboard/",
    ],
    "liaison-msit": [
        "/api/v1/proposals/?page_size=25",
        "/api/v1/proposals/?page_size=100",
        "/api/v1/consultations/?page_size=100",
        "/",
        "/proposals/",
    ],
    "member-1": [
        "/api/v1/proposals/?page_size=100",
        "/",
        "/proposals/",
    ],
}


def measure(client, url, repeat):
    client.get(url)  # warm caches and connections
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "status": response.status_code,
        "queries": len(queries.captured_queries),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print(json.dumps({"database": connection.vendor, "proposals": Proposal.objects.count()}))
    for username, urls in PAGES.items():
        client = Client(SERVER_NAME="localhost", HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(get_user_model().objects.get(username=username))
        for url in urls:
            print(json.dumps({"user": username, "url": url, **measure(client, url, args.repeat)}), flush=True)


if __name__ == "__main__":
    main()
