"""Staff compliance tables and the 12-month trend. Closed months of the trend are read from
the ComplianceSnapshots the daily task keeps (tasks.assurance_trend_warm); a month without
them is computed and cached for a day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.cache import cache

from oversight.people.models import Agency

from ..compliance import GroupCompliance, PersonCompliance, compliance_for, summarise
from ..models import SNAPSHOT_FIELDS, ComplianceSnapshot
from ..periods import month_ends
from ..suppression import HIDDEN, SUPPRESSED, complementary, hide_rows, percent, suppress
from ..tables import Table


def compliance_columns(group: str) -> list[str]:
    return [
        group,
        "Staff",
        "% supervised within their interval",
        "% with a signed contract in place",
        "Records unsigned past the deadline",
        "Actions overdue",
    ]


def compliance_row(group: GroupCompliance) -> list[Any]:
    n = group.people
    return [
        group.label,
        suppress(n, n),
        percent(group.within_interval, n),
        percent(group.contract_in_place, n),
        suppress(group.records_unsigned_overdue, n),
        suppress(group.actions_overdue, n),
    ]


def compliance_rows(groups: list[GroupCompliance]) -> list[list[Any]]:
    """The rows of a split whose total is published (agencies of the partnership, teams or
    staff groups of an agency), with complementary suppression (decision 0004)."""
    rows = [compliance_row(g) for g in groups]
    hide_rows(rows, [g.people for g in groups])
    return rows


def supervisor_rows(groups: list[GroupCompliance]) -> list[list[Any]]:
    """Supervisors by team: the agency's count is on the partnership dashboard, so the
    teams are a split of a published total too (decision 0004)."""
    rows = [supervisor_row(g) for g in groups]
    hide_rows(rows, [g.supervisors for g in groups])
    return rows


def supervisor_row(group: GroupCompliance) -> list[Any]:
    n = group.supervisors
    return [
        group.label,
        suppress(n, n),
        percent(group.supervisors_trained, n),
        percent(group.supervisors_supervised, n),
    ]


SUPERVISOR_COLUMNS = ["Supervisors", "% with valid supervisor training", "% supervised themselves"]


def _trend_point(
    agency_ids: list[int],
    day: dt.date,
    today: dt.date,
    rows: list[PersonCompliance] | None = None,
) -> dict[Any, GroupCompliance]:
    """Compliance per agency at a month end; closed months are kept in the cache. ``rows``
    are the rows for ``day`` when the page has them already."""
    key = f"assurance:trend:{day.isoformat()}:{','.join(map(str, agency_ids))}"
    if day < today:
        found = cache.get(key)
        if found is not None:
            return found
    if rows is None:
        rows = compliance_for(on=day, agency_ids=agency_ids)
    point = {
        g.label: g for g in summarise(rows, key=lambda r: r.agency_id, label=lambda r: r.agency_id)
    }
    if day < today:
        cache.set(key, point, 60 * 60 * 24)
    return point


def kept_trend_points(
    agency_ids: list[int], days: list[dt.date]
) -> dict[dt.date, dict[Any, GroupCompliance]]:
    """The month ends for which every one of these agencies has a ComplianceSnapshot (kept by
    the daily task), read in one query; other days are left to ``_trend_point``."""
    found: dict[dt.date, dict[Any, GroupCompliance]] = defaultdict(dict)
    for snapshot in ComplianceSnapshot.objects.filter(agency_id__in=agency_ids, on__in=days):
        found[snapshot.on][snapshot.agency_id] = GroupCompliance(
            label=str(snapshot.agency_id),
            **{name: getattr(snapshot, name) for name in SNAPSHOT_FIELDS},
        )
    wanted = set(agency_ids)
    return {
        day: {k: g for k, g in point.items() if g.people}
        for day, point in found.items()
        if set(point) == wanted
    }


def trend_table(
    agencies: list[Agency],
    end: dt.date,
    today: dt.date,
    *,
    side_by_side: bool,
    latest: list[PersonCompliance] | None = None,
) -> Table:
    ids = [a.pk for a in agencies]
    columns = ["Month end", "% supervised within their interval (all)"]
    if side_by_side:
        columns += [a.name for a in agencies]
    table = Table(
        key="trend",
        caption="Staff supervised within their interval, last 12 months",
        columns=columns,
        chart_column=1,
        chart_kind="line",
    )
    last = min(end, today)
    days = month_ends(last)
    kept = kept_trend_points(ids, [d for d in days if d < today])
    for day in days:
        point = kept.get(day) or _trend_point(ids, day, today, latest if day == last else None)
        people = sum(g.people for g in point.values())
        within = sum(g.within_interval for g in point.values())
        row: list[Any] = [day, percent(within, people)]
        if side_by_side:
            groups = [point.get(agency.pk) for agency in agencies]
            for group in groups:
                row.append(percent(group.within_interval, group.people) if group else SUPPRESSED)
            # The agencies with staff are a split of the "all" figure (decision 0004).
            present = [n for n, g in enumerate(groups) if g is not None]
            for n in complementary([g.people for g in groups if g is not None]):
                row[2 + present[n]] = HIDDEN
        table.rows.append(row)
    return table
