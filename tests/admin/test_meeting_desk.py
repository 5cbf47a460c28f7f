"""The meeting desk: every button and form calls its verb, refusals keep what was typed, only the meeting's
secretariat gets in, and the page costs the same number of queries however long the agenda."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committee.audit.models import AuditEntry
from committee.directory.models import CommitteeMembership
from policies import services
from policies.models import AgendaItem, Attendance, Decision, Meeting, ProposalState
from tests import cast
from tests.admin.conftest import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee, secretariat):
    """A meeting that began an hour ago: attendance and decisions may be recorded for it."""
    return cast.make_meeting(committee, secretariat, starts_at=timezone.now() - datetime.timedelta(hours=1))


@pytest.fixture
def korean_member(committee):
    user = cast.make_member(committee, "kim-minjun", role=CommitteeMembership.Role.CHAIR)
    user.first_name, user.last_name = "민준", "김"
    user.save()
    return user


def desk_url(meeting, name="desk", *args):
    return reverse(f"admin:policies_meeting_{name}", args=[meeting.pk, *args])


def agenda(meeting):
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("position", "pk"))


def published_with_item(meeting, secretariat, proposal_in_state):
    item = services.add_agenda_item(meeting, by=secretariat, proposal=proposal_in_state(ProposalState.ACCEPTED))
    services.publish_agenda(meeting, by=secretariat)
    return item


# --- the page ------------------------------------------------------------------------------------


def test_desk_shows_agenda_attendance_and_decisions_in_that_order(
    desk, meeting, member, korean_member, proposal_in_state
):
    waiting = proposal_in_state(ProposalState.ACCEPTED, title="Gene therapy pilot")
    response = desk.get(desk_url(meeting))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index('id="agenda"') < page.index('id="attendance"') < page.index('id="decisions"')
    assert waiting.title in page and "Add ticked to agenda" in page  # the carry-over suggestions beside it
    assert "김민준" in page and "Chair" in page  # family name first, without a space
    assert 'data-required="2"' in page and 'data-members="2"' in page


def test_desk_is_linked_from_the_meeting_list_change_page_and_dashboard(desk, committee, secretariat):
    meeting = cast.make_meeting(committee, secretariat, days_ahead=7)  # upcoming, so on the dashboard
    url = desk_url(meeting)
    assert url in desk.get(reverse("admin:policies_meeting_changelist")).content.decode()
    assert url in desk.get(reverse("admin:policies_meeting_change", args=[meeting.pk])).content.decode()
    assert url in desk.get(reverse("admin:policies_dashboard")).content.decode()


# --- agenda --------------------------------------------------------------------------------------


def test_up_and_down_buttons_move_an_item_and_keep_numbers_gap_free(desk, meeting, secretariat):
    items = [services.add_agenda_item(meeting, by=secretariat, kind="briefing", title=t) for t in "ABC"]
    desk.post(desk_url(meeting, "desk_move", items[2].pk), {"direction": "up"})
    assert agenda(meeting) == [(1, items[0].pk), (2, items[2].pk), (3, items[1].pk)]
    desk.post(desk_url(meeting, "desk_move", items[0].pk), {"direction": "down"})
    assert agenda(meeting) == [(1, items[2].pk), (2, items[0].pk), (3, items[1].pk)]


def test_drag_and_drop_order_is_saved_and_a_wrong_order_is_refused(desk, meeting, secretariat):
    items = [services.add_agenda_item(meeting, by=secretariat, kind="briefing", title=t) for t in "ABC"]
    order = [items[1].pk, items[2].pk, items[0].pk]
    desk.post(desk_url(meeting, "desk_reorder"), {"item": order})
    assert [pk for _position, pk in agenda(meeting)] == order
    response = desk.post(desk_url(meeting, "desk_reorder"), {"item": [items[0].pk, "x"]}, follow=True)
    assert "Give every item of this agenda exactly once." in messages_of(response)
    assert [pk for _position, pk in agenda(meeting)] == order


def test_remove_takes_the_item_off_and_renumbers(desk, meeting, secretariat):
    items = [services.add_agenda_item(meeting, by=secretariat, kind="briefing", title=t) for t in "AB"]
    desk.post(desk_url(meeting, "desk_remove", items[0].pk))
    assert agenda(meeting) == [(1, items[1].pk)]


def test_buttons_answer_get_with_405(desk, meeting, secretariat):
    item = services.add_agenda_item(meeting, by=secretariat, kind="briefing", title="A")
    assert desk.get(desk_url(meeting, "desk_remove", item.pk)).status_code == 405
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_publish_asks_first_naming_who_will_be_emailed(desk, meeting, secretariat, member, korean_member):
    services.add_agenda_item(meeting, by=secretariat, kind="briefing", title="A")
    page = desk.get(desk_url(meeting)).content.decode()
    assert "Publishing emails the invitation to 2 people." in page
    response = desk.get(desk_url(meeting, "desk_publish"))
    assert response.context["recipients"] == sorted(["김민준", member.username])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED  # asking publishes nothing
    desk.post(desk_url(meeting, "desk_publish"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED


def test_accepted_proposals_page_offers_place_on_agenda_among_planned_meetings(
    desk, meeting, committee, secretariat, proposal_in_state
):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    cancelled = cast.make_meeting(committee, secretariat, title="Cancelled meeting")
    services.cancel_meeting(cancelled, by=secretariat)
    page = desk.get(reverse("admin:policies_proposal_change", args=[proposal.pk]))
    place = reverse("admin:policies_meeting_place", args=[proposal.pk])
    assert place in [button["url"] for button in page.context["workflow_buttons"]]
    assert list(desk.get(place).context["form"].fields["meeting"].queryset) == [meeting]
    response = desk.post(place, {"meeting": meeting.pk})
    assert response.status_code == 302
    assert AgendaItem.objects.get(meeting=meeting).proposal == proposal


# --- attendance ----------------------------------------------------------------------------------


def test_all_present_records_every_member_with_an_audit_entry_each(desk, meeting, member, korean_member):
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = desk.post(desk_url(meeting, "desk_attendance"), {"all_present": "1"})
    assert response.status_code == 302
    assert set(Attendance.objects.filter(meeting=meeting).values_list("member", "status")) == {
        (member.pk, "present"),
        (korean_member.pk, "present"),
    }
    entries = AuditEntry.objects.filter(pk__gt=since, action="attendance.recorded")
    assert entries.count() == 2
    page = desk.get(desk_url(meeting)).content.decode()
    assert "2 of 2 members attend; 2 needed: quorum reached." in page


def test_rows_record_present_absent_and_a_named_delegate(desk, meeting, member, korean_member):
    data = {
        f"status-{member.pk}": "represented",
        f"delegate-{member.pk}": "이서연",
        f"status-{korean_member.pk}": "absent",
    }
    desk.post(desk_url(meeting, "desk_attendance"), data)
    assert Attendance.objects.get(meeting=meeting, member=member).delegate_name == "이서연"
    assert Attendance.objects.get(meeting=meeting, member=korean_member).status == "absent"


def test_a_refused_sheet_records_nothing_and_comes_back_as_typed(desk, meeting, member, korean_member):
    # Rows go by name: member-1's (fine) is recorded before 김민준's (a delegate with no name) is refused.
    data = {f"status-{member.pk}": "present", f"status-{korean_member.pk}": "represented"}
    response = desk.post(desk_url(meeting, "desk_attendance"), data)
    assert response.status_code == 200
    form = response.context["attendance_form"]
    assert "Name the delegate." in str(form.non_field_errors())
    assert form[f"status-{member.pk}"].value() == "present"
    assert form[f"status-{korean_member.pk}"].value() == "represented"
    assert not Attendance.objects.filter(meeting=meeting).exists()  # one transaction: the good row went too


# --- decisions and follow-up actions -------------------------------------------------------------


def decision_data(item, **values):
    data = {"outcome": "adopted", "resolution": "Adopted as proposed.", "votes_for": "2"}
    data.update(values)
    return {f"decision-{item.pk}-{name}": value for name, value in data.items()}


def test_a_decision_is_recorded_from_the_desk(desk, meeting, secretariat, member, proposal_in_state):
    item = published_with_item(meeting, secretariat, proposal_in_state)
    cast.attend_all(meeting, secretariat)
    response = desk.post(
        desk_url(meeting, "desk_decision", item.pk),
        decision_data(item, votes_for="1", votes_against="0", abstentions="0"),
    )
    assert response.status_code == 302
    decision = Decision.objects.get(agenda_item=item)
    assert (decision.outcome, decision.votes_for) == ("adopted", 1)


def test_a_refused_decision_comes_back_with_what_was_typed(desk, meeting, secretariat, member, proposal_in_state):
    item = published_with_item(meeting, secretariat, proposal_in_state)  # no attendance: no quorum
    typed = decision_data(item, resolution="We adopt the pilot plan with its budget.")
    response = desk.post(desk_url(meeting, "desk_decision", item.pk), typed)
    assert response.status_code == 200
    assert "Record attendance first" in response.content.decode()
    assert "We adopt the pilot plan with its budget." in response.content.decode()
    assert not Decision.objects.filter(agenda_item=item).exists()


def test_a_follow_up_action_is_assigned_and_a_past_due_date_keeps_the_form(
    desk, meeting, secretariat, member, proposal_in_state, mohw
):
    item = published_with_item(meeting, secretariat, proposal_in_state)
    cast.attend_all(meeting, secretariat)
    decision = services.record_decision(item, by=secretariat, outcome="adopted", resolution="Adopted.")
    url = desk_url(meeting, "desk_action", decision.pk)
    past = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    typed = {"agency": mohw.pk, "title": "Draft the regulation", "due_date": past}
    response = desk.post(url, {f"action-{decision.pk}-{name}": value for name, value in typed.items()})
    assert response.status_code == 200
    assert "The due date cannot be in the past." in response.content.decode()
    assert 'value="Draft the regulation"' in response.content.decode()
    typed["due_date"] = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = desk.post(url, {f"action-{decision.pk}-{name}": value for name, value in typed.items()})
    assert response.status_code == 302
    assert decision.follow_up_actions.get().title == "Draft the regulation"


# --- who gets in ---------------------------------------------------------------------------------


def test_another_committees_secretariat_gets_404_and_changes_nothing(
    admin_client_for, other_secretariat, meeting, secretariat
):
    item = services.add_agenda_item(meeting, by=secretariat, kind="briefing", title="A")
    client = admin_client_for(other_secretariat)
    assert client.get(desk_url(meeting)).status_code == 404
    assert client.post(desk_url(meeting, "desk_remove", item.pk)).status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("who", ["member", "lead_liaison", "outsider"])
def test_members_liaisons_and_outsiders_never_reach_the_desk(admin_client_for, meeting, who, request):
    client = admin_client_for(request.getfixturevalue(who))
    response = client.get(desk_url(meeting))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_a_committee_gets_404(admin_client_for, meeting):
    staff = cast.make_user("staff-nobody", is_staff=True)
    assert admin_client_for(staff).get(desk_url(meeting)).status_code in (403, 404)


def test_desk_queries_do_not_grow_with_the_agenda_or_the_members(desk, meeting, secretariat, proposal_in_state):
    def grow(n):
        for i in range(n):
            cast.make_member(meeting.committee, f"member-{n}-{i}")
            services.add_agenda_item(meeting, by=secretariat, proposal=proposal_in_state(ProposalState.ACCEPTED))
            proposal_in_state(ProposalState.ACCEPTED)  # one more waiting

    def count():
        desk.get(desk_url(meeting))
        with CaptureQueriesContext(connection) as captured:
            assert desk.get(desk_url(meeting)).status_code == 200
        return len(captured)

    grow(1)
    few = count()
    grow(3)
    assert count() == few


# --- signing in ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [("secretariat", "admin:policies_dashboard"), ("lead_liaison", "portal:home"), ("member", "portal:home")],
)
def test_signing_in_lands_the_secretariat_on_its_dashboard_and_the_others_on_the_portal(client, who, lands_on, request):
    user = request.getfixturevalue(who)
    response = client.post(reverse("login"), {"username": user.username, "password": cast.PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(lands_on)
    assert response.status_code == 200


def test_the_sheet_starts_from_members_replies_until_attendance_is_recorded(client, committee, secretariat, member):
    from policies.models import AttendanceReply

    meeting = cast.make_meeting(committee, secretariat, days_ahead=3)
    services.reply_to_invitation(meeting, by=member, answer=AttendanceReply.Answer.DELEGATE, delegate_name="이서연")
    client.force_login(secretariat)
    page = client.get(reverse("admin:policies_meeting_desk", args=[meeting.pk])).content.decode()
    assert 'value="이서연"' in page
    [chosen] = re.findall(rf'<input[^>]*name="status-{member.pk}"[^>]*checked[^>]*>', page)
    assert 'value="represented"' in chosen
