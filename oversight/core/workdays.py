"""UK working days: weekends and the bank holidays of the agency's nation (the `holidays`
package). Seed 001 standard 6: decisions on the child's file within two working days; record
sign-off deadlines are counted in working days too."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.utils import timezone

# The `holidays` package names the UK's nations by subdivision code.
_SUBDIVISIONS = {"ENG": "ENG", "WLS": "WLS", "SCT": "SCT", "NIR": "NIR"}


@lru_cache(maxsize=64)
def _bank_holidays(nation: str, year: int) -> frozenset[dt.date]:
    calendar = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS.get(nation, "ENG"), years=year)
    return frozenset(calendar.keys())


def warm_up() -> None:
    """Load the bank-holiday calendars before the first request: the ``holidays`` package
    imports its countries on first use, about 0.1 s, which a web worker's first page that
    counts working days would otherwise pay (oversight.wsgi)."""
    year = timezone.localdate().year
    for nation in _SUBDIVISIONS:
        _bank_holidays(nation, year)


def is_working_day(day: dt.date, nation: str = "ENG") -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(nation, day.year)


@lru_cache(maxsize=8192)  # many decisions and records share a day
def add_working_days(start: dt.date, days: int, nation: str = "ENG") -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count).

    A decision made on Christmas Eve 2026 (a Thursday) is due on Wednesday 30 December: the
    25th and the 28th (Boxing Day's substitute) are bank holidays in England and the 26th–27th
    a weekend, so the 29th and 30th are the two working days.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, nation):
            remaining -= 1
    return day


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the partnership's time zone: "on or after a day" as
    a timestamp range, which an index on a timestamp can serve (a ``::date`` cast cannot)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


WORKING_DAY_OPENS = dt.time(9)
WORKING_DAY_CLOSES = dt.time(17)


def add_working_hours(start: dt.datetime, hours: float, nation: str = "ENG") -> dt.datetime:
    """The moment ``hours`` working hours (09:00 to 17:00 local, on working days) after
    ``start``: an urgent request made at 16:00 on a Friday with four hours to answer is due
    at 12:00 on Monday (issue 11 item 3)."""
    left = dt.timedelta(hours=hours)
    moment = timezone.localtime(start)
    while True:
        day = moment.date()
        opens = timezone.make_aware(dt.datetime.combine(day, WORKING_DAY_OPENS))
        closes = timezone.make_aware(dt.datetime.combine(day, WORKING_DAY_CLOSES))
        if is_working_day(day, nation) and moment < closes:
            moment = max(moment, opens)
            if moment + left <= closes:
                return moment + left
            left -= closes - moment
        moment = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
