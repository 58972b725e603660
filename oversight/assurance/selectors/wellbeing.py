"""Quarterly figures: the wellbeing pulse and the workforce figures each agency enters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count

from oversight.people.models import Agency

from ..models import PulseResponse, PulseRole, WorkforceFigure
from ..periods import add_months, quarter_start
from ..suppression import HIDDEN, complementary, percent, suppress
from ..tables import Table
from .evaluation import PUBLISHED_WHEN


def quarters_back(end: dt.date, count: int) -> list[dt.date]:
    last = quarter_start(end)
    return [add_months(last, -3 * n) for n in range(count - 1, -1, -1)]


ROUND_OPEN = "Round still open"


def quarter_is_closed(quarter: dt.date, today: dt.date) -> bool:
    """Each quarter is a pulse round, closed once the quarter has ended."""
    return add_months(quarter, 3) <= today


def pulse_table(agencies: list[Agency], end: dt.date, today: dt.date) -> Table:
    """Averages per agency and quarter, published only for a closed quarter with five or
    more answers (issue 9 item 3, decision 0004): an open quarter's figures would move
    with each answer, so one person's could be read off between two page loads."""
    quarters = quarters_back(end, 4)
    found = {
        (r["agency_id"], r["quarter_start"]): r
        for r in PulseResponse.objects.live()
        .filter(agency_id__in=[a.pk for a in agencies], quarter_start__in=quarters)
        .order_by()
        .values("agency_id", "quarter_start")
        .annotate(
            n=Count("pk"),
            stress=Avg("stress"),
            resilience=Avg("resilience"),
            reflection=Avg("reflection"),
        )
    }
    table = Table(
        key="wellbeing",
        caption="Wellbeing pulse by quarter (average, 1 low to 5 high)",
        columns=["Agency", "Quarter", "Responses", "Stress", "Resilience", "Ability to reflect"],
        note=f"{PUBLISHED_WHEN}: each quarter is a round.",
    )
    for agency in agencies:
        for quarter in quarters:
            if not quarter_is_closed(quarter, today):
                table.rows.append([agency.name, f"{quarter:%b %Y}", *[ROUND_OPEN] * 4])
                continue
            r = found.get((agency.pk, quarter), {"n": 0})
            n = r["n"]
            table.rows.append(
                [
                    agency.name,
                    f"{quarter:%b %Y}",
                    suppress(n, n),
                    *[
                        suppress(None if r.get(k) is None else round(r[k], 1), n)
                        for k in ("stress", "resilience", "reflection")
                    ],
                ]
            )
    return table


def pulse_by_role_table(agencies: list[Agency], end: dt.date, today: dt.date) -> Table:
    """Seed 004 "Assurance indicators" 1 (issue 15 item 16): the pulse for supervisors and
    for supervisees apart, closed quarters only. Each role's figures need five answers, and
    when one role's are withheld the other's are hidden too: the all-staff figures beside
    them would otherwise give the small group's away (decision 0004)."""
    quarters = quarters_back(end, 4)
    found = {
        (r["agency_id"], r["quarter_start"], r["role"]): r
        for r in PulseResponse.objects.live()
        .filter(
            agency_id__in=[a.pk for a in agencies],
            quarter_start__in=quarters,
            role__in=PulseRole.values,
        )
        .order_by()
        .values("agency_id", "quarter_start", "role")
        .annotate(
            n=Count("pk"),
            stress=Avg("stress"),
            resilience=Avg("resilience"),
            reflection=Avg("reflection"),
        )
    }
    table = Table(
        key="wellbeing_by_role",
        caption="Wellbeing pulse for supervisors and supervisees (average, 1 low to 5 high)",
        columns=[
            "Agency",
            "Quarter",
            "Answered as",
            "Responses",
            "Stress",
            "Resilience",
            "Ability to reflect",
        ],
        note=f"{PUBLISHED_WHEN}: each quarter is a round. Someone who supervises anyone in "
        "the agency answers as a supervisor.",
    )
    for agency in agencies:
        for quarter in quarters:
            if not quarter_is_closed(quarter, today):
                for role in PulseRole:
                    table.rows.append(
                        [agency.name, f"{quarter:%b %Y}", role.label, *[ROUND_OPEN] * 4]
                    )
                continue
            cells = [found.get((agency.pk, quarter, role), {"n": 0}) for role in PulseRole]
            hide = complementary([c["n"] for c in cells])
            for n, (role, r) in enumerate(zip(PulseRole, cells, strict=True)):
                figures = [
                    r["n"],
                    *[None if r.get(k) is None else round(r[k], 1) for k in KEYS],
                ]
                shown = (
                    [HIDDEN] * 4 if n in hide else [suppress(value, r["n"]) for value in figures]
                )
                table.rows.append([agency.name, f"{quarter:%b %Y}", role.label, *shown])
    return table


KEYS = ("stress", "resilience", "reflection")


def _per_post(days: Any, filled: int) -> float | None:
    return round(float(days) / filled, 1) if filled else None


def workforce_table(agencies: list[Agency], end: dt.date) -> Table:
    quarters = quarters_back(end, 4)
    found = {
        (f.agency_id, f.quarter_start): f
        for f in WorkforceFigure.objects.live().filter(
            agency_id__in=[a.pk for a in agencies], quarter_start__in=quarters
        )
    }
    table = Table(
        key="workforce",
        caption="Staff vacancies and sickness by quarter, entered by each agency's lead",
        columns=[
            "Agency",
            "Quarter",
            "Funded posts",
            "% posts vacant",
            "Sickness days lost per filled post",
            "Work-related sickness days per filled post",
        ],
    )
    for agency in agencies:
        for quarter in quarters:
            f = found.get((agency.pk, quarter))
            if f is None:
                table.rows.append([agency.name, f"{quarter:%b %Y}", *["Not entered"] * 4])
                continue
            filled = f.funded_posts - f.vacant_posts
            table.rows.append(
                [
                    agency.name,
                    f"{quarter:%b %Y}",
                    suppress(f.funded_posts, f.funded_posts),
                    percent(f.vacant_posts, f.funded_posts),
                    suppress(_per_post(f.sickness_days_lost, filled), filled),
                    suppress(_per_post(f.work_related_sickness_days_lost, filled), filled),
                ]
            )
    return table
