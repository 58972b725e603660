"""Staff compliance tables and the 12-month trend, read from the ComplianceSnapshots kept for
every closed day and today's row (issue 17 item 2, ``snapshots.kept_figures``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oversight.people.models import Agency, StaffGroup, Team

from ..compliance import GroupCompliance
from ..models import SNAPSHOT_FIELDS
from ..periods import month_ends
from ..snapshots import DayFigures, kept_figures
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


def group_of(label: str, counts: list[int]) -> GroupCompliance:
    """A kept row of counts (``snapshots``) as the GroupCompliance the tables show."""
    return GroupCompliance(label=label, **dict(zip(SNAPSHOT_FIELDS, counts, strict=True)))


def figures_on(
    agencies: list[Agency], on: dt.date, today: dt.date, *, breakdown: bool = True
) -> dict[int, DayFigures]:
    """Each agency's kept figures on ``on``: a closed day's snapshot or today's row (issue 17
    item 2), never ``compliance_for`` over the agency on a page view. ``breakdown=False``:
    without the split by team and staff group."""
    found = kept_figures(
        agency_ids=[a.pk for a in agencies], days=[on], today=today, breakdown=breakdown
    )
    return {a.pk: found[(a.pk, on)] for a in agencies}


def by_agency(agencies: list[Agency], figures: dict[int, DayFigures]) -> list[GroupCompliance]:
    """Agencies with staff, by name (as ``summarise`` by agency name gives them)."""
    groups = [group_of(a.name, figures[a.pk]["counts"]) for a in agencies]
    return sorted((g for g in groups if g.people), key=lambda g: g.label)


def whole(groups: list[GroupCompliance], label: str) -> GroupCompliance:
    """The total of these groups (``compliance.total``)."""
    found = GroupCompliance(label=label)
    for group in groups:
        for name in SNAPSHOT_FIELDS:
            setattr(found, name, getattr(found, name) + getattr(group, name))
    return found


def by_grouping(figures: DayFigures, grouping: str) -> list[GroupCompliance]:
    """An agency's kept counts by team or staff group, labelled by their names now."""
    model, none = (Team, "No team") if grouping == "team" else (StaffGroup, "No staff group")
    keys = figures[grouping]
    names = dict(model.objects.filter(pk__in=[int(k) for k in keys if k]).values_list("pk", "name"))
    groups = [
        group_of(names.get(int(key), none) if key else none, counts) for key, counts in keys.items()
    ]
    return sorted(groups, key=lambda g: g.label)


def trend_table(
    agencies: list[Agency],
    end: dt.date,
    today: dt.date,
    *,
    side_by_side: bool,
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
    kept = kept_figures(agency_ids=ids, days=days, today=today, breakdown=False)
    for day in days:
        point = {
            agency_id: group
            for agency_id in ids
            if (group := group_of(str(agency_id), kept[(agency_id, day)]["counts"])).people
        }
        people = sum(g.people for g in point.values())
        within = sum(g.within_interval for g in point.values())
        row: list[Any] = [day, percent(within, people)]
        if side_by_side:
            groups = [point.get(agency.pk) for agency in agencies]
            for found in groups:
                row.append(percent(found.within_interval, found.people) if found else SUPPRESSED)
            # The agencies with staff are a split of the "all" figure (decision 0004).
            present = [n for n, g in enumerate(groups) if g is not None]
            for n in complementary([g.people for g in groups if g is not None]):
                row[2 + present[n]] = HIDDEN
        table.rows.append(row)
    return table
