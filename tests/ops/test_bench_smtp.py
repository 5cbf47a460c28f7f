"""bench/smtp.py (row 6) runs end to end: a real worker on Redis delivers every event's email to its SMTP server.

Only that it runs and counts right: its timings are measured by bench/run, never asserted here.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.outbox.test_worker import database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_five_submissions_are_five_emails_accepted(committee, secretariat, lead_liaison, health, tmp_path):
    out = tmp_path / "results-smtp.json"
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.CELERY_BROKER_URL}
    command = [sys.executable, "bench/smtp.py", "--events", "5", "--warm-up", "1", "--timeout", "20", "--out", out]
    done = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    row = json.loads(Path(out).read_text())["rows"][0]
    assert (row["events"], row["emails"], row["delivered"], row["missing"], row["duplicates"]) == (5, 5, 5, 0, 0)
    assert row["concurrency"] == 2 and row["p95_ms"] > 0
