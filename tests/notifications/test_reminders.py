"""Deadline reminders by time travel: every stage once, the switch to overdue, weekly repeats, nothing twice."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from committee.outbox.models import OutboundEmail
from policies import services, tasks
from policies.models import AgendaItem, Decision, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def at(day: datetime.date, hour=9):
    """A moment on a Seoul calendar day (reminders reckon days in Asia/Seoul)."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SEOUL)


def reminders(kind):
    return list(
        OutboundEmail.objects.filter(kind=kind).order_by("id").values_list("dedup_key", "to_address", "subject")
    )


def run_on(day, hour=9):
    with time_machine.travel(at(day, hour), tick=False):
        return tasks.send_reminders()


@pytest.fixture
def consultation(proposal_in_state, secretariat, mohw, other_liaison):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    (consultation,) = services.request_consultations(proposal, by=secretariat, agencies=[mohw], deadline=deadline)
    return consultation


def test_consultation_reminders_three_days_one_day_and_overdue_each_once(consultation):
    deadline = consultation.deadline
    expected = {
        deadline - datetime.timedelta(days=5): 0,
        deadline - datetime.timedelta(days=4): 0,
        deadline - datetime.timedelta(days=3): 1,  # d3
        deadline - datetime.timedelta(days=2): 0,
        deadline - datetime.timedelta(days=1): 1,  # d1
        deadline: 0,  # still open until the end of the day; d1 was sent
        deadline + datetime.timedelta(days=1): 1,  # overdue
        deadline + datetime.timedelta(days=2): 0,
        deadline + datetime.timedelta(days=30): 0,
    }
    for day, count in expected.items():
        assert run_on(day) == count, day
    stages = [key.split(":")[4] for key, _to, _subject in reminders("reminder_consultation")]
    assert stages == ["d3", "d1", "overdue"]
    assert {to for _key, to, _subject in reminders("reminder_consultation")} == {"liaison-mohw@example.go.kr"}
    assert "Overdue" in reminders("reminder_consultation")[-1][2]


def test_seoul_day_decides_the_stage_not_utc(consultation):
    # 23:30 UTC on D-4 is already 08:30 on D-3 in Seoul.
    moment = datetime.datetime.combine(
        consultation.deadline - datetime.timedelta(days=4), datetime.time(23, 30), tzinfo=datetime.UTC
    )
    with time_machine.travel(moment, tick=False):
        assert tasks.send_reminders() == 1


def test_running_the_reminder_task_twice_sends_each_stage_once(consultation):
    day = consultation.deadline - datetime.timedelta(days=1)
    assert run_on(day, 9) == 1
    assert run_on(day, 9) == 0
    assert run_on(day, 10) == 0
    assert len(reminders("reminder_consultation")) == 1


def test_an_answered_consultation_is_not_reminded(consultation, other_liaison):
    services.give_opinion(consultation, by=other_liaison, position="concur", opinion="")
    for offset in (-3, -1, 1):
        assert run_on(consultation.deadline + datetime.timedelta(days=offset)) == 0


def test_a_late_deadline_gets_only_the_most_urgent_stage(proposal_in_state, secretariat, mohw, other_liaison):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.request_consultations(proposal, by=secretariat, agencies=[mohw], deadline=tomorrow)
    assert run_on(timezone.localdate()) == 1
    assert [key.split(":")[4] for key, *_ in reminders("reminder_consultation")] == ["d1"]


def decide(proposal, committee, secretariat):
    services.accept_proposal(proposal, by=secretariat, open_consultations="keep")
    meeting = cast.make_meeting(committee, secretariat, days_ahead=-1)
    item = services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.PROPOSAL, proposal=proposal)
    services.publish_agenda(meeting, by=secretariat)
    cast.attend_all(meeting, secretariat)
    services.record_decision(item, by=secretariat, outcome="adopted", resolution="Adopted.")


def test_consultations_on_withdrawn_or_decided_proposals_are_never_reminded(
    committee, proposal_in_state, secretariat, lead_liaison, member, mohw, other_liaison
):
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    consulted = {}
    for title in ("Still open", "Withdrawn", "Decided"):
        proposal = proposal_in_state(ProposalState.UNDER_REVIEW, title=title)
        (consulted[title],) = services.request_consultations(
            proposal, by=secretariat, agencies=[mohw], deadline=deadline
        )
    services.withdraw_proposal(consulted["Withdrawn"].proposal, by=lead_liaison)
    decide(consulted["Decided"].proposal, committee, secretariat)
    for offset in (-3, -1, 1):  # d3, d1 and overdue: each stage reaches the open one only
        assert run_on(deadline + datetime.timedelta(days=offset)) == 1, offset
    reminded = {int(key.split(":")[2]) for key, _to, _subject in reminders("reminder_consultation")}
    assert reminded == {consulted["Still open"].pk}


