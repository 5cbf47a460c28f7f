"""Opinions on consultations and progress on follow-up actions, through the portal forms."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from committee.dates import seoul_today
from policies import services
from policies.models import Consultation, FollowUpAction, ProposalState
from tests import cast


@pytest.mark.django_db
def test_consulted_agency_gives_and_then_revises_its_opinion(world, login, other_liaison):
    consultation = world["consultation"]
    client = login(other_liaison)
    url = reverse("portal:opinion", args=[consultation.pk])
    response = client.post(url, {"position": "concur", "opinion": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:proposal", args=[world["submitted"].pk])
    response = client.post(url, {"position": "concur_with_conditions", "opinion": "Only with a data audit."})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.position == Consultation.Position.CONCUR_WITH_CONDITIONS
    assert consultation.revised_at is not None
    form_page = client.get(url).content.decode()
    assert "Revise our opinion" in form_page and "Only with a data audit." in form_page


@pytest.mark.django_db
def test_objection_without_reason_is_a_form_error_on_the_opinion_field(world, login, other_liaison):
    url = reverse("portal:opinion", args=[world["consultation"].pk])
    response = login(other_liaison).post(url, {"position": "object", "opinion": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["opinion"] == ["Explain your conditions or objection."]
    assert not Consultation.objects.get(pk=world["consultation"].pk).is_answered


@pytest.mark.django_db
def test_unknown_position_is_a_form_error(world, login, other_liaison):
    url = reverse("portal:opinion", args=[world["consultation"].pk])
    response = login(other_liaison).post(url, {"position": "maybe"})
    assert response.status_code == 400
    assert "position" in response.context["form"].errors


@pytest.mark.django_db
def test_a_revision_after_the_deadline_is_refused_with_409(world, login, other_liaison):
    consultation = world["consultation"]
    url = reverse("portal:opinion", args=[consultation.pk])
    client = login(other_liaison)
    client.post(url, {"position": "concur"})
    after = datetime.datetime.combine(consultation.deadline + datetime.timedelta(days=1), datetime.time(10))
    with time_machine.travel(after.replace(tzinfo=datetime.UTC), tick=False):
        assert "The deadline has passed" in client.get(url).content.decode()
        response = client.post(url, {"position": "object", "opinion": "On second thoughts."})
    assert response.status_code == 409
    assert "the opinion can no longer be revised" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("closed", ["withdrawn", "decided"])
def test_opinion_on_a_withdrawn_or_decided_proposal_is_refused_with_409(
    world, login, committee, secretariat, lead_liaison, other_liaison, closed
):
    consultation = world["consultation"]
    if closed == "withdrawn":
        services.withdraw_proposal(world["submitted"], by=lead_liaison)
    else:
        cast.decide_with_consultations_open(world["submitted"], secretariat, committee)
    response = login(other_liaison).post(reverse("portal:opinion", args=[consultation.pk]), {"position": "concur"})
    assert response.status_code == 409
    assert "The proposal is already decided or withdrawn." in response.content.decode()
    assert not Consultation.objects.get(pk=consultation.pk).is_answered


@pytest.mark.django_db
def test_responsible_agency_reports_progress_and_then_done(world, login, lead_liaison):
    action = world["action"]
    client = login(lead_liaison)
    url = reverse("portal:action_progress", args=[action.pk])
    assert client.post(url, {"text": "Draft written.", "percent_complete": "40"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (FollowUpAction.Status.IN_PROGRESS, 40)
    assert client.post(url, {"text": "Published.", "percent_complete": "90", "reports_done": "on"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (FollowUpAction.Status.DONE, 100)
    page = client.get(url).content.decode()
    assert "This action is reported done" in page and "Draft written." in page


@pytest.mark.django_db
def test_progress_over_100_percent_or_in_the_future_is_a_form_error(world, login, lead_liaison):
    url = reverse("portal:action_progress", args=[world["action"].pk])
    client = login(lead_liaison)
    response = client.post(url, {"text": "Too much.", "percent_complete": "140"})
    assert response.status_code == 400
    assert "percent_complete" in response.context["form"].errors
    tomorrow = (seoul_today() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"text": "Later.", "percent_complete": "10", "reported_on": tomorrow})
    assert response.status_code == 400
    assert response.context["form"].errors["reported_on"] == ["Progress cannot be reported for a future date."]
    assert not world["action"].progress_reports.exists()


@pytest.mark.django_db
def test_progress_on_an_action_reported_done_is_a_409_form_error(world, login, lead_liaison):
    from policies import services

    services.report_progress(world["action"], by=lead_liaison, text="Done.", percent_complete=100, reports_done=True)
    response = login(lead_liaison).post(
        reverse("portal:action_progress", args=[world["action"].pk]), {"text": "More", "percent_complete": "100"}
    )
    assert response.status_code == 409
    assert "already reported done" in response.content.decode()


@pytest.mark.django_db
def test_the_progress_form_is_offered_only_while_the_table_allows_reporting(world, login, lead_liaison, secretariat):
    from policies import services

    url = reverse("portal:action_progress", args=[world["action"].pk])
    assert "Send report" in login(lead_liaison).get(url).content.decode()
    services.report_progress(world["action"], by=lead_liaison, text="Done.", percent_complete=100, reports_done=True)
    page = login(lead_liaison).get(url).content.decode()
    assert "Send report" not in page and "The secretariat verifies it or reopens it." in page
    services.reopen_action(world["action"], by=secretariat, comment="The annex is missing.")
    assert "Send report" in login(lead_liaison).get(url).content.decode()


# --- what the home and meeting pages show --------------------------------------------------------


@pytest.mark.django_db
def test_agency_home_lists_consultations_with_overdue_highlighted(world, login, other_liaison, lead_liaison):
    page = login(other_liaison).get(reverse("portal:home")).content.decode()
    assert "Biobank data sharing" in page and "Deadline passed" not in page
    later = world["consultation"].deadline + datetime.timedelta(days=2)
    with time_machine.travel(datetime.datetime.combine(later, datetime.time(3), tzinfo=datetime.UTC), tick=False):
        page = login(other_liaison).get(reverse("portal:home")).content.decode()
    assert '<li class="overdue">' in page and "Deadline passed" in page


@pytest.mark.django_db
def test_agency_home_groups_our_proposals_by_state_and_lists_our_actions(world, login, lead_liaison):
    response = login(lead_liaison).get(reverse("portal:home"))
    groups = {
        str(label): [p.title for p in proposals]
        for label, proposals, _count, _state in response.context["proposal_groups"]
    }
    assert groups == {
        "Draft": ["Private draft of MSIT"],
        "Submitted": ["Biobank data sharing"],
        "Decided": ["Synthetic biology roadmap"],
    }
    assert [action.title for action in response.context["actions"]] == ["Publish the roadmap"]


@pytest.mark.django_db
def test_member_home_shows_recent_submissions_and_upcoming_meetings(world, login, member, committee, secretariat):
    coming = cast.make_meeting(committee, secretariat, days_ahead=10, title="Next plenary")
    response = login(member).get(reverse("portal:home"))
    titles = [proposal.title for proposal in response.context["recent_proposals"]]
    assert titles == ["Synthetic biology roadmap", "Biobank data sharing"]
    # The world's meeting was held yesterday (decisions come after a meeting starts): only the coming one.
    assert list(response.context["upcoming_meetings"]) == [coming]


@pytest.mark.django_db
def test_secretariat_home_links_the_admin_and_lists_the_review_queue(world, login, secretariat):
    response = login(secretariat).get(reverse("portal:home"))
    assert reverse("admin:index") in response.content.decode()
    assert [p.title for p in response.context["review_queue"]] == ["Biobank data sharing"]


@pytest.mark.django_db
def test_meeting_page_shows_agenda_decision_actions_and_attendance(world, login, lead_liaison):
    page = login(lead_liaison).get(reverse("portal:meeting", args=[world["meeting"].pk])).content.decode()
    decided = world["decided"]
    assert decided.reference in page and "Adopted as proposed." in page
    assert reverse("portal:action_progress", args=[world["action"].pk]) in page  # our agency's action links
    assert "Quorum reached." in page


@pytest.mark.django_db
def test_proposal_page_shows_consolidated_position(world, login, other_liaison, secretariat):
    from policies import services

    services.give_opinion(world["consultation"], by=other_liaison, position="object", opinion="Privacy risk.")
    page = login(secretariat).get(reverse("portal:proposal", args=[world["submitted"].pk])).content.decode()
    assert "<strong>Object</strong>: MOHW" in page and "Privacy risk." in page


@pytest.mark.django_db
def test_proposal_list_filters_by_state_area_and_search(world, login, lead_liaison, committee):
    from policies.models import PolicyArea

    client = login(lead_liaison)

    def titles(**query):
        return sorted(p.title for p in client.get(reverse("portal:proposal_list"), query).context["page"])

    assert titles(state=ProposalState.DECIDED) == ["Synthetic biology roadmap"]
    assert titles(q="biobank") == ["Biobank data sharing"]
    other_area = PolicyArea.objects.exclude(code="health").first()
    assert titles(area=other_area.pk) == []
    assert len(titles(area=PolicyArea.objects.get(code="health").pk)) == 3
    assert client.get(reverse("portal:proposal_list"), {"state": "nonsense"}).status_code == 200


@pytest.mark.django_db
def test_language_switch_serves_korean(world, login, lead_liaison):
    client = login(lead_liaison)
    response = client.post(reverse("set_language"), {"language": "ko", "next": reverse("portal:home")})
    assert response.status_code == 302
    page = client.get(reverse("portal:home"))
    assert page.content.decode().startswith('<!doctype html>\n\n<html lang="ko">')
