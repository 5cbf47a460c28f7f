"""Changelists of long tables count with the planner's estimate above a threshold, and never the whole table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies.admin.base import EstimatedCountPaginator, SecretariatAdmin, planner_estimate
from policies.models import Proposal

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:policies_proposal_changelist"


def test_committee_changelists_never_count_the_whole_table_beside_the_filtered_rows():
    assert SecretariatAdmin.show_full_result_count is False
    assert SecretariatAdmin.paginator is EstimatedCountPaginator


def test_below_the_threshold_the_count_is_exact(admin_client_for, secretariat, proposal_in_state):
    proposal_in_state("submitted")
    response = admin_client_for(secretariat).get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert response.context["cl"].paginator.count == Proposal.objects.count()


def test_above_the_threshold_the_count_is_the_planners_estimate_and_no_count_statement_runs(
    admin_client_for, secretariat, proposal_in_state, monkeypatch
):
    for state in ("submitted", "under_review"):
        proposal_in_state(state)
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_BELOW", 0)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client_for(secretariat).get(reverse(CHANGELIST))
    assert response.status_code == 200
    counted = response.context["cl"].paginator.count
    assert counted == planner_estimate(response.context["cl"].queryset)
    assert not [
        q["sql"] for q in captured if q["sql"].startswith("SELECT COUNT(*)") and "policies_proposal" in q["sql"]
    ]
