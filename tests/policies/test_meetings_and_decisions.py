"""Agendas schedule proposals, quorum gates decisions, decisions number themselves and assign follow-up actions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from committee.directory.models import Committee, CommitteeMembership
from policies import services
from policies.models import (
    AgendaItem,
    Attendance,
    Decision,
    FollowUpAction,
    Meeting,
    Proposal,
    ProposalEvent,
    ProposalState,
)
from policies.queries.meetings import quorum_status
from policies.workflow import InvalidState, NotPermitted
from tests import cast

S = ProposalState


@pytest.fixture
def members(committee):
    return [cast.make_member(committee, f"board-member-{n}") for n in range(1, 6)]


@pytest.fixture
def meeting(committee, secretariat):
    # Started yesterday: attendance and decisions are recorded only once a meeting has started.
    return cast.make_meeting(committee, secretariat, days_ahead=-1)


def add(meeting, secretariat, proposal):
    return services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.PROPOSAL, proposal=proposal)


def attend(meeting, secretariat, users, status=Attendance.Status.PRESENT, **extra):
    for user in users:
        services.record_attendance(meeting, by=secretariat, member=user, status=status, **extra)


# --- agendas -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_an_accepted_proposal_schedules_it_and_removing_it_unschedules(proposal_in_state, meeting, secretariat):
    proposal = proposal_in_state(S.ACCEPTED)
    item = add(meeting, secretariat, proposal)
    assert Proposal.objects.get(pk=proposal.pk).state == S.SCHEDULED
    assert item.position == 1 and item.presenter_id == proposal.lead_agency_id
    services.remove_agenda_item(item, by=secretariat)
    assert Proposal.objects.get(pk=proposal.pk).state == S.ACCEPTED
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.WITHDRAWN])
def test_only_accepted_proposals_go_on_an_agenda(proposal_in_state, meeting, secretariat, state):
    proposal = proposal_in_state(state)
    with pytest.raises(InvalidState):
        add(meeting, secretariat, proposal)
    assert not meeting.items.exists()
    assert Proposal.objects.get(pk=proposal.pk).state == state


@pytest.mark.django_db
def test_free_items_need_a_title_and_no_proposal(meeting, secretariat):
    with pytest.raises(ValidationError):
        services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.REPORT)
    item = services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.BRIEFING, title="Bio-data briefing")
    assert item.display_title == "Bio-data briefing"


@pytest.mark.django_db
def test_proposal_of_another_committee_cannot_be_scheduled(proposal_in_state, secretariat):
    food = cast.make_committee("NBC-FOOD")
    food.secretariat.add(secretariat)
    foreign_meeting = cast.make_meeting(food, secretariat)
    proposal = proposal_in_state(S.ACCEPTED)
    with pytest.raises(ValidationError):
        add(foreign_meeting, secretariat, proposal)
    assert Proposal.objects.get(pk=proposal.pk).state == S.ACCEPTED


@pytest.mark.django_db
def test_only_the_secretariat_builds_agendas(proposal_in_state, meeting, lead_liaison, member):
    proposal = proposal_in_state(S.ACCEPTED)
    for user in (lead_liaison, member):
        with pytest.raises(NotPermitted):
            add(meeting, user, proposal)
        with pytest.raises(NotPermitted):
            services.publish_agenda(meeting, by=user)


@pytest.mark.django_db
def test_publishing_needs_items_and_happens_once(proposal_in_state, meeting, secretariat):
    with pytest.raises(ValidationError):
        services.publish_agenda(meeting, by=secretariat)
    add(meeting, secretariat, proposal_in_state(S.ACCEPTED))
    published = services.publish_agenda(meeting, by=secretariat)
    assert published.status == Meeting.Status.AGENDA_PUBLISHED and published.agenda_published_at
    with pytest.raises(InvalidState):
        services.publish_agenda(meeting, by=secretariat)


@pytest.mark.django_db
def test_changing_a_published_agenda_raises_the_invitation_sequence(proposal_in_state, meeting, secretariat):
    add(meeting, secretariat, proposal_in_state(S.ACCEPTED))
    services.publish_agenda(meeting, by=secretariat)
    add(meeting, secretariat, proposal_in_state(S.ACCEPTED))
    services.update_meeting(meeting, by=secretariat, changes={"location": "Sejong Government Complex"})
    assert Meeting.objects.get(pk=meeting.pk).invitation_sequence == 2


@pytest.mark.django_db
def test_a_published_agenda_item_changed_raises_the_sequence_and_one_saved_unchanged_does_not(
    proposal_in_state, meeting, secretariat
):
    item = add(meeting, secretariat, proposal_in_state(S.ACCEPTED))
    services.publish_agenda(meeting, by=secretariat)

    def sequence():
        return Meeting.objects.get(pk=meeting.pk).invitation_sequence

    published = sequence()
    services.update_agenda_item(item, by=secretariat, changes={"title": item.title, "notes": item.notes})
    assert sequence() == published  # nothing changed: calendars are not asked to update
    services.update_agenda_item(item, by=secretariat, changes={"notes": "Bring the revised budget."})
    assert sequence() == published + 1


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["Typhoon warning", ""])
def test_a_cancelled_meetings_proposals_say_why_on_their_timeline(proposal_in_state, meeting, secretariat, reason):
    proposal = proposal_in_state(S.ACCEPTED)
    add(meeting, secretariat, proposal)
    services.cancel_meeting(meeting, by=secretariat, reason=reason)
    event = proposal.events.get(action=ProposalEvent.Action.UNSCHEDULE)
    assert event.comment == (reason or str(meeting))  # no reason given: the meeting it was taken off


@pytest.mark.django_db
def test_reorder_requires_every_item_once(proposal_in_state, meeting, secretariat):
    first = add(meeting, secretariat, proposal_in_state(S.ACCEPTED))
    second = add(meeting, secretariat, proposal_in_state(S.ACCEPTED))
    with pytest.raises(ValidationError):
        services.reorder_agenda(meeting, by=secretariat, item_ids=[second.pk])
    services.reorder_agenda(meeting, by=secretariat, item_ids=[second.pk, first.pk])
    assert list(meeting.items.values_list("id", flat=True)) == [second.pk, first.pk]


@pytest.mark.django_db
def test_cancelling_a_meeting_sends_its_proposals_back_to_accepted(proposal_in_state, meeting, secretariat):
    proposal = proposal_in_state(S.ACCEPTED)
    add(meeting, secretariat, proposal)
    services.publish_agenda(meeting, by=secretariat)
    cancelled = services.cancel_meeting(meeting, by=secretariat, reason="Typhoon warning")
    assert cancelled.status == Meeting.Status.CANCELLED
    assert cancelled.invitation_sequence == 1
    assert Proposal.objects.get(pk=proposal.pk).state == S.ACCEPTED
    with pytest.raises(InvalidState):
        add(meeting, secretariat, Proposal.objects.get(pk=proposal.pk))


@pytest.mark.django_db
def test_meeting_must_end_after_it_starts_and_have_a_place(committee, secretariat):
    start = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError):
        services.create_meeting(
            by=secretariat, committee=committee, title="x", starts_at=start, ends_at=start, location="Seoul"
        )
    with pytest.raises(ValidationError):
        services.create_meeting(by=secretariat, committee=committee, title="x", starts_at=start)


# --- quorum --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "fixed", "member_count", "required"),
    [
        ("majority", None, 5, 3),
        ("majority", None, 6, 4),
        ("majority", None, 1, 1),
        ("two_thirds", None, 6, 4),
        ("two_thirds", None, 7, 5),
        ("fixed", 9, 30, 9),
    ],
)
def test_quorum_rules(rule, fixed, member_count, required):
    committee = Committee(code="QC", name_ko="q", name_en="q", quorum_rule=rule, quorum_fixed=fixed)
    assert committee.quorum_for(member_count) == required


@pytest.mark.django_db
def test_quorum_counts_current_members_present_and_represented(committee, meeting, secretariat, members):
    expired = cast.make_member(committee, "former-member")
    # Ended the day before the meeting (which was yesterday).
    CommitteeMembership.objects.filter(user=expired).update(term_end=timezone.localdate() - datetime.timedelta(days=2))
    attend(meeting, secretariat, members[:2])
    status = quorum_status(meeting)
    assert (status["members"], status["required"], status["attending"], status["has_quorum"]) == (5, 3, 2, False)
    attend(meeting, secretariat, members[2:3], Attendance.Status.REPRESENTED, delegate_name="Deputy Kim")
    assert quorum_status(meeting)["has_quorum"] is True
    committee.delegates_count_for_quorum = False
    committee.save()
    assert quorum_status(Meeting.objects.get(pk=meeting.pk))["has_quorum"] is False


@pytest.mark.django_db
def test_attendance_only_for_members_and_delegate_is_named(meeting, secretariat, members, outsider):
    with pytest.raises(ValidationError):
        services.record_attendance(meeting, by=secretariat, member=outsider, status=Attendance.Status.PRESENT)
    with pytest.raises(ValidationError):
        services.record_attendance(meeting, by=secretariat, member=members[0], status=Attendance.Status.REPRESENTED)
    services.record_attendance(meeting, by=secretariat, member=members[0], status=Attendance.Status.ABSENT)
    services.record_attendance(meeting, by=secretariat, member=members[0], status=Attendance.Status.PRESENT)
    assert meeting.attendances.get().status == Attendance.Status.PRESENT


# --- decisions -----------------------------------------------------------------------------------


@pytest.fixture
def published_item(proposal_in_state, meeting, secretariat, members):
    item = add(meeting, secretariat, proposal_in_state(S.ACCEPTED))
    services.publish_agenda(meeting, by=secretariat)
    return item


@pytest.mark.django_db
def test_decision_without_recorded_attendance_or_quorum_is_refused(published_item, secretariat, members):
    with pytest.raises(InvalidState, match="attendance"):
        services.record_decision(published_item, by=secretariat, outcome="adopted", resolution="Adopted.")
    attend(published_item.meeting, secretariat, members[:2])
    with pytest.raises(InvalidState, match="quorum"):
        services.record_decision(published_item, by=secretariat, outcome="adopted", resolution="Adopted.")
    assert not Decision.objects.exists()
    assert Proposal.objects.get(pk=published_item.proposal_id).state == S.SCHEDULED


@pytest.mark.django_db
def test_decision_is_numbered_and_decides_the_proposal(published_item, secretariat, members):
    attend(published_item.meeting, secretariat, members[:3])
    decision = services.record_decision(
        published_item,
        by=secretariat,
        outcome="adopted_with_amendments",
        resolution="Adopted, budget halved.",
        votes_for=3,
        votes_against=0,
        abstentions=0,
    )
    year = timezone.localtime(decision.decided_at).year
    assert decision.number == f"NBC-{year}-D-001"
    assert Proposal.objects.get(pk=published_item.proposal_id).state == S.DECIDED
    with pytest.raises(InvalidState, match="already"):
        services.record_decision(published_item, by=secretariat, outcome="rejected", resolution="No.")
    with pytest.raises(InvalidState):
        services.remove_agenda_item(published_item, by=secretariat)


@pytest.mark.django_db
def test_deferral_needs_no_quorum_and_the_proposal_can_be_scheduled_again(published_item, secretariat, committee):
    decision = services.record_decision(published_item, by=secretariat, outcome="deferred", resolution="Deferred.")
    proposal = Proposal.objects.get(pk=published_item.proposal_id)
    assert decision.outcome == Decision.Outcome.DEFERRED and proposal.state == S.ACCEPTED
    later = cast.make_meeting(committee, secretariat, days_ahead=40, title="2nd plenary meeting")
    add(later, secretariat, proposal)
    assert Proposal.objects.get(pk=proposal.pk).state == S.SCHEDULED


@pytest.mark.django_db
def test_decisions_need_a_published_agenda_and_a_resolution(proposal_in_state, meeting, secretariat, members):
    item = add(meeting, secretariat, proposal_in_state(S.ACCEPTED))
    with pytest.raises(InvalidState):
        services.record_decision(item, by=secretariat, outcome="deferred", resolution="Deferred.")
    services.publish_agenda(meeting, by=secretariat)
    with pytest.raises(ValidationError):
        services.record_decision(item, by=secretariat, outcome="deferred", resolution=" ")
    with pytest.raises(ValidationError):
        services.record_decision(item, by=secretariat, outcome="approved-ish", resolution="Yes")


@pytest.mark.django_db
def test_free_items_are_not_decided(meeting, secretariat):
    item = services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.REPORT, title="Annual report")
    services.publish_agenda(meeting, by=secretariat)
    with pytest.raises(InvalidState):
        services.record_decision(item, by=secretariat, outcome="adopted", resolution="Noted.")


# --- follow-up actions ---------------------------------------------------------------------------


@pytest.fixture
def decision(published_item, secretariat, members):
    attend(published_item.meeting, secretariat, members)
    return services.record_decision(published_item, by=secretariat, outcome="adopted", resolution="Adopted.")


def due_in(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.mark.django_db
def test_follow_up_action_lifecycle(decision, secretariat, msit, lead_liaison):
    action = services.assign_follow_up_action(
        decision, by=secretariat, agency=msit, title="Draft the pilot plant plan", due_date=due_in(30)
    )
    assert action.status == FollowUpAction.Status.OPEN and not action.is_overdue()
    services.report_progress(action, by=lead_liaison, text="Site survey finished.", percent_complete=40)
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (FollowUpAction.Status.IN_PROGRESS, 40)
    services.report_progress(action, by=lead_liaison, text="Plan delivered.", percent_complete=90, reports_done=True)
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (FollowUpAction.Status.DONE, 100)
    with pytest.raises(InvalidState):
        services.report_progress(action, by=lead_liaison, text="More.", percent_complete=100)
    with pytest.raises(ValidationError):
        services.reopen_action(action, by=secretariat, comment="")
    services.reopen_action(action, by=secretariat, comment="The budget annex is missing.")
    action.refresh_from_db()
    assert action.status == FollowUpAction.Status.IN_PROGRESS
    services.report_progress(action, by=lead_liaison, text="Annex added.", percent_complete=100, reports_done=True)
    verified = services.verify_action(action, by=secretariat)
    assert verified.is_verified
    with pytest.raises(InvalidState):
        services.verify_action(action, by=secretariat)


@pytest.mark.django_db
def test_progress_only_by_the_responsible_agency(decision, secretariat, msit, other_liaison, member):
    action = services.assign_follow_up_action(decision, by=secretariat, agency=msit, title="Plan", due_date=due_in(5))
    for user in (other_liaison, member, secretariat):
        with pytest.raises(NotPermitted):
            services.report_progress(action, by=user, text="x", percent_complete=10)
    assert not action.progress_reports.exists()


@pytest.mark.django_db
def test_progress_report_validation(decision, secretariat, msit, lead_liaison):
    action = services.assign_follow_up_action(decision, by=secretariat, agency=msit, title="Plan", due_date=due_in(5))
    with pytest.raises(ValidationError):
        services.report_progress(action, by=lead_liaison, text="x", percent_complete=101)
    with pytest.raises(ValidationError):
        services.report_progress(action, by=lead_liaison, text="", percent_complete=10)
    with pytest.raises(ValidationError):
        services.report_progress(action, by=lead_liaison, text="x", percent_complete=10, reported_on=due_in(1))
    assert FollowUpAction.objects.get(pk=action.pk).status == FollowUpAction.Status.OPEN


@pytest.mark.django_db
def test_actions_need_a_future_due_date(decision, secretariat, msit):
    with pytest.raises(ValidationError):
        services.assign_follow_up_action(decision, by=secretariat, agency=msit, title="Plan", due_date=due_in(-1))
    assert not decision.follow_up_actions.exists()


@pytest.mark.django_db
def test_actions_follow_adopted_decisions_only(published_item, secretariat, msit):
    rejected = services.record_decision(published_item, by=secretariat, outcome="deferred", resolution="Deferred.")
    with pytest.raises(InvalidState):
        services.assign_follow_up_action(rejected, by=secretariat, agency=msit, title="Plan", due_date=due_in(3))


@pytest.mark.django_db
def test_overdue_is_derived_from_the_due_date(decision, secretariat, msit, lead_liaison):
    action = services.assign_follow_up_action(decision, by=secretariat, agency=msit, title="Plan", due_date=due_in(1))
    tomorrow_plus = timezone.localdate() + datetime.timedelta(days=2)
    assert action.is_overdue(today=tomorrow_plus)
    assert list(FollowUpAction.objects.overdue(today=tomorrow_plus)) == [action]
    services.report_progress(action, by=lead_liaison, text="Done.", percent_complete=100, reports_done=True)
    assert not FollowUpAction.objects.overdue(today=tomorrow_plus).exists()
