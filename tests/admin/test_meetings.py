"""Meetings in the admin: the form and the agenda and attendance inlines save through the services."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import AgendaItem, Attendance, Decision, Meeting, ProposalState
from tests import cast
from tests.admin.conftest import form_data, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee, secretariat):
    # Started yesterday: attendance, decisions and "held" are recorded only once a meeting has started.
    return cast.make_meeting(committee, secretariat, days_ahead=-1)


def change_url(meeting):
    return reverse("admin:policies_meeting_change", args=[meeting.pk])


def state_of(proposal):
    proposal.refresh_from_db()
    return proposal.state


def items_form(data, index, **values):
    """Fill the agenda inline's form number `index`."""
    for name, value in values.items():
        data[f"items-{index}-{name}"] = "" if value is None else str(value)
    return data


def test_meeting_is_created_through_the_add_form(desk, committee):
    response = desk.get(reverse("admin:policies_meeting_add"))
    assert response.status_code == 200
    data = form_data(response)
    starts = timezone.localtime(timezone.now() + datetime.timedelta(days=20))
    data.update(
        {
            "committee": str(committee.pk),
            "title": "2nd plenary meeting",
            "starts_at_0": starts.date().isoformat(),
            "starts_at_1": "14:00:00",
            "location": "Sejong",
        }
    )
    response = desk.post(reverse("admin:policies_meeting_add"), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    meeting = Meeting.objects.get(title="2nd plenary meeting")
    assert (meeting.committee, meeting.status, meeting.location) == (committee, Meeting.Status.PLANNED, "Sejong")


def test_meeting_without_place_or_link_is_refused_on_the_form(desk, committee):
    data = form_data(desk.get(reverse("admin:policies_meeting_add")))
    data.update(
        {"committee": str(committee.pk), "title": "Nowhere", "starts_at_0": "2030-01-07", "starts_at_1": "10:00"}
    )
    response = desk.post(reverse("admin:policies_meeting_add"), data)
    assert response.status_code == 200
    assert "Give a place or an online link." in response.content.decode()
    assert not Meeting.objects.filter(title="Nowhere").exists()


def test_only_managed_committees_are_offered_for_a_new_meeting(desk, committee, other_committee):
    response = desk.get(reverse("admin:policies_meeting_add"))
    assert list(response.context["adminform"].form.fields["committee"].queryset) == [committee]


def test_meeting_changes_go_through_update_meeting(desk, meeting):
    data = form_data(desk.get(change_url(meeting)))
    data["location"] = "Government Complex Sejong"
    response = desk.post(change_url(meeting), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.location == "Government Complex Sejong"


def test_status_cannot_be_changed_by_posting_the_change_form(desk, meeting):
    data = form_data(desk.get(change_url(meeting)))
    data["status"] = Meeting.Status.HELD
    desk.post(change_url(meeting), data)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_agenda_inline_offers_only_accepted_proposals_of_the_committee(desk, meeting, proposal_in_state):
    accepted = proposal_in_state(ProposalState.ACCEPTED, title="Accepted")
    proposal_in_state(ProposalState.UNDER_REVIEW, title="Under review")
    response = desk.get(change_url(meeting))
    formset = response.context["inline_admin_formsets"][0].formset
    assert list(formset.forms[0].fields["proposal"].queryset) == [accepted]


def test_adding_a_proposal_to_the_agenda_schedules_it(desk, meeting, proposal_in_state):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    data = form_data(desk.get(change_url(meeting)))
    items_form(data, 0, kind="proposal", proposal=proposal.pk)
    response = desk.post(change_url(meeting), data)
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.proposal, item.position, item.presenter_id) == (proposal, 1, proposal.lead_agency_id)
    assert state_of(proposal) == ProposalState.SCHEDULED


def test_agenda_items_are_changed_and_removed_through_the_services(desk, meeting, secretariat, proposal_in_state):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    item = services.add_agenda_item(meeting, by=secretariat, proposal=proposal)
    briefing = services.add_agenda_item(meeting, by=secretariat, kind="briefing", title="Budget outlook")
    data = form_data(desk.get(change_url(meeting)))
    forms_by_id = {data[f"items-{i}-id"]: i for i in range(2)}
    items_form(data, forms_by_id[str(briefing.pk)], title="Budget outlook 2027", position=1)
    items_form(data, forms_by_id[str(item.pk)], DELETE="on")
    response = desk.post(change_url(meeting), data)
    assert response.status_code == 302
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", "position")) == [
        ("Budget outlook 2027", 1)
    ]
    assert state_of(proposal) == ProposalState.ACCEPTED


