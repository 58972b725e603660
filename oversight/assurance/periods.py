"""Calendar periods the assurance figures use: quarters, evaluation rounds and months."""

from __future__ import annotations

import calendar
import datetime as dt


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def round_bounds(day: dt.date, interval_months: int) -> tuple[dt.date, dt.date]:
    """The evaluation round holding ``day``: rounds of ``interval_months`` aligned to January."""
    index = (day.year * 12 + day.month - 1) // interval_months * interval_months
    opens = dt.date(index // 12, index % 12 + 1, 1)
    closes = add_months(opens, interval_months) - dt.timedelta(days=1)
    return opens, closes


def month_ends(last: dt.date, count: int = 12) -> list[dt.date]:
    """The ends of ``count`` months up to the month holding ``last`` (``last`` itself for the
    current month), oldest first."""
    ends = [month_end(add_months(month_start(last), -n)) for n in range(count - 1, -1, -1)]
    ends[-1] = min(ends[-1], last)
    return ends
