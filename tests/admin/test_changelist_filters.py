"""The long changelists (proposals, consultations, actions) stay cheap at 100,000 rows: their sidebar filters read
their choices from the small reference tables, not a DISTINCT over every visible row, and no date hierarchy asks
for the first and last date and every year on each page view (bench/RESULTS.md, section 3)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committee.directory.models import Agency
from policies import services
from policies.models import FollowUpAction, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db

CHANGELISTS = ["proposal", "consultation", "followupaction"]
COMMITTEE_PARAMETER = {
    "proposal": "committee__id__exact",
    "consultation": "proposal__committee__id__exact",
    "followupaction": "decision__agenda_item__meeting__committee__id__exact",
}


@pytest.fixture
def action(proposal_in_state, secretariat, mohw):
    decision = proposal_in_state(ProposalState.DECIDED, title="Decided proposal").agenda_items.get().decision
    return services.assign_follow_up_action(
        decision, by=secretariat, agency=mohw, title="Draft the regulation", due_date=timezone.localdate()
    )


def filter_choices(response, parameter) -> set[str]:
    for spec in response.context["cl"].filter_specs:
        if getattr(spec, "lookup_kwarg", None) == parameter:
            return {str(label) for _pk, label in spec.lookup_choices}
    raise AssertionError(f"no filter on {parameter}")


@pytest.mark.parametrize("model", CHANGELISTS)
def test_a_page_view_asks_no_distinct_and_no_date_range_of_the_whole_list(desk, action, model):
    with CaptureQueriesContext(connection) as captured:
        response = desk.get(reverse(f"admin:policies_{model}_changelist"))
    assert response.status_code == 200
    statements = [q["sql"] for q in captured]
    assert not [sql for sql in statements if "DISTINCT" in sql], "a filter's choices read every visible row"
    assert not [sql for sql in statements if 'MIN("policies_' in sql or "DATE_TRUNC" in sql], "a date hierarchy"


@pytest.mark.parametrize("model", CHANGELISTS)
def test_the_committee_filter_offers_the_committees_one_staffs_only(
    desk, secretariat, action, committee, other_committee, model
):
    also_staffed = cast.make_committee("FOOD")
    also_staffed.secretariat.add(secretariat)  # one committee alone would hide the filter
    response = desk.get(reverse(f"admin:policies_{model}_changelist"))
    assert filter_choices(response, COMMITTEE_PARAMETER[model]) == {str(committee), str(also_staffed)}


def test_a_superuser_is_offered_every_committee(admin_client_for, action, committee, other_committee):
    root = cast.make_user("root", is_staff=True, is_superuser=True)
    response = admin_client_for(root).get(reverse("admin:policies_consultation_changelist"))
    assert filter_choices(response, "proposal__committee__id__exact") >= {str(committee), str(other_committee)}


def test_the_agency_filter_offers_every_agency_and_filters_by_it(desk, action, mohw):
    idle = Agency.objects.create(acronym="IDLE", name_ko="한가한 기관", name_en="Idle Agency")
    url = reverse("admin:policies_followupaction_changelist")
    assert str(idle) in filter_choices(desk.get(url), "agency__id__exact")
    assert list(desk.get(url, {"agency__id__exact": mohw.pk}).context["cl"].result_list) == [action]
    assert list(desk.get(url, {"agency__id__exact": idle.pk}).context["cl"].result_list) == []


def test_the_overdue_column_reads_each_row_and_sorts(desk, action):
    late = FollowUpAction.objects.get(pk=action.pk)
    late.pk, late.title = None, "Late one"
    late.due_date = timezone.localdate() - datetime.timedelta(days=1)
    late.save()
    done = FollowUpAction.objects.get(pk=late.pk)
    done.pk, done.title, done.status = None, "Done late", FollowUpAction.Status.DONE
    done.save()
    url = reverse("admin:policies_followupaction_changelist")
    rows = desk.get(url, {"o": "-7"}).context["cl"].result_list  # the overdue column, descending
    flags = {row.title: row.is_overdue for row in rows}
    assert flags == {"Late one": True, "Draft the regulation": False, "Done late": False}
    assert rows[0].title == "Late one"
