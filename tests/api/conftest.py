"""A small committee world for API tests: one object of each kind, and clients signed in as each of the cast."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from policies import services
from policies.models import (
    AgendaItem,
    Consultation,
    Decision,
    FollowUpAction,
    Meeting,
    Minutes,
    Proposal,
    ProposalAttachment,
)
from tests import cast


@pytest.fixture
def api():
    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return client_for


@dataclass
class World:
    draft: Proposal
    submitted: Proposal
    under_review: Proposal
    decided: Proposal
    attachment: ProposalAttachment
    consultation: Consultation
    meeting: Meeting  # started yesterday, agenda published, everyone present
    decision: Decision
    action: FollowUpAction
    open_item: AgendaItem  # on `meeting`, a scheduled proposal awaiting its decision
    done_action: FollowUpAction  # reported done, awaiting verification
    planned: Meeting  # in three weeks, planned
    report_item: AgendaItem  # a report on `planned`'s agenda
    minutes: Minutes | None = None  # of a meeting held two days ago (a report only), in review


def text_file(name="plan.txt", content=b"Pilot plant plan"):
    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.fixture
def world(committee, msit, mohw, secretariat, lead_liaison, other_liaison, member, outsider, draft, proposal_in_state):
    """Every role exists; the lead agency (MSIT) has a draft, a submitted, an under-review and a decided proposal."""
    attachment = services.add_attachment(draft, by=lead_liaison, uploaded_file=text_file())
    submitted = proposal_in_state("submitted", title="Submitted proposal")
    under_review = proposal_in_state("under_review", title="Proposal under review")
    (consultation,) = services.request_consultations(under_review, by=secretariat, agencies=[mohw], working_days=5)
    decided = proposal_in_state("decided", title="Decided proposal")
    decision = Decision.objects.select_related("agenda_item__meeting").get(agenda_item__proposal=decided)
    action = services.assign_follow_up_action(
        decision,
        by=secretariat,
        agency=msit,
        title="Open the pilot plant",
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    meeting = decision.agenda_item.meeting
    open_item = services.add_agenda_item(meeting, by=secretariat, proposal=proposal_in_state("accepted"))
    done_action = services.assign_follow_up_action(
        decision, by=secretariat, agency=msit, title="Publish the guidance", due_date=action.due_date
    )
    services.report_progress(done_action, by=lead_liaison, text="Published.", percent_complete=100, reports_done=True)
    planned = cast.make_meeting(committee, secretariat, days_ahead=21, title="2nd plenary meeting")
    report_item = services.add_agenda_item(planned, by=secretariat, kind="report", title="Annual report")
    held = cast.make_meeting(committee, secretariat, days_ahead=-2, title="Held meeting")
    services.add_agenda_item(held, by=secretariat, kind="report", title="Progress report")
    services.publish_agenda(held, by=secretariat)
    services.mark_meeting_held(held, by=secretariat)
    minutes = services.send_minutes_for_review(
        services.start_minutes(held, by=secretariat), by=secretariat, working_days=5
    )
    draft.refresh_from_db()
    return World(
        draft=draft,
        submitted=submitted,
        under_review=under_review,
        decided=decided,
        attachment=attachment,
        consultation=consultation,
        meeting=Meeting.objects.get(pk=meeting.pk),
        decision=decision,
        action=action,
        open_item=open_item,
        done_action=FollowUpAction.objects.get(pk=done_action.pk),
        planned=planned,
        report_item=report_item,
        minutes=minutes,
    )


@pytest.fixture
def letters(world, other_liaison, lead_liaison):
    """A file with the consulted agency's opinion and one with a progress report on the action."""
    opinion_letter = services.add_opinion_attachment(
        world.consultation, by=other_liaison, uploaded_file=text_file("공문.txt", b"official letter")
    )
    report = services.report_progress(
        world.action, by=lead_liaison, text="Half way", percent_complete=50, files=[text_file("진행.txt", b"progress")]
    )
    return opinion_letter, report.attachments.get()
