"""Admin pages cost a fixed number of queries, however many rows there are."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import DigestPreference, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
    if model._meta.app_label in ("policies", "directory")
]


@pytest.fixture
def grow(committee, secretariat, other_liaison, mohw, motie, proposal_in_state):
    """Add one more of everything the changelists list."""
    counter = iter(range(1000))

    def add_rows():
        n = next(counter)
        member = cast.make_member(committee, f"member-grown-{n}")
        DigestPreference.objects.create(user=member)
        decided = proposal_in_state(ProposalState.DECIDED, title=f"Decided {n}")
        action = services.assign_follow_up_action(
            decided.agenda_items.get().decision,
            by=secretariat,
            agency=mohw,
            title=f"Action {n}",
            due_date=timezone.localdate() + datetime.timedelta(days=10),
        )
        services.report_progress(action, by=other_liaison, text="Begun.", percent_complete=10)
        reviewed = proposal_in_state(ProposalState.UNDER_REVIEW, title=f"Reviewed {n}")
        services.request_consultations(reviewed, by=secretariat, agencies=[mohw, motie], working_days=5)

    return add_rows


def count_queries(client, url) -> int:
    client.get(url)  # takes the session's once-a-minute re-stamp (sessions.py), which a slow setup would add
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", [*CHANGELISTS, "admin:policies_dashboard", "admin:index"])
def test_page_queries_do_not_grow_with_rows(desk, grow, url_name, django_assert_max_num_queries):
    url = reverse(url_name)
    grow()
    few = count_queries(desk, url)
    for _ in range(3):
        grow()
    desk.get(url)  # the re-stamp again, as in count_queries
    with django_assert_max_num_queries(few):
        response = desk.get(url)
    if "cl" in (response.context or {}):
        assert response.context["cl"].result_count >= 1


def test_dashboard_needs_only_a_handful_of_queries(desk, grow, django_assert_max_num_queries):
    grow()
    desk.get(reverse("admin:policies_dashboard"))  # the session's re-stamp, as in count_queries
    # Session, user and profile, the secretariat's scope (2), Django's permission caches (2), the unread
    # notification badge, and one query per table of the dashboard (5): 13, with a little room.
    with django_assert_max_num_queries(15):
        assert desk.get(reverse("admin:policies_dashboard")).status_code == 200
