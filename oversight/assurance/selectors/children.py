"""Figures about children: discussion cadence, decisions on file, drift and escalation, and
the balance of key elements across session records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from oversight.children import selectors as children
from oversight.children.models import EscalationLevel
from oversight.people.models import Agency
from oversight.supervision.models import KeyElement, ReviewTheme, TallyKind
from oversight.supervision.selectors.tallies import Tally, tallies_in

from ..models import TrendPoint
from ..periods import month_end, month_ends, month_start
from ..suppression import HIDDEN, SUPPRESSED, complementary, is_suppressed, percent, suppress
from ..tables import Table
from .period import Period


def children_table(agencies: list[Agency], period: Period, today: dt.date) -> Table:
    """Seed 004 objective 4: children in need discussed no more than three months apart, and
    before their review meeting."""
    table = Table(
        key="children",
        caption="Children in need discussed in supervision",
        columns=[
            "Agency",
            "Children in need",
            "% discussed within three months",
            "Review meetings in the period",
            "% discussed before the review meeting",
        ],
        chart_column=2,
    )
    ids = {a.pk for a in agencies}
    cadences = cadence_on(ids, min(period.end, today), today)
    meetings = children.review_meeting_figures_by_agency(
        agency_ids=ids, start=period.start, end=period.end
    )
    for agency in agencies:
        (in_cadence, within), reviews = cadences[agency.pk], meetings[agency.pk]
        table.rows.append(
            [
                agency.name,
                suppress(in_cadence, in_cadence),
                percent(within, in_cadence),
                suppress(reviews["meetings"], reviews["meetings"]),
                percent(reviews["discussed_before"], reviews["meetings"]),
            ]
        )
    table.totals = {
        "in_cadence": sum(n for n, _ in cadences.values()),
        "within_cadence": sum(w for _, w in cadences.values()),
    }
    return table


CADENCE = "cadence"  # the TrendPoint key of an agency's children table on a closed day


def _kept_cadence(ids: set[int], on: dt.date) -> dict[int, tuple[int, int]]:
    rows = TrendPoint.objects.filter(key=CADENCE, on=on, agency_id__in=ids)
    return {agency_id: (n, w) for agency_id, n, w in rows.values_list("agency_id", "n", "w")}


def cadence_on(ids: set[int], on: dt.date, today: dt.date) -> dict[int, tuple[int, int]]:
    """Each agency's children in need and those discussed within their cadence on ``on``
    (seed 004 objective 4): counted live for today; for a closed day, kept as a TrendPoint
    per agency by the first reader (one request computes while the others wait) or the
    back-fill, so a past period's first visit reads one query, not every child's history
    (issue 17 item 2)."""
    if on >= today:
        live = children.cadence_figures_by_agency(agency_ids=ids, on=on)
        return {i: (f.in_cadence, f.within_cadence) for i, f in live.items()}
    found = _kept_cadence(ids, on)
    missing = ids - set(found)
    if not missing:
        return found
    from oversight.core.singleflight import single_flight

    def ready() -> dict[int, tuple[int, int]] | None:
        again = _kept_cadence(ids, on)
        return again if len(again) == len(ids) else None

    def compute() -> dict[int, tuple[int, int]]:
        return {**found, **cadence_keep(missing, on)}

    lock = f"assurance:cadence:{on}:{min(missing)}:{max(missing)}:{len(missing)}"
    return single_flight(lock, compute, kept=ready)


def cadence_keep(ids: set[int], on: dt.date) -> dict[int, tuple[int, int]]:
    """Count and keep these agencies' cadence figures for the closed day ``on`` (a day
    already kept keeps its figures: a closed period's figures do not move)."""
    computed = children.cadence_figures_by_agency(agency_ids=ids, on=on)
    now = timezone.now()
    TrendPoint.objects.bulk_create(
        [
            TrendPoint(
                agency_id=agency_id,
                key=CADENCE,
                on=on,
                n=f.in_cadence,
                w=f.within_cadence,
                computed_at=now,
            )
            for agency_id, f in computed.items()
        ],
        ignore_conflicts=True,
    )
    return _kept_cadence(ids, on)


