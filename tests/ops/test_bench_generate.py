"""The benchmark data generator makes what it says, through the services, and adds only what is missing."""

import importlib.util
from io import StringIO
from pathlib import Path

import pytest

from policies.models import Meeting, Proposal, ProposalState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_generator():
    path = Path(__file__).resolve().parents[2] / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_creates_proposals_in_many_states_and_a_second_run_adds_nothing():
    bench = load_generator()
    result = bench.generate(30, seed=7, out=StringIO())
    proposals = Proposal.objects.filter(title__startswith="[bench-7]")
    assert result["created"] == result["total"] == proposals.count() == 30
    assert set(result["states"]) <= set(ProposalState.values)
    assert len(result["states"]) >= 5
    assert result["queries_per_proposal"] > 0
    decided = proposals.filter(state=ProposalState.DECIDED)
    assert all(p.agenda_items.get().meeting.status == Meeting.Status.HELD for p in decided)
    again = bench.generate(30, seed=7, out=StringIO())
    assert again["created"] == 0
    assert proposals.count() == 30
