"""Who hears what: each event writes one notification and one email per recipient, in their language."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from committee.outbox.models import Notification, OutboundEmail
from policies import services
from policies.models import AgendaItem, Decision, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db


def recipients(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def invitation_of(email):
    """The email's one attachment, the calendar invitation: its content type and the calendar it holds."""
    (attachment,) = email.attachments.all()
    assert attachment.filename == "invitation.ics"
    return attachment.content_type, icalendar.Calendar.from_ical(bytes(attachment.content).decode("utf-8"))


def test_submitting_notifies_the_secretariat_once_and_queues_one_email(draft, lead_liaison, secretariat):
    services.submit_proposal(draft, by=lead_liaison)
    assert recipients("proposal_submitted") == ["secretariat"]
    email = OutboundEmail.objects.get(kind="proposal_submitted")
    assert email.to_address == "secretariat@example.go.kr"
    assert email.status == OutboundEmail.Status.PENDING
    draft.refresh_from_db()
    assert draft.reference in email.subject
    assert draft.title in email.body_text and draft.title in email.body_html
    assert email.notification.url.endswith(f"/proposals/{draft.pk}/")


def test_resubmitting_a_returned_proposal_says_so(proposal_in_state, lead_liaison, secretariat):
    proposal = proposal_in_state(ProposalState.RETURNED)
    services.submit_proposal(proposal, by=lead_liaison)
    assert recipients("proposal_resubmitted") == ["secretariat"]
    assert "resubmitted" in Notification.objects.get(kind="proposal_resubmitted").subject


def test_returning_tells_lead_and_cosponsor_liaisons_with_the_comment(
    committee, lead_liaison, other_liaison, third_liaison, secretariat, health, mohw
):
    proposal = cast.make_proposal(committee, lead_liaison, health)
    proposal.co_sponsors.add(mohw)
    services.submit_proposal(proposal, by=lead_liaison)
    services.start_review(proposal, by=secretariat)
    services.return_proposal(proposal, by=secretariat, comment="Add the budget breakdown.")
    assert recipients("proposal_return") == ["liaison-mohw", "liaison-msit"]
    assert "Add the budget breakdown." in Notification.objects.filter(kind="proposal_return").first().body_text


def test_the_actor_is_not_told_of_their_own_action(proposal_in_state, lead_liaison):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    services.withdraw_proposal(proposal, by=lead_liaison)
    assert recipients("proposal_withdraw") == []


def test_emails_render_in_each_recipients_language(committee, draft, lead_liaison, secretariat):
    korean = cast.make_secretariat(committee, "secretariat-ko")
    korean.profile.language = "ko"
    korean.profile.save()
    services.submit_proposal(draft, by=lead_liaison)
    by_address = {e.to_address: e for e in OutboundEmail.objects.filter(kind="proposal_submitted")}
    # Korean catalogues are added later; what matters here is which language each message was rendered in.
    assert 'lang="ko"' in by_address[korean.email].body_html
    assert 'lang="en"' in by_address[secretariat.email].body_html


def test_consultation_goes_to_the_consulted_agency_and_the_opinion_back(
    proposal_in_state, secretariat, other_liaison, lead_liaison, mohw
):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    (consultation,) = services.request_consultations(
        proposal, by=secretariat, agencies=[mohw], deadline=timezone.localdate() + datetime.timedelta(days=5)
    )
    assert recipients("consultation_requested") == ["liaison-mohw"]
    services.give_opinion(consultation, by=other_liaison, position="concur", opinion="")
    assert recipients("opinion_received") == ["liaison-msit", "secretariat"]
    services.give_opinion(consultation, by=other_liaison, position="object", opinion="Too costly.")
    assert recipients("opinion_revised") == ["liaison-msit", "secretariat"]


def _published_meeting(committee, secretariat, proposal):
    meeting = cast.make_meeting(committee, secretariat)
    services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.PROPOSAL, proposal=proposal)
    return services.publish_agenda(meeting, by=secretariat)


