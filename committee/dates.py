"""Dates as the committee counts them: today in Seoul, and Korean working days.

Weekends and public holidays (with substitute holidays) are not working days; the `holidays` package keeps
the Korean calendar, lunar dates included.
"""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone


def seoul_today() -> datetime.date:
    """Today's date in the committee's time zone (Asia/Seoul, settings.TIME_ZONE)."""
    return timezone.localdate()


@lru_cache(maxsize=32)
def _korean_holidays(year: int) -> frozenset[datetime.date]:
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