def test_an_items_proposal_cannot_be_swapped_in_place(desk, meeting, secretariat, proposal_in_state):
    first = proposal_in_state(ProposalState.ACCEPTED)
    second = proposal_in_state(ProposalState.ACCEPTED)
    item = services.add_agenda_item(meeting, by=secretariat, proposal=first)
    response = desk.get(change_url(meeting))
    existing = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert existing.fields["proposal"].disabled and existing.fields["kind"].disabled
    data = form_data(response)
    items_form(data, 0, proposal=second.pk, kind="report")
    assert desk.post(change_url(meeting), data).status_code == 302
    item.refresh_from_db()
    assert (item.proposal, item.kind) == (first, "proposal")
    assert (state_of(first), state_of(second)) == (ProposalState.SCHEDULED, ProposalState.ACCEPTED)


def test_an_attendance_rows_member_cannot_be_swapped(desk, meeting, secretariat, member, committee):
    second = cast.make_member(committee, "member-2")
    services.record_attendance(meeting, by=secretariat, member=member, status="present")
    data = form_data(desk.get(change_url(meeting)))
    data.update({"attendances-0-member": str(second.pk), "attendances-0-status": "absent"})
    assert desk.post(change_url(meeting), data).status_code == 302
    assert list(Attendance.objects.values_list("member__username", "status")) == [("member-1", "absent")]


