"""List and home pages cost the same number of queries whatever the number of rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committee.dates import seoul_today
from policies import services
from policies.models import Decision, ProposalState
from tests import cast


def queries_for(client, url):
    client.get(url)  # takes the session's once-a-minute re-stamp (sessions.py), which a slow setup would add
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_rows(proposal_in_state, secretariat, mohw, msit, member):
    """One more of everything the home and list pages show."""
    services.request_consultations(
        proposal_in_state(ProposalState.SUBMITTED), by=secretariat, agencies=[mohw], working_days=3
    )
    proposal_in_state(ProposalState.DRAFT)
    decided = proposal_in_state(ProposalState.DECIDED)
    decision = Decision.objects.get(agenda_item__proposal=decided)
    services.assign_follow_up_action(
        decision, by=secretariat, agency=msit, title="Act", due_date=seoul_today() + datetime.timedelta(days=9)
    )
    services.assign_follow_up_action(
        decision, by=secretariat, agency=mohw, title="Act too", due_date=seoul_today() + datetime.timedelta(days=9)
    )
    cast.make_meeting(decided.committee, secretariat, days_ahead=20)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["lead_liaison", "other_liaison", "member", "secretariat"])
@pytest.mark.parametrize("page", ["portal:home", "portal:proposal_list", "portal:meeting_list", "meeting"])
def test_page_query_count_does_not_grow_with_rows(
    roles, login, proposal_in_state, secretariat, mohw, msit, member, role, page
):
    client = login(roles[role])
    add_rows(proposal_in_state, secretariat, mohw, msit, member)

    def url():
        if page == "meeting":
            return reverse("portal:meeting", args=[Decision.objects.order_by("id").first().agenda_item.meeting_id])
        return reverse(page)

    few = queries_for(client, url())
    for _ in range(3):
        add_rows(proposal_in_state, secretariat, mohw, msit, member)
    many = queries_for(client, url())
    assert many == few, f"{page} as {role}: {few} queries with few rows, {many} with many"
    assert few <= 20


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["lead_liaison", "other_liaison", "secretariat"])
def test_proposal_page_query_count_does_not_grow_with_opinions_files_and_events(
    roles, login, proposal_in_state, secretariat, lead_liaison, mohw, motie, role
):
    from .conftest import pdf_upload

    proposal = proposal_in_state(ProposalState.DRAFT, co_sponsors=[mohw])
    services.add_attachment(proposal, by=lead_liaison, uploaded_file=pdf_upload())
    proposal = services.submit_proposal(proposal, by=lead_liaison)
    services.request_consultations(proposal, by=secretariat, agencies=[mohw], working_days=3)
    client = login(roles[role])
    url = reverse("portal:proposal", args=[proposal.pk])
    few = queries_for(client, url)
    for acronym in ("MOTIE", "MAFRA"):
        services.request_consultations(proposal, by=secretariat, agencies=[cast.agency(acronym)], working_days=3)
    services.give_opinion(
        proposal.consultations.get(agency=mohw), by=roles["other_liaison"], position="concur", opinion=""
    )
    services.start_review(proposal, by=secretariat)
    services.return_proposal(proposal, by=secretariat, comment="More detail.", open_consultations="keep")
    for number in range(3):
        services.add_attachment(proposal, by=lead_liaison, uploaded_file=pdf_upload(f"annex-{number}.pdf"))
    many = queries_for(client, url)
    assert many == few, f"proposal page as {role}: {few} queries with few rows, {many} with many"
