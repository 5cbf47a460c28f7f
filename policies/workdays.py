"""Korean working days: weekends and public holidays (with substitute holidays) excluded."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _korean_holidays(year: int) -> frozenset[datetime.date]:
    # The `holidays` package maintains the Korean calendar, lunar dates and substitute holidays included.
    return frozenset(holidays.country_holidays("KR", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _korean_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself does not count)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    current = start
    remaining = days
    while remaining:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
