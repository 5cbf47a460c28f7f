"""Every follow-up action and consultation one may see, filtered and paged: where the home page's "more" and the
digests' "see them all" lead (the home page shows only the most urgent fifty of each)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committee.dates import seoul_today
from policies import services
from policies.models import Consultation, FollowUpAction
from policies.portal import views

pytestmark = pytest.mark.django_db
ACTIONS = reverse("portal:action_list")
CONSULTATIONS = reverse("portal:consultation_list")


def listed(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def more_actions(world, secretariat, agency, count, title="Report on the pilot"):
    decision = world["action"].decision
    due = seoul_today() + datetime.timedelta(days=60)
    return [
        services.assign_follow_up_action(decision, by=secretariat, agency=agency, title=f"{title} {n}", due_date=due)
        for n in range(count)
    ]


def test_a_liaison_sees_its_agencys_actions_and_others_only_when_asked(world, login, roles, mohw, secretariat):
    progress = reverse("portal:action_progress", args=[world["action"].pk])
    ours = listed(login(roles["lead_liaison"]).get(ACTIONS))
    assert "Publish the roadmap" in ours and progress in ours
    more_actions(world, secretariat, mohw, 1, title="MOHW guideline")
    mohw_ours = listed(login(roles["other_liaison"]).get(ACTIONS))
    assert "Publish the roadmap" not in mohw_ours and "MOHW guideline 0" in mohw_ours
    everyone = listed(login(roles["other_liaison"]).get(ACTIONS, {"whose": "all"}))
    assert "Publish the roadmap" in everyone and progress not in everyone  # seen, but only MSIT reports on it
    member = listed(login(roles["member"]).get(ACTIONS))
    assert "Publish the roadmap" in member and progress not in member and 'name="whose"' not in member
    assert "Publish the roadmap" not in listed(login(roles["outsider"]).get(ACTIONS))


def test_actions_are_shown_not_done_by_default_overdue_or_done_on_request(world, login, roles, secretariat, msit):
    late, finished = more_actions(world, secretariat, msit, 2)
    FollowUpAction.objects.filter(pk=late.pk).update(due_date=seoul_today() - datetime.timedelta(days=1))
    FollowUpAction.objects.filter(pk=finished.pk).update(status=FollowUpAction.Status.DONE, percent_complete=100)
    client = login(roles["lead_liaison"])

    def titles(**query):
        return [action.title for action in client.get(ACTIONS, query).context["page"].object_list]

    assert titles() == [late.title, "Publish the roadmap"]  # the earliest due first
    assert titles(show="overdue") == [late.title]
    assert titles(show="done") == [finished.title]
    assert sorted(titles(show="all")) == sorted([late.title, finished.title, "Publish the roadmap"])
    assert "Overdue" in listed(client.get(ACTIONS, {"show": "overdue"}))


def test_a_wrong_filter_value_is_said_and_the_default_list_shown(world, login, roles):
    response = login(roles["lead_liaison"]).get(ACTIONS, {"show": "everything", "page": "x"})
    html = listed(response)
    assert "Select a valid choice" in html and "Publish the roadmap" in html
    assert listed(login(roles["lead_liaison"]).get(CONSULTATIONS, {"whose": "theirs"})).count("Select a valid") == 1


def test_the_action_list_reads_the_same_number_of_queries_for_one_row_or_a_full_page(
    world, login, roles, secretariat, msit
):
    client = login(roles["lead_liaison"])
    client.get(ACTIONS)  # the session's first-request work is not the list's

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ACTIONS).status_code == 200
        return len(captured)

    one = queries()
    more_actions(world, secretariat, msit, 30)
    assert queries() == one


def test_a_liaison_finds_every_consultation_its_agency_owes_and_answers_from_the_list(world, login, roles):
    consultation = world["consultation"]
    opinion = reverse("portal:opinion", args=[consultation.pk])
    owed = listed(login(roles["other_liaison"]).get(CONSULTATIONS))
    assert opinion in owed and "Biobank data sharing" in owed
    assert "Biobank data sharing" not in listed(login(roles["lead_liaison"]).get(CONSULTATIONS))  # MSIT is not asked
    everyone = listed(login(roles["lead_liaison"]).get(CONSULTATIONS, {"whose": "all"}))
    assert "Biobank data sharing" in everyone and opinion not in everyone
    assert reverse("portal:proposal", args=[world["submitted"].pk]) in everyone
    assert "Biobank data sharing" not in listed(login(roles["outsider"]).get(CONSULTATIONS))

    services.give_opinion(consultation, by=roles["other_liaison"], position=Consultation.Position.CONCUR, opinion="")
    client = login(roles["other_liaison"])
    assert "Biobank data sharing" not in listed(client.get(CONSULTATIONS))  # no longer awaited
    assert "Biobank data sharing" in listed(client.get(CONSULTATIONS, {"show": "answered"}))


def test_a_consultation_past_its_deadline_is_listed_as_still_awaited(world, login, roles):
    Consultation.objects.filter(pk=world["consultation"].pk).update(deadline=seoul_today() - datetime.timedelta(days=2))
    client = login(roles["other_liaison"])
    assert "Deadline passed" in listed(client.get(CONSULTATIONS, {"show": "overdue"}))
    assert "Biobank data sharing" in listed(client.get(CONSULTATIONS))


def test_the_home_pages_more_leads_to_the_full_lists(world, login, roles, secretariat, msit, monkeypatch):
    monkeypatch.setattr(views, "HOME_URGENT_LIMIT", 1)
    more_actions(world, secretariat, msit, 1)
    home = listed(login(roles["lead_liaison"]).get(reverse("portal:home")))
    assert f'href="{ACTIONS}">See them all' in home


def test_the_consultation_list_reads_the_same_number_of_queries_for_one_row_or_a_full_page(
    world, login, roles, secretariat, mohw, proposal_in_state
):
    client = login(roles["other_liaison"])
    client.get(CONSULTATIONS)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CONSULTATIONS, {"whose": "all"}).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(6):
        proposal = proposal_in_state("submitted")
        services.request_consultations(proposal, by=secretariat, agencies=[mohw], working_days=5)
    assert queries() == one