@pytest.fixture
def action(proposal_in_state, secretariat, mohw, other_liaison):
    proposal = proposal_in_state(ProposalState.DECIDED)
    decision = Decision.objects.get(agenda_item__proposal=proposal)
    due = timezone.localdate() + datetime.timedelta(days=10)
    return services.assign_follow_up_action(decision, by=secretariat, agency=mohw, title="Draft rules", due_date=due)


def test_action_reminders_seven_and_one_day_before_then_overdue_weekly(action):
    due = action.due_date
    expected = {
        -8: 0,
        -7: 1,  # d7
        -3: 0,
        -1: 1,  # d1
        0: 0,
        1: 1,  # first overdue day
        2: 0,
        7: 0,
        8: 1,  # a week later
        14: 0,
        15: 1,  # and again
        16: 0,
    }
    for offset, count in expected.items():
        assert run_on(due + datetime.timedelta(days=offset)) == count, offset
    stages = [key.split(":")[4] for key, *_ in reminders("reminder_action")]
    assert stages == ["d7", "d1", "overdue-w0", "overdue-w1", "overdue-w2"]


def test_a_done_action_is_not_reminded_even_when_past_due(action, other_liaison):
    services.report_progress(action, by=other_liaison, text="Done", percent_complete=100, reports_done=True)
    for offset in (-7, -1, 1, 8):
        assert run_on(action.due_date + datetime.timedelta(days=offset)) == 0


def test_agenda_cutoff_reminds_member_agencies_without_items_once(
    committee, secretariat, lead_liaison, other_liaison, proposal_in_state
):
    now = timezone.now()
    meeting = cast.make_meeting(
        committee, secretariat, days_ahead=12, submission_cutoff=now + datetime.timedelta(days=6)
    )
    later = cast.make_meeting(
        committee, secretariat, days_ahead=40, title="2nd", submission_cutoff=now + datetime.timedelta(days=30)
    )
    proposal = proposal_in_state(ProposalState.ACCEPTED)  # MSIT's: already on the agenda
    services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.PROPOSAL, proposal=proposal)
    cutoff_day = timezone.localdate(meeting.submission_cutoff)
    assert run_on(cutoff_day - datetime.timedelta(days=5)) == 0
    assert run_on(cutoff_day - datetime.timedelta(days=4)) == 0  # three days before, not four
    assert run_on(cutoff_day - datetime.timedelta(days=3)) == 1
    assert run_on(cutoff_day - datetime.timedelta(days=1)) == 0
    (key, to, _subject) = reminders("reminder_cutoff")[0]
    assert to == "liaison-mohw@example.go.kr" and f":{meeting.pk}:" in key and f":{later.pk}:" not in key


def test_once_the_cutoff_letters_are_out_a_run_loads_nobody_and_a_new_liaison_still_gets_one(
    committee, secretariat, lead_liaison, other_liaison, mohw
):
    meeting = cast.make_meeting(
        committee, secretariat, days_ahead=12, submission_cutoff=timezone.now() + datetime.timedelta(days=6)
    )
    day = timezone.localdate(meeting.submission_cutoff) - datetime.timedelta(days=3)
    assert run_on(day) == 2  # MSIT's and MOHW's liaisons
    people_loaded = []

    def watch(execute, sql, params, many, context):
        if '"auth_user"."password"' in sql:  # whole users, as audiences and scopes need them
            people_loaded.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        assert run_on(day, 18) == 0
    assert people_loaded == []
    newcomer = cast.make_liaison(mohw, "liaison-mohw-2")
    assert run_on(day, 19) == 1
    (key, to, _subject) = reminders("reminder_cutoff")[-1]
    assert to == newcomer.email and key.endswith(f":{newcomer.pk}")


def letter_of(kind):
    email = OutboundEmail.objects.filter(kind=kind).order_by("-id").first()
    return email.subject, email.body_text


def test_an_overdue_action_letter_says_so_and_counts_the_days(action):
    run_on(action.due_date + datetime.timedelta(days=1))
    subject, body = letter_of("reminder_action")
    assert subject.startswith("Overdue follow-up action") and "is 1 day overdue" in body
    run_on(action.due_date + datetime.timedelta(days=8))
    subject, body = letter_of("reminder_action")
    assert subject.startswith("Overdue follow-up action") and "is 8 days overdue" in body


def test_an_action_is_not_called_overdue_on_its_due_day_or_before(proposal_in_state, secretariat, mohw, other_liaison):
    decision = Decision.objects.get(agenda_item__proposal=proposal_in_state(ProposalState.DECIDED))
    today = timezone.localdate()
    services.assign_follow_up_action(decision, by=secretariat, agency=mohw, title="Due today", due_date=today)
    assert run_on(today) == 1  # assigned on its due day: the last reminder before it, on the day itself
    subject, body = letter_of("reminder_action")
    assert "Overdue" not in subject and "overdue" not in body
