"""A small committee world for API tests: one object of each kind, and clients signed in as each of the cast."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from policies import services
from policies.models import Consultation, Decision, FollowUpAction, Meeting, Proposal, ProposalAttachment


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
    meeting: Meeting
    decision: Decision
    action: FollowUpAction


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
    draft.refresh_from_db()
    return World(
        draft=draft,
        submitted=submitted,
        under_review=under_review,
        decided=decided,
        attachment=attachment,
        consultation=consultation,
        meeting=decision.agenda_item.meeting,
        decision=decision,
        action=action,
    )
