"""Working-day arithmetic for every start date and every count the services allow (1 to 120).

The expectations are reckoned here from the `holidays` package's Korean calendar and the weekday, one day at a
time, not with `policies.workdays`' own helpers.
"""

import datetime

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from committee.dates import add_working_days, is_working_day

FIRST, LAST = datetime.date(2020, 1, 1), datetime.date(2035, 12, 31)
# Every year a 120-working-day count can reach from LAST, so the calendar never runs out under the property.
KOREAN_HOLIDAYS = holidays.country_holidays("KR", years=range(FIRST.year, LAST.year + 2))

starts = st.dates(min_value=FIRST, max_value=LAST)
counts = st.integers(min_value=1, max_value=120)


def working(day: datetime.date) -> bool:
    return day.weekday() not in (5, 6) and day not in KOREAN_HOLIDAYS


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]: counting back from the result to the start."""
    return sum(working(start + datetime.timedelta(days=n)) for n in range(1, (end - start).days + 1))


@given(starts, counts)
def test_counting_back_from_the_result_gives_the_number_added(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days


@given(starts, counts)
def test_the_result_is_never_a_weekend_nor_a_korean_holiday(start, days):
    result = add_working_days(start, days)
    assert result.weekday() < 5, result
    assert result not in KOREAN_HOLIDAYS, (result, KOREAN_HOLIDAYS.get(result))


@given(starts, st.integers(min_value=1, max_value=119))
def test_one_more_working_day_is_the_next_working_day_after(start, days):
    earlier, later = add_working_days(start, days), add_working_days(start, days + 1)
    assert earlier < later
    assert all(not working(earlier + datetime.timedelta(days=n)) for n in range(1, (later - earlier).days))


@given(starts, counts)
def test_the_start_itself_never_counts(start, days):
    # Starting on the working day before is the same as starting one working day later with one day fewer.
    if days > 1:
        assert add_working_days(start, days) == add_working_days(add_working_days(start, 1), days - 1)
    assert add_working_days(start, days) > start


@given(st.dates(min_value=FIRST, max_value=LAST))
def test_is_working_day_agrees_with_the_calendar(day):
    assert is_working_day(day) == working(day)


@given(starts, st.integers(max_value=0))
def test_zero_or_fewer_days_are_refused(start, days):
    with pytest.raises(ValueError):
        add_working_days(start, days)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Seollal 2026 (16-18 February) and the weekend before it.
        (datetime.date(2026, 2, 13), 1, datetime.date(2026, 2, 19)),
        # Chuseok 2028 (2-4 October) falls on National Foundation Day: a substitute holiday on the 5th.
        (datetime.date(2028, 9, 29), 1, datetime.date(2028, 10, 6)),
        # 29 February 2028 is a Tuesday and an ordinary working day; 1 March is Independence Movement Day.
        (datetime.date(2028, 2, 28), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2028, 2, 29), 1, datetime.date(2028, 3, 2)),
        # New Year's Day 2027 is a Friday.
        (datetime.date(2026, 12, 31), 1, datetime.date(2027, 1, 4)),
    ],
)
def test_known_stretches_of_the_korean_calendar(start, days, expected):
    assert add_working_days(start, days) == expected
