"""The reporting period every assurance figure is read over: shared by the tables and the
views that pick the dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..periods import add_months


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def default_period(today: dt.date) -> Period:
    return Period(add_months(today, -3) + dt.timedelta(days=1), today)
