"""A small committee file for the portal tests: proposals in several states, a consultation, a decision."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from committee.dates import seoul_today
from policies import services
from policies.models import Decision, ProposalState

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="plan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast's passwords are test fixtures; hashing them slowly only slows the permission table."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roles(secretariat, lead_liaison, other_liaison, member, outsider):
    """Every role of the permission table by name; None is the anonymous visitor."""
    return {
        "secretariat": secretariat,
        "lead_liaison": lead_liaison,
        "other_liaison": other_liaison,
        "member": member,
        "outsider": outsider,
        "anonymous": None,
    }


@pytest.fixture
def world(roles, committee, msit, mohw, lead_liaison, secretariat, proposal_in_state):
    """The objects behind every portal page, built through the services."""
    submitted = proposal_in_state(ProposalState.DRAFT, title="Biobank data sharing")
    services.add_attachment(submitted, by=lead_liaison, uploaded_file=pdf_upload())
    submitted = services.submit_proposal(submitted, by=lead_liaison)
    (consultation,) = services.request_consultations(submitted, by=secretariat, agencies=[mohw], working_days=5)
    draft = proposal_in_state(ProposalState.DRAFT, title="Private draft of MSIT")
    draft_attachment = services.add_attachment(draft, by=lead_liaison, uploaded_file=pdf_upload("draft.pdf"))
    decided = proposal_in_state(ProposalState.DECIDED, title="Synthetic biology roadmap")
    decision = Decision.objects.get(agenda_item__proposal=decided)
    action = services.assign_follow_up_action(
        decision,
        by=secretariat,
        agency=msit,
        title="Publish the roadmap",
        due_date=seoul_today() + datetime.timedelta(days=30),
    )
    return {
        "submitted": submitted,
        "attachment": submitted.attachments.get(),
        "consultation": consultation,
        "draft": draft,
        "draft_attachment": draft_attachment,
        "decided": decided,
        "meeting": decision.agenda_item.meeting,
        "action": action,
    }


@pytest.fixture
def login(client):
    def as_(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return as_
