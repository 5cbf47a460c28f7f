"""List endpoints issue a constant number of SQL queries, whatever the page holds: 3 rows or 30."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from policies import services
from policies.models import AgendaItem, PolicyArea
from tests import cast
from tests.api.conftest import text_file

pytestmark = pytest.mark.django_db

# The most any list may take, measured when written (session, user with profile, scope, count, rows, prefetches).
MAX_QUERIES = 10

LISTS = ["proposals", "consultations", "meetings", "decisions", "actions"]


def add_full_cases(count, *, committee, liaison, secretariat, consulted):
    """`count` proposals carried all the way: co-sponsor, secondary area, attachment, opinion, decision, action."""
    food = PolicyArea.objects.get(code="food")
    for number in range(count):
        proposal = cast.make_proposal(
            committee, liaison, title=f"Case {number}", co_sponsors=[consulted], secondary_areas=[food]
        )
        services.add_attachment(proposal, by=liaison, uploaded_file=text_file(f"annex-{number}.txt"))
        services.submit_proposal(proposal, by=liaison)
        services.start_review(proposal, by=secretariat)
        (consultation,) = services.request_consultations(proposal, by=secretariat, agencies=[consulted], working_days=5)
        services.give_opinion(consultation, by=consulted.liaisons.first().user, position="concur", opinion="")
        services.accept_proposal(proposal, by=secretariat)
        meeting = cast.make_meeting(committee, secretariat, title=f"Meeting {number}", days_ahead=-1)
        item = services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.PROPOSAL, proposal=proposal)
        services.publish_agenda(meeting, by=secretariat)
        cast.attend_all(meeting, secretariat)
        decision = services.record_decision(item, by=secretariat, outcome="adopted", resolution="Adopted.")
        action = services.assign_follow_up_action(
            decision,
            by=secretariat,
            agency=liaison.profile.agency,
            title=f"Do {number}",
            due_date=timezone.localdate() + datetime.timedelta(days=30),
        )
        services.report_progress(action, by=liaison, text="Started.", percent_complete=10)


def count_queries(client, name):
    # A session is re-stamped at most once a minute (committee/directory/sessions.py): a slow setup would
    # add that write to the count. A first request takes it, so the count is the list's own.
    client.get(f"/api/v1/{name}/?page_size=50")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{name}/?page_size=50")
    assert response.status_code == 200, response.data
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("name", LISTS)
def test_list_queries_do_not_grow_with_rows(api, committee, secretariat, lead_liaison, other_liaison, member, name):
    mohw = other_liaison.profile.agency
    cases = {"committee": committee, "liaison": lead_liaison, "secretariat": secretariat, "consulted": mohw}
    client = api(secretariat)

    add_full_cases(3, **cases)
    few, rows = count_queries(client, name)
    assert rows == 3 and few <= MAX_QUERIES, few

    add_full_cases(27, **cases)
    many, rows = count_queries(client, name)
    assert rows == 30
    assert many == few, f"{name}: {few} queries for 3 rows but {many} for 30"
    print(f"\n{name}: {few} queries for 3 rows, {many} for 30 rows")


@pytest.mark.parametrize("name", ["committees", "agencies", "policy-areas"])
def test_reference_lists_take_a_handful_of_queries(api, outsider, committee, name, django_assert_max_num_queries):
    client = api(outsider)
    # Session, user, profile (the language the reply is written in), two-factor, count, rows, agencies.
    with django_assert_max_num_queries(7):
        assert client.get(f"/api/v1/{name}/?page_size=50").status_code == 200
