"""Reminders for members who have not opened minutes in review: staged like consultations (3 and 1 days before
the deadline, once overdue), each stage once, a missed run catching up with today's stage only, never on the day
the minutes went out, and never to a member who has opened them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from committee.outbox.models import OutboundEmail
from policies import services, tasks
from policies.models import Minutes
from tests import cast

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
N = Minutes.Status


def run_on(day, hour=9):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=SEOUL), tick=False):
        return tasks.send_reminders()


def sent():
    keys = OutboundEmail.objects.filter(kind="reminder_minutes").order_by("id").values_list("dedup_key", "to_address")
    return [(key.split(":")[4], to) for key, to in keys]


@pytest.fixture
def in_review(minutes_in_state, committee):
    second = cast.make_member(committee, "member-two")
    minutes, _item = minutes_in_state(N.IN_REVIEW)
    return minutes, second


def test_each_stage_once_to_members_who_have_not_opened_the_minutes(in_review, client, member):
    minutes, second = in_review
    deadline = minutes.review_deadline
    client.force_login(member)
    assert client.get(f"/meetings/{minutes.meeting_id}/minutes/").status_code == 200  # the member looks at them
    for day, count in {
        deadline - datetime.timedelta(days=3): 1,  # d3, to the member who has not opened them
        deadline - datetime.timedelta(days=2): 0,
        deadline - datetime.timedelta(days=1): 1,  # d1
        deadline: 0,
        deadline + datetime.timedelta(days=1): 1,  # overdue, once
        deadline + datetime.timedelta(days=9): 0,
    }.items():
        assert run_on(day) == count, day
        assert run_on(day, 15) == 0, "running again the same day sends nothing"
    assert sent() == [(stage, second.email) for stage in ("d3", "d1", "overdue")]


def test_a_missed_run_catches_up_with_todays_stage_and_skips_the_earlier_ones(in_review):
    minutes, second = in_review
    deadline = minutes.review_deadline
    assert run_on(deadline - datetime.timedelta(days=1)) == 2  # both members, d1 only
    assert run_on(deadline - datetime.timedelta(days=1), 18) == 0
    assert {stage for stage, _to in sent()} == {"d1"}


def test_no_reminder_on_the_day_of_sending_nor_once_final(in_review, secretariat):
    minutes, _second = in_review
    minutes.review_deadline = minutes.sent_for_review_at.date() + datetime.timedelta(days=1)
    Minutes.objects.filter(pk=minutes.pk).update(review_deadline=minutes.review_deadline)
    assert tasks.send_reminders() == 0  # today: the members have just been asked
    services.finalise_minutes(minutes, by=secretariat)
    assert run_on(minutes.review_deadline) == 0
    assert sent() == []