def test_a_free_item_needs_a_title(desk, meeting):
    data = form_data(desk.get(change_url(meeting)))
    items_form(data, 0, kind="report", proposal="", title="")
    response = desk.post(change_url(meeting), data)
    assert response.status_code == 200
    assert "Give the item a title." in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_a_refusal_while_saving_rolls_the_whole_save_back(desk, meeting, secretariat, proposal_in_state):
    """The service refuses scheduling a proposal twice: the meeting edit in the same save is undone too."""
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    services.add_agenda_item(meeting, by=secretariat, proposal=proposal)
    data = form_data(desk.get(change_url(meeting)))
    data["location"] = "Elsewhere"
    items_form(data, 1, kind="proposal", proposal=proposal.pk)
    response = desk.post(change_url(meeting), data)
    # The page comes back with the refusal and the edit as typed, so nothing typed is lost; nothing is saved.
    assert response.status_code == 200
    assert "cannot be place on an agenda" in str(response.context["adminform"].form.non_field_errors())
    assert form_data(response)["location"] == "Elsewhere"
    meeting.refresh_from_db()
    assert meeting.location == "Government Complex Seoul"
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_publish_button_publishes_the_agenda(desk, meeting, secretariat):
    services.add_agenda_item(meeting, by=secretariat, kind="briefing", title="Outlook")
    response = desk.get(change_url(meeting))
    assert [str(b["label"]) for b in response.context["workflow_buttons"]] == ["Publish agenda", "Cancel meeting"]
    response = desk.post(reverse("admin:policies_meeting_publish", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED


def test_publishing_an_empty_agenda_is_refused_with_a_message(desk, meeting):
    response = desk.post(reverse("admin:policies_meeting_publish", args=[meeting.pk]))
    assert response.status_code == 302
    assert messages_of(response) == ["An empty agenda cannot be published."]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_mark_held_needs_a_published_agenda(desk, meeting, secretariat):
    response = desk.post(reverse("admin:policies_meeting_held", args=[meeting.pk]))
    assert messages_of(response) == ["Only a meeting with a published agenda can be marked as held."]
    services.add_agenda_item(meeting, by=secretariat, kind="briefing", title="Outlook")
    services.publish_agenda(meeting, by=secretariat)
    desk.post(reverse("admin:policies_meeting_held", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_cancel_form_cancels_and_frees_scheduled_proposals(desk, meeting, secretariat, proposal_in_state):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    services.add_agenda_item(meeting, by=secretariat, proposal=proposal)
    url = reverse("admin:policies_meeting_cancel", args=[meeting.pk])
    assert desk.get(url).status_code == 200
    response = desk.post(url, {"comment": "Minister unavailable."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert state_of(proposal) == ProposalState.ACCEPTED
    response = desk.post(url, {"comment": ""})
    assert messages_of(response)[-1] == "The agenda of a meeting that was held or cancelled cannot change."


def test_a_held_meetings_fields_and_agenda_are_read_only(desk, meeting, secretariat):
    services.add_agenda_item(meeting, by=secretariat, kind="briefing", title="Outlook")
    services.publish_agenda(meeting, by=secretariat)
    services.mark_meeting_held(meeting, by=secretariat)
    response = desk.get(change_url(meeting))
    assert "location" not in response.context["adminform"].form.fields
    agenda = response.context["inline_admin_formsets"][0]
    assert not agenda.has_add_permission and not agenda.has_change_permission


def test_changelist_actions_publish_and_report_refusals(desk, committee, secretariat):
    ready = cast.make_meeting(committee, secretariat, title="Ready")
    services.add_agenda_item(ready, by=secretariat, kind="briefing", title="Outlook")
    empty = cast.make_meeting(committee, secretariat, title="Empty")
    response = desk.post(
        reverse("admin:policies_meeting_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, empty.pk]},
    )
    assert response.status_code == 302
    assert f"{empty}: An empty agenda cannot be published." in messages_of(response)
    assert dict(Meeting.objects.values_list("title", "status")) == {
        "Ready": Meeting.Status.AGENDA_PUBLISHED,
        "Empty": Meeting.Status.PLANNED,
    }
    desk.post(
        reverse("admin:policies_meeting_changelist"), {"action": "cancel_selected", "_selected_action": [empty.pk]}
    )
    assert Meeting.objects.get(pk=empty.pk).status == Meeting.Status.CANCELLED


def test_attendance_inline_records_attendance_and_shows_quorum(desk, meeting, member, committee):
    second = cast.make_member(committee, "member-2")
    response = desk.get(change_url(meeting))
    assert "2 members; 2 make a quorum. No attendance recorded yet." in response.content.decode()
    data = form_data(response)
    data.update(
        {
            "attendances-TOTAL_FORMS": "2",
            "attendances-0-member": str(member.pk),
            "attendances-0-status": "present",
            "attendances-1-member": str(second.pk),
            "attendances-1-status": "represented",
            "attendances-1-delegate_name": "Deputy Kim",
        }
    )
    response = desk.post(change_url(meeting), data)
    assert response.status_code == 302
    assert set(Attendance.objects.filter(meeting=meeting).values_list("member__username", "status")) == {
        ("member-1", "present"),
        ("member-2", "represented"),
    }
    response = desk.get(change_url(meeting))
    assert "2 of 2 members attend; 2 needed: quorum reached." in response.content.decode()


def test_attendance_of_a_non_member_cannot_be_recorded(desk, meeting, member, outsider):
    data = form_data(desk.get(change_url(meeting)))
    data.update(
        {"attendances-TOTAL_FORMS": "1", "attendances-0-member": str(outsider.pk), "attendances-0-status": "present"}
    )
    response = desk.post(change_url(meeting), data)
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_record_decision_link_leads_to_a_form_that_decides(desk, secretariat, committee, member, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SCHEDULED)
    item = proposal.agenda_items.get()
    meeting = item.meeting
    response = desk.get(change_url(meeting))
    assert "Decisions are recorded once the agenda is published." in response.content.decode()
    services.publish_agenda(meeting, by=secretariat)
    with time_machine.travel(meeting.starts_at + datetime.timedelta(minutes=5)):  # the meeting has begun
        cast.attend_all(meeting, secretariat)
        decide_url = reverse("admin:policies_meeting_decide", args=[meeting.pk, item.pk])
        assert decide_url in desk.get(change_url(meeting)).content.decode()
        assert desk.get(decide_url).status_code == 200
        response = desk.post(
            decide_url,
            {
                "outcome": "adopted",
                "resolution": "Adopted as proposed.",
                "votes_for": "1",
                "votes_against": "0",
                "abstentions": "0",
            },
        )
        decision = Decision.objects.get(agenda_item=item)
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:policies_decision_change", args=[decision.pk])
        assert (decision.outcome, decision.votes_for, decision.recorded_by) == ("adopted", 1, secretariat)
        assert state_of(proposal) == ProposalState.DECIDED
        assert decision.number in desk.get(change_url(meeting)).content.decode()


def test_a_decision_without_quorum_is_refused_on_the_form(desk, secretariat, member, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SCHEDULED)
    item = proposal.agenda_items.get()
    services.publish_agenda(item.meeting, by=secretariat)
    decide_url = reverse("admin:policies_meeting_decide", args=[item.meeting.pk, item.pk])
    with time_machine.travel(item.meeting.starts_at + datetime.timedelta(minutes=5)):  # the meeting has begun
        response = desk.post(decide_url, {"outcome": "adopted", "resolution": "Adopted."})
    assert response.status_code == 200
    assert "Record attendance first: a decision needs a quorum." in response.content.decode()
    assert not Decision.objects.exists()
    assert state_of(proposal) == ProposalState.SCHEDULED


def test_a_decision_on_an_item_of_another_meeting_is_not_found(desk, meeting, secretariat, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SCHEDULED)
    item = proposal.agenda_items.get()
    response = desk.get(reverse("admin:policies_meeting_decide", args=[meeting.pk, item.pk]))
    assert response.status_code == 404


def test_changelist_action_marks_held_only_published_meetings(desk, committee, secretariat):
    published = cast.make_meeting(committee, secretariat, title="Published", days_ahead=-1)
    services.add_agenda_item(published, by=secretariat, kind="briefing", title="Outlook")
    services.publish_agenda(published, by=secretariat)
    planned = cast.make_meeting(committee, secretariat, title="Planned", days_ahead=-1)
    response = desk.post(
        reverse("admin:policies_meeting_changelist"),
        {"action": "mark_held_selected", "_selected_action": [published.pk, planned.pk]},
    )
    assert response.status_code == 302
    assert f"{planned}: Only a meeting with a published agenda can be marked as held." in messages_of(response)
    assert dict(Meeting.objects.values_list("title", "status")) == {
        "Published": Meeting.Status.HELD,
        "Planned": Meeting.Status.PLANNED,
    }


@pytest.mark.parametrize(
    ("steps", "offered"),
    [
        ([], ["Publish agenda", "Cancel meeting"]),
        (["publish"], ["Mark as held", "Cancel meeting"]),
        (["publish", "hold"], []),
        (["cancel"], []),
    ],
)
def test_the_buttons_are_the_actions_the_meeting_table_offers(desk, meeting, secretariat, steps, offered):
    services.add_agenda_item(meeting, by=secretariat, kind="briefing", title="Outlook")
    verbs = {
        "publish": services.publish_agenda,
        "hold": services.mark_meeting_held,
        "cancel": services.cancel_meeting,
    }
    for step in steps:
        verbs[step](meeting, by=secretariat)
    response = desk.get(change_url(meeting))
    assert [str(b["label"]) for b in response.context["workflow_buttons"]] == offered


def test_every_action_a_person_takes_on_meetings_and_actions_has_its_admin_view():
    from policies.admin.decisions import ACTION_BUTTONS
    from policies.admin.meetings import MEETING_BUTTONS
    from policies.workflow import FOLLOW_UP, MEETINGS, Actor

    assert list(MEETING_BUTTONS) == list(MEETINGS.user_actions)
    secretariat_steps = [s for s in FOLLOW_UP.user_actions if Actor.SECRETARIAT in FOLLOW_UP.transitions[s].actors]
    assert list(ACTION_BUTTONS) == secretariat_steps
