"""The proposal list's rows: the facts, the opinions summed up and the allowed actions; whole proposals on request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policies.api.serializers.proposals import LIST_OMITS

pytestmark = pytest.mark.django_db

LIST = "/api/v1/proposals/"


def test_a_list_row_leaves_body_timeline_consultations_and_attachments_to_the_proposal_page(
    api, secretariat, proposal_in_state
):
    proposal = proposal_in_state("under_review")
    row = api(secretariat).get(LIST).json()["results"][0]
    assert row["id"] == proposal.pk
    assert not set(LIST_OMITS) & set(row)
    assert row["allowed_actions"] == ["return", "accept"]
    assert set(row["consolidated_position"]) >= {"concur", "silent"}
    whole = api(secretariat).get(f"{LIST}{proposal.pk}/").json()
    assert {name: value for name, value in whole.items() if name not in LIST_OMITS} == row


def test_expand_full_gives_each_row_as_the_proposal_page_shows_it(api, secretariat, proposal_in_state):
    proposal = proposal_in_state("submitted")
    row = api(secretariat).get(f"{LIST}?expand=full").json()["results"][0]
    assert row == api(secretariat).get(f"{LIST}{proposal.pk}/").json()
    assert row["timeline"][0]["action"] == "create"


@pytest.mark.parametrize("value", ["timeline", "FULL", "full,timeline"])
def test_an_unknown_expand_is_refused_with_400_not_ignored(api, secretariat, value):
    response = api(secretariat).get(f"{LIST}?expand={value}")
    assert response.status_code == 400
    assert response.json()["code"] == "validation"
    assert "expand" in response.json()


def test_the_list_costs_the_same_queries_at_page_size_1_and_50(api, secretariat, proposal_in_state):
    for state in ("submitted", "under_review", "returned"):
        proposal_in_state(state)
    client = api(secretariat)
    client.get(f"{LIST}?page_size=1")  # sessions and caches warm
    counts = []
    for size in (1, 50):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{LIST}?page_size={size}").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_filtering_by_state_adds_no_distinct_to_the_page_or_its_count(api, secretariat, proposal_in_state):
    proposal_in_state("under_review")
    with CaptureQueriesContext(connection) as captured:
        body = api(secretariat).get(f"{LIST}?state=under_review&state=submitted").json()
    assert body["count"] == 1
    proposal_queries = [q["sql"] for q in captured if 'FROM "policies_proposal"' in q["sql"]]
    assert proposal_queries and not [sql for sql in proposal_queries if "DISTINCT" in sql]
