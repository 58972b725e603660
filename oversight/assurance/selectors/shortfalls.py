"""Workload and resource shortfalls reported to the agency's senior managers, counted by kind
and by time to answer (seed 004 "Line management"; issue 15 item 3). The counts are about the
service, not about people, and the agency's lead already reads each report by name, so they
are shown in full on the agency's dashboard (decision 0020); the partnership does not see
them."""

from __future__ import annotations

import datetime as dt
from statistics import median
from typing import Any

from django.utils import timezone

from oversight.people.models import Agency
from oversight.supervision.models import ServiceShortfall, ShortfallKind

from ..tables import Table
from .period import Period


def _days(raised: dt.datetime, answered: dt.datetime) -> int:
    return (timezone.localdate(answered) - timezone.localdate(raised)).days


def shortfalls_table(agency: Agency, period: Period) -> Table:
    """For each kind: reported in the period, answered, still waiting, and the median and
    longest days to answer. One query."""
    reported = ServiceShortfall.objects.live().filter(
        agency=agency,
        raised_at__date__gte=period.start,
        raised_at__date__lte=period.end,
    )
    days: dict[str, list[int]] = {k: [] for k in ShortfallKind.values}
    waiting: dict[str, int] = dict.fromkeys(ShortfallKind.values, 0)
    for kind, raised, answered in reported.values_list("kind", "raised_at", "answered_at"):
        if answered is None:
            waiting[kind] += 1
        else:
            days[kind].append(_days(raised, answered))
    table = Table(
        key="shortfalls",
        caption="Workload and resource shortfalls reported to senior managers in the period",
        columns=[
            "Kind",
            "Reported",
            "Answered",
            "Waiting for an answer",
            "Median days to answer",
            "Longest days to answer",
        ],
    )
    every: list[int] = []
    for kind in ShortfallKind:
        answered = days[kind]
        every += answered
        table.rows.append(_row(kind.label, answered, waiting[kind]))
    table.rows.append(_row("All kinds", every, sum(waiting.values())))
    return table


def _row(label: str, answered: list[int], waiting: int) -> list[Any]:
    return [
        label,
        len(answered) + waiting,
        len(answered),
        waiting,
        median(answered) if answered else "–",
        max(answered) if answered else "–",
    ]
