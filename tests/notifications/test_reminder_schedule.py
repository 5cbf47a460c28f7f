"""The reminder sweep's schedule (`next_reminder_on`): a run reads only the consultations and actions whose next
stage has begun and moves each one to the day its following stage begins; the verbs that create, re-date, end or
reopen them set the day. The stages and keys themselves are tested in test_reminders.py."""

import datetime
import re
from collections import Counter
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from committee.audit.models import AuditEntry
from committee.outbox.models import OutboundEmail
from policies import reminders, services, tasks
from policies.models import Consultation, Decision, ProposalState

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
DAY = datetime.timedelta(days=1)
SCHEDULED = ("policies_consultation", "policies_followupaction")


def at(day: datetime.date, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SEOUL)


def run_on(day, hour=9):
    with time_machine.travel(at(day, hour), tick=False):
        return tasks.send_reminders()


def rows_read_on(day) -> Counter:
    """How many consultation and action rows a run's SELECTs return, by table (the first table of each FROM)."""
    read = Counter()

    def count_rows(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        table = re.match(r'\s*SELECT .*? FROM "(\w+)"', sql, re.DOTALL)
        if table and table.group(1) in SCHEDULED:
            read[table.group(1)] += context["cursor"].rowcount
        return result

    with connection.execute_wrapper(count_rows):
        run_on(day)
    return read


def stages_sent(kind):
    keys = OutboundEmail.objects.filter(kind=kind).order_by("id").values_list("dedup_key", flat=True)
    return [(key.split(":")[3], key.split(":")[4]) for key in keys]  # (deadline or due date, stage)


def day_of(obj):
    return type(obj).objects.values_list("next_reminder_on", flat=True).get(pk=obj.pk)


@pytest.fixture
def consultation(proposal_in_state, secretariat, mohw, other_liaison):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    deadline = timezone.localdate() + 5 * DAY
    (consultation,) = services.request_consultations(proposal, by=secretariat, agencies=[mohw], deadline=deadline)
    return consultation


@pytest.fixture
def action(proposal_in_state, secretariat, mohw, other_liaison):
    decision = Decision.objects.get(agenda_item__proposal=proposal_in_state(ProposalState.DECIDED))
    due = timezone.localdate() + 10 * DAY
    return services.assign_follow_up_action(decision, by=secretariat, agency=mohw, title="Draft rules", due_date=due)


# --- the rule: the next day is where the stage changes ---------------------------------------------


@pytest.mark.parametrize(
    "stage, first, following",
    [
        (
            lambda deadline, day: reminders.consultation_stage(SimpleNamespace(deadline=deadline), day),
            reminders.first_consultation_reminder,
            reminders.next_consultation_reminder,
        ),
        (
            lambda due, day: reminders.action_stage(SimpleNamespace(due_date=due), day),
            reminders.first_action_reminder,
            reminders.next_action_reminder,
        ),
    ],
    ids=["consultation", "action"],
)
def test_the_next_reminder_day_is_the_first_day_whose_stage_differs(stage, first, following):
    deadline = datetime.date(2027, 3, 15)
    assert stage(deadline, first(deadline)) is not None and stage(deadline, first(deadline) - DAY) is None
    for offset in range(-12, 60):
        today = deadline + offset * DAY
        later = following(deadline, today)
        horizon = later if later is not None else today + 100 * DAY
        days = [today + n * DAY for n in range((horizon - today).days)]
        assert {stage(deadline, day) for day in days} == {stage(deadline, today)}, today
        if later is not None:
            assert stage(deadline, later) != stage(deadline, today), today


# --- the verbs set the day --------------------------------------------------------------------------


def test_new_consultations_and_actions_start_at_their_first_stage(consultation, action):
    assert day_of(consultation) == consultation.deadline - 3 * DAY
    assert day_of(action) == action.due_date - 7 * DAY


def test_extending_a_deadline_rearms_the_reminders_after_the_last_one_was_sent(consultation, secretariat):
    overdue_day = consultation.deadline + DAY
    assert run_on(overdue_day) == 1  # the overdue reminder; no stage is left
    assert day_of(consultation) is None
    with time_machine.travel(at(overdue_day), tick=False):
        services.extend_consultation(consultation, by=secretariat, deadline=overdue_day + 5 * DAY)
    assert run_on(overdue_day + 2 * DAY) == 1  # three days before the new deadline
    first, extended = consultation.deadline.isoformat(), (overdue_day + 5 * DAY).isoformat()
    assert stages_sent("reminder_consultation") == [(first, "overdue"), (extended, "d3")]


def test_a_reopened_action_is_reminded_again(action, secretariat, other_liaison):
    services.report_progress(action, by=other_liaison, text="Done", percent_complete=100, reports_done=True)
    assert day_of(action) is None
    overdue_day = action.due_date + DAY
    assert run_on(overdue_day) == 0
    with time_machine.travel(at(overdue_day), tick=False):
        services.reopen_action(action, by=secretariat, comment="The rules are not published yet.")
    assert run_on(overdue_day, 15) == 1
    assert stages_sent("reminder_action") == [(action.due_date.isoformat(), "overdue-w0")]


@pytest.mark.parametrize("verb", ["give_opinion", "close_consultation", "withdraw_consultation"])
def test_an_answered_or_ended_consultation_keeps_no_reminder_day(consultation, secretariat, other_liaison, verb):
    if verb == "give_opinion":
        services.give_opinion(consultation, by=other_liaison, position="concur", opinion="")
    else:
        getattr(services, verb)(consultation, by=secretariat)
    assert day_of(consultation) is None


def test_the_reminder_day_stays_out_of_the_audit_log(consultation, secretariat):
    """It follows from the deadline, which the entry shows."""
    services.extend_consultation(consultation, by=secretariat, deadline=consultation.deadline + DAY)
    entry = AuditEntry.objects.get(action="consultation.extended")
    assert "deadline" in entry.changes and "next_reminder_on" not in entry.changes


# --- the sweep reads only what is due, and moves it on ---------------------------------------------


def test_a_row_whose_reminder_day_has_not_come_is_not_read(consultation):
    today = consultation.deadline - DAY  # the consultation's d1 stage by its deadline
    Consultation.objects.filter(pk=consultation.pk).update(next_reminder_on=today + DAY)
    assert rows_read_on(today) == Counter()
    assert stages_sent("reminder_consultation") == []
    Consultation.objects.filter(pk=consultation.pk).update(next_reminder_on=today)
    assert run_on(today) == 1


def test_a_second_run_with_nothing_new_reads_no_consultation_or_action(
    consultation, action, proposal_in_state, secretariat, mohw, lead_liaison
):
    withdrawn = proposal_in_state(ProposalState.UNDER_REVIEW, title="Withdrawn later")
    (no_longer_wanted,) = services.request_consultations(
        withdrawn, by=secretariat, agencies=[mohw], deadline=consultation.deadline
    )
    services.withdraw_proposal(withdrawn, by=lead_liaison)
    day = action.due_date - 7 * DAY  # the action's d7 and, two days before their deadline, the consultations' d3
    assert rows_read_on(day)["policies_consultation"] >= 2
    assert stages_sent("reminder_consultation") == [(consultation.deadline.isoformat(), "d3")]
    assert day_of(consultation) == consultation.deadline - DAY and day_of(no_longer_wanted) is None
    assert day_of(action) == action.due_date - DAY
    assert rows_read_on(day) == Counter()
    assert run_on(day, 18) == 0
