"""Digest windows are half-open, [start, end): consecutive ones meet exactly, never overlapping nor leaving a gap.

A subscriber's daily digest runs at generated instants (some exactly one day apart, some too early to be due);
proposals are submitted at generated instants, many of them exactly on a window's edge. Every submission
before the last digest must be in exactly one digest: the one whose window holds it, where an event at a
window's end belongs to the next window and one at its start to this one.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from committee.outbox.models import OutboundEmail
from policies import digests, services
from policies.models import DigestPreference
from tests import cast
from tests.properties import database_examples, rolled_back

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
FIRST_START = datetime.datetime(2027, 3, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Seoul"))
PROBE = re.compile(r"Window probe (\d{3})\.")

# Gaps between digest runs, in minutes: exactly one day (the earliest a daily digest is due), later ones,
# and early runs that are not due yet and must neither send nor move the window.
gaps = st.sampled_from([24 * 60, 24 * 60, 24 * 60 + 1, 24 * 60 + 37, 2 * 24 * 60, 24 * 60 - 1, 5 * 60])


@st.composite
def timelines(draw):
    runs, at = [], FIRST_START
    for gap in draw(st.lists(gaps, min_size=1, max_size=5)):
        at += datetime.timedelta(minutes=gap)
        runs.append(at)
    horizon = int((runs[-1] - FIRST_START).total_seconds() // 60) + 60
    edges = st.sampled_from([FIRST_START, *runs])
    inside = st.integers(min_value=0, max_value=horizon).map(lambda m: FIRST_START + datetime.timedelta(minutes=m))
    events = draw(st.lists(edges | inside, min_size=1, max_size=8))
    return runs, sorted(events)


def windows_of(runs):
    """The windows the rule gives: from the last sent digest's end to the first run at least a day later."""
    windows, start = [], FIRST_START
    for run in runs:
        if run - start >= DAY:
            windows.append((start, run))
            start = run
    return windows


@database_examples(max_examples=20)
@given(timelines())
def test_each_event_before_the_last_digest_is_in_exactly_the_digest_whose_half_open_window_holds_it(
    committee, lead_liaison, secretariat, health, timeline
):
    runs, events = timeline

    def run():
        drafts = [
            cast.make_proposal(committee, lead_liaison, health, title=f"Window probe {n:03d}.")
            for n in range(len(events))
        ]
        preference = DigestPreference.objects.create(
            user=secretariat, frequency=DigestPreference.Frequency.DAILY, period_start=FIRST_START
        )
        seen, starts = {}, []  # probe number -> the run whose digest listed it; window starts after each run
        pending = list(enumerate(events))
        for at in runs:
            while pending and pending[0][1] <= at:  # submitted before (or at the very instant of) this run
                number, moment = pending.pop(0)
                with time_machine.travel(moment, tick=False):
                    services.submit_proposal(drafts[number], by=lead_liaison)
            before = set(OutboundEmail.objects.filter(kind="digest").values_list("pk", flat=True))
            with time_machine.travel(at, tick=False):
                digests.send_digests(now=at)
            for email in OutboundEmail.objects.filter(kind="digest", to_address=secretariat.email).exclude(
                pk__in=before
            ):
                for number in map(int, PROBE.findall(email.body_text)):
                    assert number not in seen, f"probe {number} in two digests: windows overlap"
                    seen[number] = at
            preference.refresh_from_db()
            starts.append(preference.period_start)

        windows = windows_of(runs)
        expected = {
            number: end for number, moment in enumerate(events) for start, end in windows if start <= moment < end
        }
        assert seen == expected
        # The window moves to the end of the one just sent, exactly, and not at all when nothing was due.
        ends = iter(end for _start, end in windows)
        start = FIRST_START
        for at, moved_to in zip(runs, starts, strict=True):
            if at - start >= DAY:
                start = next(ends)
            assert moved_to == start

    rolled_back(run)