def test_published_agenda_invites_members_and_presenting_agencies_with_ics(
    committee, proposal_in_state, secretariat, member, lead_liaison, other_liaison
):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    meeting = _published_meeting(committee, secretariat, proposal)
    assert recipients("agenda_published") == ["liaison-msit", "member-1"]
    email = OutboundEmail.objects.filter(kind="agenda_published").first()
    content_type, calendar = invitation_of(email)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST" and content_type == "text/calendar; charset=utf-8; method=REQUEST"
    assert str(event["UID"]) == meeting.invitation_uid
    assert int(event["SEQUENCE"]) == meeting.invitation_sequence
    assert event["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)  # iCalendar keeps seconds


def test_agenda_change_updates_the_same_invitation_and_cancel_cancels_it(
    committee, proposal_in_state, secretariat, member
):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    meeting = _published_meeting(committee, secretariat, proposal)
    services.update_meeting(meeting, by=secretariat, changes={"location": "Sejong"})
    services.cancel_meeting(meeting, by=secretariat, reason="No quorum expected")
    events = {}
    for kind in ("agenda_published", "agenda_changed", "meeting_cancelled"):
        email = OutboundEmail.objects.get(kind=kind, to_address=member.email)
        content_type, calendar = invitation_of(email)
        assert content_type.endswith(f"method={calendar['METHOD']}")
        events[kind] = (calendar["METHOD"], calendar.walk("VEVENT")[0])
    uids = {str(event["UID"]) for _method, event in events.values()}
    assert uids == {meeting.invitation_uid}
    sequences = [
        int(events[kind][1]["SEQUENCE"]) for kind in ("agenda_published", "agenda_changed", "meeting_cancelled")
    ]
    assert sequences == sorted(sequences) and len(set(sequences)) == 3
    assert events["meeting_cancelled"][0] == "CANCEL"
    assert events["meeting_cancelled"][1]["STATUS"] == "CANCELLED"


def test_decision_and_follow_up_reach_members_agencies_and_secretariat(
    committee, proposal_in_state, secretariat, member, lead_liaison, other_liaison, mohw
):
    proposal = proposal_in_state(ProposalState.DECIDED)
    decision = Decision.objects.get(agenda_item__proposal=proposal)
    assert "member-1" in recipients("decision_recorded") and "liaison-msit" in recipients("decision_recorded")
    action = services.assign_follow_up_action(
        decision, by=secretariat, agency=mohw, title="Draft the regulation", due_date=timezone.localdate()
    )
    assert recipients("action_assigned") == ["liaison-mohw"]
    services.report_progress(action, by=other_liaison, text="Half done", percent_complete=50)
    assert recipients("progress_reported") == ["secretariat"]


def test_a_rolled_back_event_writes_and_sends_nothing(
    draft, lead_liaison, secretariat, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.submit_proposal(draft, by=lead_liaison)
        raise RuntimeError("something later in the request failed")
    assert callbacks == []
    assert not Notification.objects.exists() and not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_running_a_hook_twice_adds_nothing(draft, lead_liaison, secretariat):
    from policies import notifications

    services.submit_proposal(draft, by=lead_liaison)
    event = draft.events.get(action="submit")
    draft.refresh_from_db()
    notifications.proposal_transitioned(draft, event)
    assert Notification.objects.count() == OutboundEmail.objects.count() == 1


def test_an_agenda_for_many_members_takes_no_more_queries_than_for_few(committee, proposal_in_state, secretariat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from policies import notifications

    proposal = proposal_in_state(ProposalState.ACCEPTED)
    meeting = _published_meeting(committee, secretariat, proposal)
    cast.make_member(committee, "member-a")
    meeting.invitation_sequence += 1  # as the services do before calling the hook
    with CaptureQueriesContext(connection) as few:
        notifications.agenda_changed(meeting)
    for n in range(8):
        cast.make_member(committee, f"member-many-{n}")
    meeting.invitation_sequence += 1
    with CaptureQueriesContext(connection) as many:
        notifications.agenda_changed(meeting)
    assert Notification.objects.filter(kind="agenda_changed").count() == 2 + 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_person_without_an_address_is_notified_in_app_only(draft, lead_liaison, secretariat):
    secretariat.email = ""
    secretariat.save()
    services.submit_proposal(draft, by=lead_liaison)
    assert recipients("proposal_submitted") == ["secretariat"]
    assert not OutboundEmail.objects.exists()


def test_inactive_people_hear_nothing(draft, lead_liaison, secretariat):
    secretariat.is_active = False
    secretariat.save()
    services.submit_proposal(draft, by=lead_liaison)
    assert not Notification.objects.exists()


def test_the_invitation_travels_as_a_text_calendar_part_with_its_method(
    committee, proposal_in_state, secretariat, member
):
    import email as email_lib

    from committee.outbox.delivery import build_message

    proposal = proposal_in_state(ProposalState.ACCEPTED)
    _published_meeting(committee, secretariat, proposal)
    stored = OutboundEmail.objects.get(kind="agenda_published", to_address=member.email)
    message = email_lib.message_from_bytes(build_message(stored).message().as_bytes())
    (calendar_part,) = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_filename() == "invitation.ics"
    assert b"BEGIN:VCALENDAR" in calendar_part.get_payload(decode=True)


def test_beat_schedule_rows_name_registered_tasks():
    from django_celery_beat.models import PeriodicTask

    from committee.celery import app

    app.loader.import_default_modules()
    rows = {row.task: row for row in PeriodicTask.objects.filter(enabled=True)}
    assert {
        "committee.outbox.tasks.sweep_outbox",
        "policies.tasks.send_reminders",
        "policies.tasks.send_digests",
        "policies.tasks.sweep_pending_uploads",
    } <= set(rows)
    assert set(rows) <= set(app.tasks)
    sweeper = rows["committee.outbox.tasks.sweep_outbox"].interval
    assert (sweeper.every, sweeper.period) == (1, "minutes")


def test_an_agency_whose_item_was_taken_off_still_hears_of_changes_and_the_cancellation(
    committee, proposal_in_state, secretariat, member, lead_liaison
):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    meeting = _published_meeting(committee, secretariat, proposal)
    services.remove_agenda_item(meeting.items.get(), by=secretariat)
    services.cancel_meeting(meeting, by=secretariat)
    assert recipients("agenda_changed") == ["liaison-msit", "member-1"]
    assert recipients("meeting_cancelled") == ["liaison-msit", "member-1"]
