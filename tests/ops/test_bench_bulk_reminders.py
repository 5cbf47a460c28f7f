"""The bulk generator (bench/bulk.py) writes the reminder days the services would have set: the first stage of
every open consultation and unfinished action, none for the others (the sweep's first run catches up)."""

import importlib.util
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from committee.dates import seoul_today
from policies.models import Consultation, FollowUpAction
from policies.reminders import first_action_reminder, first_consultation_reminder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEMO_PASSWORD = "demo-password-for-tests"


def load_bulk():
    path = Path(__file__).resolve().parents[2] / "bench" / "bulk.py"
    spec = importlib.util.spec_from_file_location("bench_bulk", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bulk_rows_start_at_their_first_reminder_stage_and_finished_ones_have_none(monkeypatch):
    call_command("seed_demo", "--without-debug", stdout=StringIO())
    monkeypatch.setattr(sys, "stderr", StringIO())  # the progress lines
    load_bulk().generate_bulk(1000, 1, seoul_today(), out=StringIO())
    consultations = Consultation.objects.filter(proposal__title__startswith="[bulk-1]")
    actions = FollowUpAction.objects.filter(title__contains="Follow-up")
    assert consultations.filter(status="open").exists() and actions.exclude(status="done").exists()
    for deadline, status, day in consultations.values_list("deadline", "status", "next_reminder_on"):
        assert day == (first_consultation_reminder(deadline) if status == "open" else None)
    for due, status, day in actions.values_list("due_date", "status", "next_reminder_on"):
        assert day == (first_action_reminder(due) if status != "done" else None)
