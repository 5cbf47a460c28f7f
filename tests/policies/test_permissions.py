"""The visibility policy: who sees which proposals, meetings and follow-up actions."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from committee.dates import seoul_today
from committee.directory import scope as directory_scope
from committee.directory.models import CommitteeMembership
from policies import permissions, services
from policies.models import ProposalState
from tests import cast

S = ProposalState


def sees(user, proposal):
    directory_scope.forget_scope(user)
    return permissions.visible_proposals(user).filter(pk=proposal.pk).exists()


ROLES = ("lead_liaison", "other_liaison", "member", "secretariat", "outsider")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S.DRAFT, (True, False, False, True, False)),
        (S.SUBMITTED, (True, True, True, True, False)),
        (S.DECIDED, (True, True, True, True, False)),
        (S.WITHDRAWN, (True, True, True, True, False)),  # withdrawn after submission stays on record
    ],
)
def test_proposal_visibility_by_role(request, proposal_in_state, state, expected):
    proposal = proposal_in_state(state)
    seen = tuple(sees(request.getfixturevalue(role), proposal) for role in ROLES)
    assert dict(zip(ROLES, seen, strict=True)) == dict(zip(ROLES, expected, strict=True))


@pytest.mark.django_db
def test_a_draft_withdrawn_before_submission_stays_private(draft, lead_liaison, other_liaison, member):
    withdrawn = services.withdraw_proposal(draft, by=lead_liaison)
    assert sees(lead_liaison, withdrawn)
    assert not sees(other_liaison, withdrawn)
    assert not sees(member, withdrawn)


@pytest.mark.django_db
def test_secretariat_and_members_of_another_committee_see_nothing(proposal_in_state):
    proposal = proposal_in_state(S.SUBMITTED)
    food = cast.make_committee("NBC-FOOD")
    food.agencies.clear()
    assert not sees(cast.make_secretariat(food, "food-secretariat"), proposal)
    assert not sees(cast.make_member(food, "food-member"), proposal)


@pytest.mark.django_db
def test_expired_membership_loses_sight(proposal_in_state, member):
    proposal = proposal_in_state(S.SUBMITTED)
    assert sees(member, proposal)
    CommitteeMembership.objects.filter(user=member).update(term_end="2000-01-01", term_start="1999-01-01")
    assert not sees(member, proposal)


@pytest.mark.django_db
def test_co_sponsor_sees_submitted_proposal_outside_its_committees(committee, lead_liaison, health, secretariat):
    outside = cast.agency("MAFRA")
    committee.agencies.remove(outside)
    sponsor_liaison = cast.make_liaison(outside, "liaison-mafra")
    draft = cast.make_proposal(committee, lead_liaison, health, co_sponsors=[outside])
    assert not sees(sponsor_liaison, draft)
    services.submit_proposal(draft, by=lead_liaison)
    assert sees(sponsor_liaison, draft)
    assert permissions.visible_proposals(sponsor_liaison).count() == 1  # no duplicate rows from the join


@pytest.mark.django_db
def test_a_deactivated_user_sees_nothing_once_reloaded(proposal_in_state, lead_liaison, member):
    proposal = proposal_in_state(S.SUBMITTED)
    assert sees(lead_liaison, proposal) and sees(member, proposal)
    for user in (lead_liaison, member):  # through the agency and through the membership
        user.is_active = False
        user.save(update_fields=["is_active"])
        reloaded = get_user_model().objects.select_related("profile").get(pk=user.pk)
        assert not sees(reloaded, proposal), user.username
        assert directory_scope.scopes_of([reloaded]) == {}, user.username


@pytest.mark.django_db
def test_allowed_actions_follow_the_table(proposal_in_state, lead_liaison, other_liaison, secretariat, member):
    submitted = proposal_in_state(S.SUBMITTED)
    assert permissions.allowed_actions(lead_liaison, submitted) == ["withdraw"]
    assert permissions.allowed_actions(secretariat, submitted) == ["start_review"]
    assert permissions.allowed_actions(other_liaison, submitted) == []
    assert permissions.allowed_actions(member, submitted) == []


@pytest.mark.django_db
def test_follow_up_actions_visible_to_committee_and_responsible_agency(proposal_in_state, secretariat, member):
    decided = proposal_in_state(S.DECIDED)
    decision = decided.agenda_items.get().decision
    mafra = cast.agency("MAFRA")
    action = services.assign_follow_up_action(
        decision,
        by=secretariat,
        agency=mafra,
        title="Seed bank",
        due_date=seoul_today() + datetime.timedelta(days=30),  # replace(year=...) has no 29 February
    )
    decision.agenda_item.meeting.committee.agencies.remove(mafra)
    mafra_liaison = cast.make_liaison(mafra, "liaison-mafra")
    assert permissions.visible_actions(mafra_liaison).filter(pk=action.pk).exists()
    assert permissions.visible_actions(member).filter(pk=action.pk).exists()
    assert not permissions.visible_actions(cast.make_user("nobody")).exists()
    assert permissions.can_report_progress(mafra_liaison, action)
    assert not permissions.can_report_progress(member, action)


@pytest.mark.django_db
def test_consulted_agency_outside_the_committee_sees_and_answers(proposal_in_state, committee, secretariat):
    outside = cast.agency("MAFRA")
    committee.agencies.remove(outside)
    outside_liaison = cast.make_liaison(outside, "liaison-mafra")
    proposal = proposal_in_state(S.UNDER_REVIEW)
    assert not sees(outside_liaison, proposal)
    (consultation,) = services.request_consultations(proposal, by=secretariat, agencies=[outside], working_days=3)
    assert sees(outside_liaison, proposal)
    assert permissions.visible_consultations(outside_liaison).get() == consultation
    answered = services.give_opinion(consultation, by=outside_liaison, position="concur", opinion="")
    assert answered.is_answered


@pytest.mark.django_db
def test_files_reports_and_events_are_seen_as_their_parent_and_filed_under_its_committee(
    proposal_in_state, committee, secretariat, lead_liaison, other_liaison, outsider, mohw
):
    """Found by mutation testing: `committee_id_of` and `sees` were never asked about a progress report or an
    opinion's file, and `visible_events`/`visible_opinion_attachments` never ran at all in the pool."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from committee.directory.scope import scope_of
    from policies.models import ProposalEvent

    def pdf(name):
        return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")

    decision = proposal_in_state(S.DECIDED).agenda_items.get().decision
    action = services.assign_follow_up_action(
        decision,
        by=secretariat,
        agency=cast.agency("MSIT"),
        title="Seed bank",
        due_date=seoul_today() + datetime.timedelta(days=30),
    )
    report = services.report_progress(action, by=lead_liaison, text="Half", percent_complete=50, files=[pdf("a.pdf")])
    report_file = report.attachments.get()
    submitted = proposal_in_state(S.SUBMITTED)
    (consultation,) = services.request_consultations(submitted, by=secretariat, agencies=[mohw], working_days=5)
    opinion_file = services.add_opinion_attachment(consultation, by=other_liaison, uploaded_file=pdf("b.pdf"))

    for record in (report, report_file, opinion_file):
        assert permissions.committee_id_of(record) == committee.pk
    with pytest.raises(TypeError):
        permissions.committee_id_of(object())
    assert permissions.sees(scope_of(lead_liaison), report) and permissions.sees(scope_of(lead_liaison), report_file)
    assert permissions.sees(scope_of(other_liaison), opinion_file)
    assert not permissions.sees(scope_of(outsider), opinion_file) and not permissions.sees(scope_of(outsider), report)
    assert not permissions.sees(scope_of(secretariat), object())  # a kind with no rule is seen by nobody

    assert list(permissions.visible_opinion_attachments(other_liaison)) == [opinion_file]
    assert not permissions.visible_opinion_attachments(outsider).exists()
    events = permissions.visible_events(other_liaison)
    assert set(events.values_list("proposal_id", flat=True)) >= {submitted.pk}
    only_this = ProposalEvent.objects.filter(proposal=submitted)
    assert set(permissions.visible_events(other_liaison, only_this).values_list("proposal_id", flat=True)) == {
        submitted.pk
    }
    assert not permissions.visible_events(outsider).exists()

    # The 2026-11-27 run: a progress report's files and an anonymous reader's sight of an action.
    from committee.directory.scope import ANONYMOUS
    from policies.models import ProgressReportAttachment

    other_file = services.report_progress(
        action, by=lead_liaison, text="More", percent_complete=60, files=[pdf("c.pdf")]
    ).attachments.get()
    assert set(permissions.visible_progress_attachments(lead_liaison)) == {report_file, other_file}
    only_one = ProgressReportAttachment.objects.filter(pk=other_file.pk)
    assert list(permissions.visible_progress_attachments(lead_liaison, only_one)) == [other_file]
    assert not permissions.visible_progress_attachments(outsider).exists()
    assert permissions.sees_action(scope_of(lead_liaison), action, committee.pk)
    assert not permissions.sees_action(ANONYMOUS, action, committee.pk)
