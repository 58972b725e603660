"""Figures about children: discussion cadence, decisions on file, drift and escalation, and
the balance of key elements across session records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from oversight.children import selectors as children
from oversight.children.models import EscalationLevel
from oversight.people.models import Agency
from oversight.supervision.models import KeyElement, SessionRecord

from ..suppression import HIDDEN, complementary, percent, suppress
from ..tables import Table
from .period import Period


def children_table(agencies: list[Agency], period: Period, today: dt.date) -> Table:
    table = Table(
        key="children",
        caption="Children in need discussed in supervision, decisions on the child's file",
        columns=[
            "Agency",
            "Children in need",
            "% discussed within three months",
            "Review meetings in the period",
            "% discussed before the review meeting",
            "Decisions made in the period",
            "% on the child's file within two working days",
        ],
        chart_column=2,
    )
    ids = {a.pk for a in agencies}
    cadences = children.cadence_figures_by_agency(agency_ids=ids, on=min(period.end, today))
    meetings = children.review_meeting_figures_by_agency(
        agency_ids=ids, start=period.start, end=period.end
    )
    decided = children.decisions_on_file_figures_by_agency(
        agency_ids=ids, start=period.start, end=period.end, today=today
    )
    for agency in agencies:
        cadence, reviews, decisions = cadences[agency.pk], meetings[agency.pk], decided[agency.pk]
        table.rows.append(
            [
                agency.name,
                suppress(cadence.in_cadence, cadence.in_cadence),
                percent(cadence.within_cadence, cadence.in_cadence),
                suppress(reviews["meetings"], reviews["meetings"]),
                percent(reviews["discussed_before"], reviews["meetings"]),
                suppress(decisions["decisions"], decisions["decisions"]),
                percent(decisions["on_time"] or 0, decisions["decisions"] or 0),
            ]
        )
    return table


def drift_table(agencies: list[Agency], period: Period) -> Table:
    levels = list(EscalationLevel)
    table = Table(
        key="drift_escalation",
        caption="Drift flags and escalations in the period",
        columns=[
            "Agency",
            "Drift flags raised",
            "Drift flags resolved",
            "Escalations raised",
            *[f"Escalations now at {level.label.lower()}" for level in levels],
            "Escalations resolved",
            "Average days to resolve",
        ],
    )
    ids = {a.pk for a in agencies}
    drifts = children.drift_flag_figures_by_agency(
        agency_ids=ids, start=period.start, end=period.end
    )
    escalations = children.escalation_figures_by_agency(
        agency_ids=ids, start=period.start, end=period.end
    )
    for agency in agencies:
        drift, esc = drifts[agency.pk], escalations[agency.pk]
        by_level = esc["by_level"]
        table.rows.append(
            [
                agency.name,
                suppress(drift["raised"], drift["raised"]),
                suppress(drift["resolved"], drift["resolved"]),
                suppress(esc["raised"], esc["raised"]),
                *[suppress(by_level.get(level, 0), by_level.get(level, 0)) for level in levels],
                suppress(esc["resolved"], esc["resolved"]),
                suppress(esc["average_days_to_resolve"], esc["resolved"]),
            ]
        )
        # The levels are a split of the escalations raised (decision 0004).
        for n in complementary([by_level.get(level, 0) for level in levels]):
            table.rows[-1][4 + n] = HIDDEN
    return table


def partnership_children_table(
    agencies: list[Agency], period: Period, today: dt.date, *, partnership_row: bool
) -> Table:
    """Children known to two or more agencies (issue 13 item 7): how many, the share every
    involved agency discussed within three months, divergent-rating flags raised and resolved
    and the median days to resolve them. A child counts for each agency involved with it, so
    the agencies' rows do not add up to the partnership's (each child once): only the primary
    rule applies (decision 0004)."""
    table = Table(
        key="multi_agency",
        caption="Children known to two or more agencies",
        columns=[
            "Agency",
            "Children known to two or more agencies",
            "% every involved agency discussed within three months",
            "Divergent-rating flags raised in the period",
            "Divergent-rating flags resolved in the period",
            "Median days to resolve",
        ],
        chart_column=2,
    )
    per_agency, whole = children.partnership_child_figures(
        agency_ids={a.pk for a in agencies},
        on=min(period.end, today),
        start=period.start,
        end=period.end,
    )

    def row(label: str, figures: children.PartnershipChildFigures) -> list[object]:
        median = figures.median_days_to_resolve
        return [
            label,
            suppress(figures.shared, figures.shared),
            percent(figures.all_discussed, figures.shared),
            suppress(figures.divergent_raised, figures.divergent_raised),
            suppress(figures.divergent_resolved, figures.divergent_resolved),
            (
                suppress(median, figures.divergent_resolved)
                if median is not None
                else "None resolved"
            ),
        ]

    table.rows = [row(a.name, per_agency[a.pk]) for a in agencies]
    if partnership_row:
        table.rows.append(row("Partnership", whole))
    return table


# --- Records: balance of the key elements --------------------------------------------------


def key_elements_table(agencies: list[Agency], period: Period) -> Table:
    """Seed 001 "Key elements": the share of records covering each, over the period."""
    counts: dict[int, dict[str, int]] = {a.pk: defaultdict(int) for a in agencies}
    for agency_id, elements in (
        SessionRecord.objects.live()
        .filter(
            session__agency_id__in=[a.pk for a in agencies],
            session__held_on__gte=period.start,
            session__held_on__lte=period.end,
        )
        .values_list("session__agency_id", "key_elements")
    ):
        counts[agency_id]["records"] += 1
        for element in elements or []:
            counts[agency_id][element] += 1
    table = Table(
        key="key_elements",
        caption="Balance of the three key elements across session records in the period",
        columns=["Agency", "Records", *[f"% covering {e.label.lower()}" for e in KeyElement]],
        chart_column=2,
    )
    for agency in agencies:
        c = counts[agency.pk]
        n = c["records"]
        table.rows.append([agency.name, suppress(n, n), *[percent(c[e], n) for e in KeyElement]])
    return table
