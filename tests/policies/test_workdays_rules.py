"""Korean working days: weekends and public holidays (substitutes included) never count, the start day never counts."""

import datetime

import pytest

from committee.dates import add_working_days, is_working_day

D = datetime.date


@pytest.mark.parametrize("day", [D(2025, 11, 17), D(2025, 11, 19), D(2025, 11, 21)])  # Monday, Wednesday, Friday
def test_an_ordinary_weekday_is_a_working_day(day):
    assert is_working_day(day)


@pytest.mark.parametrize("day", [D(2025, 11, 22), D(2025, 11, 23)])  # Saturday, Sunday
def test_saturday_and_sunday_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2025, 10, 3),  # National Foundation Day, a Friday
        D(2025, 10, 8),  # substitute holiday for Chuseok, a Wednesday
        D(2025, 3, 3),  # substitute holiday for Independence Movement Day, which fell on a Saturday
    ],
)
def test_public_and_substitute_holidays_are_not_working_days(day):
    assert not is_working_day(day)


def test_one_working_day_after_a_friday_is_the_monday():
    assert add_working_days(D(2025, 11, 21), 1) == D(2025, 11, 24)


def test_the_start_day_itself_does_not_count():
    assert add_working_days(D(2025, 11, 17), 1) == D(2025, 11, 18)


@pytest.mark.parametrize(("days", "expected"), [(1, D(2025, 10, 10)), (2, D(2025, 10, 13))])
def test_working_days_skip_the_chuseok_holidays(days, expected):
    # Thursday 2 October 2025: then National Foundation Day, a weekend, Chuseok, its substitute and Hangul Day.
    assert add_working_days(D(2025, 10, 2), days) == expected


def test_counting_from_a_holiday_starts_at_the_next_working_day():
    assert add_working_days(D(2025, 10, 3), 1) == D(2025, 10, 10)


@pytest.mark.parametrize(("days", "expected"), [(5, D(2025, 11, 24)), (10, D(2025, 12, 1))])
def test_every_working_day_counts_exactly_once(days, expected):
    assert add_working_days(D(2025, 11, 17), days) == expected


@pytest.mark.parametrize("days", [0, -1])
def test_fewer_than_one_working_day_is_refused(days):
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(D(2025, 11, 17), days)
