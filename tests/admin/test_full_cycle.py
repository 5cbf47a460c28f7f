"""One proposal's whole life at the secretariat's desk, done in the admin as a person would click through it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import Decision, FollowUpAction, Meeting, ProposalState
from tests import cast
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db


def test_review_consult_accept_schedule_publish_attend_decide_and_follow_up(
    desk, committee, secretariat, lead_liaison, other_liaison, third_liaison, mohw, motie, member, health
):
    # The lead agency drafts and submits in the portal (here: the services the portal calls).
    proposal = services.submit_proposal(cast.make_proposal(committee, lead_liaison, health), by=lead_liaison)
    proposal_url = reverse("admin:policies_proposal_change", args=[proposal.pk])

    # Review, and ask two agencies for their opinion within five working days.
    desk.post(reverse("admin:policies_proposal_transition", args=[proposal.pk, "start_review"]))
    response = desk.post(
        reverse("admin:policies_proposal_consult", args=[proposal.pk]),
        {"agencies": [mohw.pk, motie.pk], "working_days": "5", "question": "Do you concur?"},
    )
    assert response.status_code == 302
    services.give_opinion(proposal.consultations.get(agency=mohw), by=other_liaison, position="concur", opinion="")
    services.give_opinion(
        proposal.consultations.get(agency=motie),
        by=third_liaison,
        position="concur_with_conditions",
        opinion="Only with a site survey.",
    )
    html = desk.get(proposal_url).content.decode()
    assert "<strong>Concur</strong>: MOHW" in html
    assert "<strong>Concur with conditions</strong>: MOTIE" in html

    # Accept it, then put it on a new meeting's agenda straight from the add form.
    desk.post(reverse("admin:policies_proposal_transition", args=[proposal.pk, "accept"]))
    data = form_data(desk.get(reverse("admin:policies_meeting_add")))
    # Yesterday: the decision below is recorded at a meeting that has started.
    starts = timezone.localtime(timezone.now() - datetime.timedelta(days=1))
    data.update(
        {
            "committee": str(committee.pk),
            "title": "3rd plenary meeting",
            "starts_at_0": starts.date().isoformat(),
            "starts_at_1": "10:00:00",
            "location": "Government Complex Seoul",
            "items-0-kind": "proposal",
            "items-0-proposal": str(proposal.pk),
        }
    )
    assert desk.post(reverse("admin:policies_meeting_add"), data).status_code == 302
    meeting = Meeting.objects.get(title="3rd plenary meeting")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SCHEDULED

    # Publish, record who came, and decide.
    desk.post(reverse("admin:policies_meeting_publish", args=[meeting.pk]))
    meeting_url = reverse("admin:policies_meeting_change", args=[meeting.pk])
    data = form_data(desk.get(meeting_url))
    data.update(
        {"attendances-TOTAL_FORMS": "1", "attendances-0-member": str(member.pk), "attendances-0-status": "present"}
    )
    assert desk.post(meeting_url, data).status_code == 302
    assert "quorum reached" in desk.get(meeting_url).content.decode()
    item = meeting.items.get()
    response = desk.post(
        reverse("admin:policies_meeting_decide", args=[meeting.pk, item.pk]),
        {"outcome": "adopted_with_amendments", "resolution": "Adopted, with a site survey first."},
    )
    decision = Decision.objects.get(agenda_item=item)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DECIDED

    # Assign two follow-up actions on the decision's page.
    decision_url = reverse("admin:policies_decision_change", args=[decision.pk])
    data = form_data(desk.get(decision_url))
    due = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    data.update(
        {
            "follow_up_actions-TOTAL_FORMS": "2",
            "follow_up_actions-0-agency": str(mohw.pk),
            "follow_up_actions-0-title": "Site survey",
            "follow_up_actions-0-due_date": due,
            "follow_up_actions-1-agency": str(motie.pk),
            "follow_up_actions-1-title": "Budget request",
            "follow_up_actions-1-due_date": due,
        }
    )
    assert desk.post(decision_url, data).status_code == 302
    assert set(FollowUpAction.objects.filter(decision=decision).values_list("title", "agency__acronym")) == {
        ("Site survey", "MOHW"),
        ("Budget request", "MOTIE"),
    }

    # The agency reports done, and the secretariat verifies.
    survey = FollowUpAction.objects.get(title="Site survey")
    services.report_progress(survey, by=other_liaison, text="Survey complete.", percent_complete=100, reports_done=True)
    desk.post(
        reverse("admin:policies_followupaction_changelist"),
        {"action": "verify_selected", "_selected_action": [survey.pk]},
    )
    survey.refresh_from_db()
    assert survey.verified_by == secretariat

    # The timeline tells the story in order.
    actions = list(proposal.events.order_by("id").values_list("action", flat=True))
    assert actions == [
        "create",
        "submit",
        "start_review",
        "consult",
        "opinion",
        "opinion",
        "accept",
        "schedule",
        "decide",
    ]
    assert desk.get(proposal_url).context["workflow_buttons"] == []
