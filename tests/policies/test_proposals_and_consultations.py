"""Drafting, editing and attaching to proposals; consultations with Korean working-day deadlines."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from committee.dates import add_working_days, is_working_day
from policies import services
from policies.models import Consultation, PolicyArea, Proposal, ProposalAttachment, ProposalState
from policies.queries.consultations import consolidated_position
from policies.services import AttachmentTooLarge
from policies.workflow import InvalidState, NotPermitted, StaleVersion
from tests import cast

S = ProposalState
PDF = b"%PDF-1.7\n" + b"0" * 100


# --- drafting and editing ------------------------------------------------------------------------


@pytest.mark.django_db
def test_liaison_drafts_for_own_agency_only(committee, lead_liaison, mohw, health, member, secretariat):
    draft = cast.make_proposal(committee, lead_liaison, health)
    assert draft.lead_agency.acronym == "MSIT" and draft.state == S.DRAFT and draft.reference is None
    with pytest.raises(NotPermitted):
        cast.make_proposal(committee, lead_liaison, health, lead_agency=mohw)
    for user in (member, secretariat):
        with pytest.raises(NotPermitted):
            cast.make_proposal(committee, user, health)


@pytest.mark.django_db
def test_agency_outside_the_committee_cannot_draft_there(lead_liaison, health, msit):
    food = cast.make_committee("NBC-FOOD")
    food.agencies.remove(msit)
    with pytest.raises(NotPermitted):
        cast.make_proposal(food, lead_liaison, health)


@pytest.mark.django_db
def test_missing_fields_and_bad_relations_are_validation_errors(committee, lead_liaison, health, msit):
    with pytest.raises(ValidationError) as missing:
        cast.make_proposal(committee, lead_liaison, health, title="")
    assert "title" in missing.value.message_dict
    with pytest.raises(ValidationError) as self_sponsor:
        cast.make_proposal(committee, lead_liaison, health, co_sponsors=[msit])
    assert "co_sponsors" in self_sponsor.value.message_dict
    with pytest.raises(ValidationError):
        cast.make_proposal(committee, lead_liaison, health, secondary_areas=[health])
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_moving_the_primary_area_onto_a_secondary_one_is_refused_unless_the_secondaries_change_too(
    committee, lead_liaison, health
):
    food = PolicyArea.objects.get(code="food")
    draft = cast.make_proposal(committee, lead_liaison, health, secondary_areas=[food])
    with pytest.raises(ValidationError) as clash:
        services.update_proposal(draft, by=lead_liaison, changes={"policy_area": food})
    assert list(clash.value.message_dict) == ["secondary_areas"]
    kept = Proposal.objects.get(pk=draft.pk)
    assert (kept.policy_area, list(kept.secondary_areas.all()), kept.version) == (health, [food], draft.version)
    swapped = services.update_proposal(
        draft, by=lead_liaison, changes={"policy_area": food, "secondary_areas": [health]}
    )
    assert (swapped.policy_area, list(swapped.secondary_areas.all())) == (food, [health])


@pytest.mark.django_db
def test_body_is_sanitised_on_create_and_edit(committee, lead_liaison, health):
    draft = cast.make_proposal(
        committee,
        lead_liaison,
        health,
        body='<p onclick="x()">Plan<script>alert(1)</script></p><a href="javascript:x">l</a>',
    )
    assert "<script" not in draft.body and "onclick" not in draft.body and "javascript:" not in draft.body
    assert "<p>Plan" in draft.body
    edited = services.update_proposal(draft, by=lead_liaison, changes={"body": "<img src=x onerror=alert(1)><b>ok</b>"})
    assert edited.body == "<b>ok</b>"


@pytest.mark.django_db
def test_stale_edit_is_refused_and_nothing_is_overwritten(draft, lead_liaison):
    first = services.update_proposal(draft, by=lead_liaison, changes={"title": "First"}, expected_version=draft.version)
    with pytest.raises(StaleVersion):
        services.update_proposal(draft, by=lead_liaison, changes={"title": "Second"}, expected_version=draft.version)
    assert Proposal.objects.get(pk=draft.pk).title == "First"
    assert first.version == draft.version + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "editable"),
    [(S.DRAFT, True), (S.RETURNED, True), (S.SUBMITTED, False), (S.ACCEPTED, False), (S.WITHDRAWN, False)],
)
def test_only_drafts_and_returned_proposals_are_editable(proposal_in_state, lead_liaison, state, editable):
    proposal = proposal_in_state(state)
    if editable:
        assert services.update_proposal(proposal, by=lead_liaison, changes={"title": "New"}).title == "New"
    else:
        with pytest.raises(InvalidState):
            services.update_proposal(proposal, by=lead_liaison, changes={"title": "New"})


@pytest.mark.django_db
def test_other_agencies_and_secretariat_cannot_edit(draft, other_liaison, secretariat, member):
    for user in (other_liaison, secretariat, member):
        with pytest.raises(NotPermitted):
            services.update_proposal(draft, by=user, changes={"title": "Hijacked"})
    with pytest.raises(ValidationError):
        services.update_proposal(draft, by=draft.created_by, changes={"state": "accepted"})
    assert Proposal.objects.get(pk=draft.pk).state == S.DRAFT


# --- attachments ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pdf_attachment_is_stored_with_its_digest(draft, lead_liaison):
    attachment = services.add_attachment(
        draft, by=lead_liaison, uploaded_file=SimpleUploadedFile("계획서.pdf", PDF, "application/pdf")
    )
    assert attachment.original_name == "계획서.pdf" and attachment.size == len(PDF)
    assert attachment.file.read() == PDF
    services.remove_attachment(attachment, by=lead_liaison)
    assert not ProposalAttachment.objects.exists()


@pytest.mark.django_db
def test_attachment_over_the_limit_is_refused(draft, lead_liaison, settings):
    settings.ATTACHMENT_MAX_BYTES = 50
    with pytest.raises(AttachmentTooLarge):
        services.add_attachment(
            draft, by=lead_liaison, uploaded_file=SimpleUploadedFile("a.pdf", PDF, "application/pdf")
        )
    assert not ProposalAttachment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("run.exe", b"MZ\x90\x00", "application/x-msdownload"),
        ("report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        ("report.exe", PDF, "application/pdf"),
        ("empty.txt", b"", "text/plain"),
    ],
)
def test_attachment_of_wrong_type_or_content_is_refused(draft, lead_liaison, name, content, content_type):
    with pytest.raises(ValidationError):
        services.add_attachment(draft, by=lead_liaison, uploaded_file=SimpleUploadedFile(name, content, content_type))
    assert not ProposalAttachment.objects.exists()


@pytest.mark.django_db
def test_only_lead_agency_attaches_and_only_while_editable(proposal_in_state, lead_liaison, other_liaison):
    draft = proposal_in_state(S.DRAFT)
    with pytest.raises(NotPermitted):
        services.add_attachment(
            draft, by=other_liaison, uploaded_file=SimpleUploadedFile("a.pdf", PDF, "application/pdf")
        )
    submitted = proposal_in_state(S.SUBMITTED)
    with pytest.raises(InvalidState):
        services.add_attachment(
            submitted, by=lead_liaison, uploaded_file=SimpleUploadedFile("a.pdf", PDF, "application/pdf")
        )


# --- consultations -------------------------------------------------------------------------------


def test_working_days_skip_weekends_and_korean_holidays():
    # Seollal 2026 falls on 16-18 February (Mon-Wed); 13 February is a Friday.
    assert not is_working_day(datetime.date(2026, 2, 17))
    assert add_working_days(datetime.date(2026, 2, 13), 1) == datetime.date(2026, 2, 19)
    assert add_working_days(datetime.date(2026, 11, 20), 5) == datetime.date(2026, 11, 27)


@pytest.fixture
def under_review(proposal_in_state):
    return proposal_in_state(S.UNDER_REVIEW)


@pytest.mark.django_db
def test_deadline_in_working_days_is_reckoned_in_seoul(under_review, secretariat, mohw, motie):
    # 15:30 UTC on Friday 13 February is already Saturday in Seoul: count from Saturday.
    with time_machine.travel(datetime.datetime(2026, 2, 13, 15, 30, tzinfo=datetime.UTC), tick=False):
        consultations = services.request_consultations(
            under_review, by=secretariat, agencies=[mohw, motie], working_days=2
        )
    assert {c.deadline for c in consultations} == {datetime.date(2026, 2, 20)}


@pytest.mark.django_db
def test_request_consultations_refusals(proposal_in_state, under_review, secretariat, lead_liaison, msit, mohw):
    tomorrow = add_working_days(datetime.date.today(), 1)
    with pytest.raises(NotPermitted):
        services.request_consultations(under_review, by=lead_liaison, agencies=[mohw], deadline=tomorrow)
    with pytest.raises(ValidationError):
        services.request_consultations(under_review, by=secretariat, agencies=[msit], deadline=tomorrow)
    with pytest.raises(ValidationError):
        services.request_consultations(under_review, by=secretariat, agencies=[mohw])
    with pytest.raises(ValidationError):
        services.request_consultations(under_review, by=secretariat, agencies=[mohw], deadline=tomorrow, working_days=3)
    with pytest.raises(ValidationError):
        services.request_consultations(
            under_review, by=secretariat, agencies=[mohw], deadline=datetime.date(2020, 1, 1)
        )
    with pytest.raises(InvalidState):
        services.request_consultations(proposal_in_state(S.DRAFT), by=secretariat, agencies=[mohw], deadline=tomorrow)
    services.request_consultations(under_review, by=secretariat, agencies=[mohw], deadline=tomorrow)
    with pytest.raises(ValidationError, match="Already consulted"):
        services.request_consultations(under_review, by=secretariat, agencies=[mohw], deadline=tomorrow)
    assert Consultation.objects.count() == 1


@pytest.mark.django_db
def test_opinions_are_given_and_revised_until_the_deadline(
    under_review, secretariat, mohw, other_liaison, lead_liaison
):
    deadline = datetime.date(2026, 12, 4)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC), tick=False):
        (consultation,) = services.request_consultations(
            under_review, by=secretariat, agencies=[mohw], deadline=deadline
        )
        with pytest.raises(NotPermitted):
            services.give_opinion(consultation, by=lead_liaison, position="concur", opinion="")
        with pytest.raises(ValidationError):
            services.give_opinion(consultation, by=other_liaison, position="object", opinion="")
        with pytest.raises(ValidationError):
            services.give_opinion(consultation, by=other_liaison, position="maybe", opinion="hm")
        answered = services.give_opinion(consultation, by=other_liaison, position="concur", opinion="")
        assert answered.is_answered and answered.revised_at is None
    # 23:30 KST on the deadline day is still in time.
    with time_machine.travel(datetime.datetime(2026, 12, 4, 14, 30, tzinfo=datetime.UTC), tick=False):
        revised = services.give_opinion(consultation, by=other_liaison, position="object", opinion="Overlaps our plan.")
        assert revised.revised_at is not None
    # 00:30 KST the day after is too late.
    too_late = datetime.datetime(2026, 12, 4, 15, 30, tzinfo=datetime.UTC)
    with time_machine.travel(too_late, tick=False), pytest.raises(InvalidState, match="deadline"):
        services.give_opinion(consultation, by=other_liaison, position="concur", opinion="")
    assert Consultation.objects.get(pk=consultation.pk).position == "object"


@pytest.mark.django_db
def test_consolidated_position(under_review, secretariat, mohw, motie, other_liaison, third_liaison):
    tomorrow = add_working_days(datetime.date.today(), 2)
    mafra = cast.agency("MAFRA")
    services.request_consultations(under_review, by=secretariat, agencies=[mohw, motie, mafra], deadline=tomorrow)
    services.give_opinion(Consultation.objects.get(agency=mohw), by=other_liaison, position="object", opinion="No.")
    services.give_opinion(
        Consultation.objects.get(agency=motie),
        by=third_liaison,
        position="concur_with_conditions",
        opinion="If funded.",
    )
    position = consolidated_position(under_review)
    assert [c.agency.acronym for c in position["object"]] == ["MOHW"]
    assert [c.agency.acronym for c in position["concur_with_conditions"]] == ["MOTIE"]
    assert [c.agency.acronym for c in position["silent"]] == ["MAFRA"]
    assert position["concur"] == []