def decisions_table(agencies: list[Agency], period: Period, today: dt.date) -> Table:
    """Seed 004: decisions made in supervision on the child's file within two working days."""
    table = Table(
        key="decisions",
        caption="Decisions on the child's file",
        columns=[
            "Agency",
            "Decisions made in the period",
            "% on the child's file within two working days",
        ],
        chart_column=2,
    )
    decided = children.decisions_on_file_figures_by_agency(
        agency_ids={a.pk for a in agencies}, start=period.start, end=period.end, today=today
    )
    for agency in agencies:
        decisions = decided[agency.pk]
        table.rows.append(
            [
                agency.name,
                suppress(decisions["decisions"], decisions["decisions"]),
                percent(decisions["on_time"] or 0, decisions["decisions"] or 0),
            ]
        )
    table.totals = {
        key: sum(d[key] or 0 for d in decided.values()) for key in ("decisions", "on_time")
    }
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
    # The drift question's figures (flags open today among them), so it reads no flag again.
    table.totals = {
        key: sum(drift[key] for drift in drifts.values()) for key in ("raised", "resolved", "open")
    }
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
    on = min(period.end, today)
    per_agency, whole = children.partnership_child_figures(
        agency_ids={a.pk for a in agencies},
        on=on,
        start=period.start,
        end=period.end,
        kept=_kept_shared(agencies, on, today, partnership_row=partnership_row),
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


def _kept_shared(
    agencies: list[Agency], on: dt.date, today: dt.date, *, partnership_row: bool
) -> dict[int | None, tuple[int, int]] | None:
    """The children known to several agencies on a closed day, and those every agency
    discussed, as the multi-agency trend kept them for each agency (and the partnership):
    the same count (``children.partnership_shares_on``), so a month end's table reads them
    instead of every child's involvements (issue 17 item 2). None unless all are kept."""
    if on >= today:
        return None
    points = TrendPoint.objects.filter(key="multi_agency_trend", on=on)
    wanted = [a.pk for a in agencies]
    scopes = Q(agency_id__in=wanted) | (Q(agency__isnull=True) if partnership_row else Q())
    found: dict[int | None, tuple[int, int]] = {
        agency_id: (n, w)
        for agency_id, n, w in points.filter(scopes).values_list("agency_id", "n", "w")
    }
    needed = {*wanted, *([None] if partnership_row else [])}
    return found if needed <= found.keys() else None


# --- Records: balance of the key elements --------------------------------------------------


def record_tallies(agencies: list[Agency], period: Period) -> dict[int, Tally]:
    """The period's records and discussions added up by agency from the day tallies
    (decision 0033): read once per dashboard, shared by the key elements, referrals, themes
    and case progression tables."""
    found = tallies_in(agency_ids=[a.pk for a in agencies], periods=[(period.start, period.end)])
    return {pk: by_period[0] for pk, by_period in found.items()}


def key_elements_table(agencies: list[Agency], tallied: dict[int, Tally]) -> Table:
    """Seed 001 "Key elements": the share of records covering each, over the period."""
    table = Table(
        key="key_elements",
        caption="Balance of the three key elements across session records in the period",
        columns=["Agency", "Records", *[f"% covering {e.label.lower()}" for e in KeyElement]],
        chart_column=2,
    )
    for agency in agencies:
        c = tallied[agency.pk]
        n = c[(TallyKind.RECORDS, "")]
        table.rows.append(
            [
                agency.name,
                suppress(n, n),
                *[percent(c[(TallyKind.ELEMENT, e)], n) for e in KeyElement],
            ]
        )
    return table


# --- Case discussions: referrals and serious case review themes ----------------------------


@dataclass
class DiscussionOutcomes:
    """A period's case discussions by agency: how many, how many referred the child for
    specialist assessment, and how many considered each serious case review theme."""

    discussions: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    referred: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    themes: dict[str, dict[int, int]] = field(
        default_factory=lambda: {t: defaultdict(int) for t in ReviewTheme.values}
    )


def discussion_outcomes(agencies: list[Agency], tallied: dict[int, Tally]) -> DiscussionOutcomes:
    """The referrals and themes tables' counts, from the period's day tallies."""
    found = DiscussionOutcomes()
    for agency in agencies:
        c = tallied[agency.pk]
        found.discussions[agency.pk] = c[(TallyKind.DISCUSSIONS, "")]
        found.referred[agency.pk] = c[(TallyKind.REFERRED, "")]
        for theme, by_agency in found.themes.items():
            by_agency[agency.pk] = c[(TallyKind.THEME, theme)]
    return found


def _count_and_share(count: int, total: int) -> list[Any]:
    """A count and its share of ``total``, both withheld when either group is under five
    (the share of a small count would give the count back)."""
    if is_suppressed(count):
        return [suppress(count, count), SUPPRESSED]
    return [count, percent(count, total)]


def specialist_referrals_table(agencies: list[Agency], found: DiscussionOutcomes) -> Table:
    """Seed 004 "Safeguarding supervision is responsible for": referral for specialist
    assessment, counted as an outcome of case discussions (issue 15 item 14)."""
    table = Table(
        key="specialist_referrals",
        caption="Case discussions in the period that referred the child for specialist assessment",
        columns=[
            "Agency",
            "Case discussions",
            "Referred for specialist assessment",
            "% of case discussions",
        ],
        chart_column=3,
    )
    for agency in agencies:
        discussions = found.discussions[agency.pk]
        table.rows.append(
            [
                agency.name,
                suppress(discussions, discussions),
                *_count_and_share(found.referred[agency.pk], discussions),
            ]
        )
    return table


def review_themes_table(agencies: list[Agency], found: DiscussionOutcomes) -> Table:
    """How many case discussions considered each serious case review theme in the period
    (seed 004 Introduction, seed 002; issue 15 item 15), by agency with the partnership's
    total. Each theme's row is a split of its total across agencies, so a larger cell is
    hidden beside a small one (decision 0004). A discussion may consider several themes."""
    counts, totals = found.themes, found.discussions
    several = len(agencies) > 1
    table = Table(
        key="review_themes",
        caption="Serious case review themes considered in case discussions in the period",
        columns=["Theme", *[a.name for a in agencies], *(["Partnership"] if several else [])],
        note="Case discussions in the period: "
        + "; ".join(f"{a.name} {suppress(totals[a.pk], totals[a.pk])}" for a in agencies)
        + ".",
    )
    for theme in ReviewTheme:
        cells = [counts[theme][a.pk] for a in agencies]
        row: list[Any] = [theme.label, *[suppress(n, n) for n in cells]]
        if several:
            total = sum(cells)
            row.append(suppress(total, total))
            for n in complementary(cells):
                row[1 + n] = HIDDEN
        table.rows.append(row)
    return table


def decisions_trend_table(agencies: list[Agency], end: dt.date, today: dt.date) -> Table:
    """The share of each month's decisions on the child's file within two working days, over
    the 12 months to ``end`` (issue 12 item 2: the direction of a headline question). A
    decision's standing is fixed once it is filed; the 12 months are one query. Only
    the share is shown, never the month's count: the chosen period publishes counts, and
    counts by month beside them could be subtracted (decision 0004)."""
    ids = {a.pk for a in agencies}
    table = Table(
        key="decisions_trend",
        caption="Decisions on the child's file within two working days, last 12 months",
        columns=["Month", "% on the child's file within two working days"],
        chart_column=1,
        chart_kind="line",
    )
    days = month_ends(min(end, today))
    by_month = children.decisions_on_file_by_month(
        agency_ids=ids, start=month_start(days[0]), end=days[-1]
    )
    for day in days:
        decisions, on_time = by_month.get(month_start(day), (0, 0))
        table.rows.append([f"{day:%b %Y}", percent(on_time, decisions)])
    return table


# Trends at past month ends, read from the history kept (issue 12 item 2). Only the share is
# shown, never the counts behind it: the chosen period publishes counts, and counts by month
# beside them could be subtracted (decision 0004). A month under five gives no figure. Drift
# is read for whole months only: flags raised in the last days of a month still open have
# had no time to be resolved, so a month under way would always look worse.
MONTH_END_TRENDS: dict[str, tuple[str, str, Any, bool]] = {
    "children_trend": (
        "Children in need discussed within three months, at each month end",
        "% discussed within three months",
        children.cadence_shares_on,
        False,
    ),
    "drift_trend": (
        "Drift flags resolved with a decision within the month, of those waiting in it",
        "% of waiting drift flags resolved",
        children.drift_resolution_on,
        True,
    ),
    "multi_agency_trend": (
        "Children known to two or more agencies discussed by every agency involved within "
        "three months, at each month end",
        "% every involved agency discussed within three months",
        children.partnership_shares_on,
        False,
    ),
}


def month_end_trend_table(key: str, agencies: list[Agency], end: dt.date, today: dt.date) -> Table:
    """The share at each of the 12 month ends to ``end`` (the last is today, for the current
    month, unless the trend reads whole months only). Closed month ends are read from the
    kept TrendPoints in one query (issue 17 item 2); only today's point is counted from the
    children's history on a page view."""
    caption, column, _, whole_months = MONTH_END_TRENDS[key]
    last = min(end, today)
    if whole_months and last != month_end(last):
        last = month_start(last) - dt.timedelta(days=1)
    days = month_ends(last)
    figures = trend_points(key, agencies, days, today)
    return Table(
        key=key,
        caption=f"{caption}, last 12 {'complete ' if whole_months else ''}months",
        columns=["Month", column],
        rows=[[f"{day:%b %Y}", percent(figures[day][1], figures[day][0])] for day in days],
        chart_column=1,
        chart_kind="line",
    )


def _scope_agency(agencies: list[Agency]) -> int | None:
    """The TrendPoint scope: one agency's dashboard, or the partnership (none)."""
    return agencies[0].pk if len(agencies) == 1 else None


def _kept_points(
    key: str, scope: int | None, days: list[dt.date]
) -> dict[dt.date, tuple[int, int]]:
    return {
        on: (n, w)
        for on, n, w in TrendPoint.objects.filter(
            agency_id=scope,  # type: ignore[misc]  # None: the partnership's points
            key=key,
            on__in=days,
        ).values_list("on", "n", "w")
    }


def trend_points(
    key: str, agencies: list[Agency], days: list[dt.date], today: dt.date
) -> dict[dt.date, tuple[int, int]]:
    """(group, counted) at each day: kept for closed days (computed once, by one request
    while others wait, then kept), counted live for today."""
    from oversight.core.singleflight import single_flight

    figures_on = MONTH_END_TRENDS[key][2]
    ids = {a.pk for a in agencies}
    scope = _scope_agency(agencies)
    closed = [day for day in days if day < today]
    found = _kept_points(key, scope, closed)
    missing = [day for day in closed if day not in found]
    if missing:

        def ready() -> dict[dt.date, tuple[int, int]] | None:
            again = _kept_points(key, scope, missing)
            return again if len(again) == len(missing) else None

        def compute() -> dict[dt.date, tuple[int, int]]:
            computed = figures_on(agency_ids=ids, days=missing)
            now = timezone.now()
            TrendPoint.objects.bulk_create(
                [
                    TrendPoint(agency_id=scope, key=key, on=day, n=n, w=w, computed_at=now)
                    for day, (n, w) in computed.items()
                ],
                ignore_conflicts=True,
            )
            return computed

        lock = f"assurance:trend-points:{key}:{scope}:{missing[0]}:{missing[-1]}"
        found.update(single_flight(lock, compute, kept=ready))
    live = [day for day in days if day >= today]
    if live:
        found.update(figures_on(agency_ids=ids, days=live))
    return found
