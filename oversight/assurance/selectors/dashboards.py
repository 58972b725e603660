"""The partnership and agency dashboards (issue 5 item 3): which tables each shows, in
order, built from the topic modules beside this one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from oversight.core.singleflight import cache_claim, single_flight
from oversight.people.models import Agency

from ..tables import Table
from .audit import audit_grades_table, multi_agency_audit_table
from .children import (
    children_table,
    decisions_table,
    decisions_trend_table,
    discussion_outcomes,
    drift_table,
    key_elements_table,
    month_end_trend_table,
    partnership_children_table,
    record_tallies,
    review_themes_table,
    specialist_referrals_table,
)
from .evaluation import (
    distinct_respondents,
    evaluation_by_agency_table,
    evaluation_statements_table,
    responses_in,
)
from .period import Period, default_period
from .progression import case_progression_table
from .shortfalls import shortfalls_table
from .staff_compliance import (
    SUPERVISOR_COLUMNS,
    by_agency,
    by_grouping,
    compliance_columns,
    compliance_row,
    compliance_rows,
    figures_on,
    supervisor_row,
    supervisor_rows,
    trend_table,
    whole,
)
from .wellbeing import pulse_by_role_table, pulse_table, workforce_table


def agencies_all() -> list[Agency]:
    return list(Agency.objects.live().order_by("name"))


def partnership_tables(*, period: Period, today: dt.date) -> list[Table]:
    """All agencies side by side; aggregates only, no names or notes (issue 5 item 3). Staff
    compliance is read from the kept figures (issue 17 item 2)."""
    agencies = agencies_all()
    on = min(period.end, today)
    groups = by_agency(agencies, figures_on(agencies, on, today, breakdown=False))
    tallied = record_tallies(agencies, period)  # records and discussions, one read
    outcomes = discussion_outcomes(agencies, tallied)
    return [
        Table(
            key="staff_compliance",
            caption=f"Staff supervision compliance on {on:%-d %B %Y}",
            columns=compliance_columns("Agency"),
            rows=[*compliance_rows(groups), compliance_row(whole(groups, "Partnership"))],
            chart_column=2,
        ),
        trend_table(agencies, period.end, today, side_by_side=True),
        Table(
            key="supervisors",
            caption="Supervisors: training and their own supervision",
            columns=["Agency", *SUPERVISOR_COLUMNS],
            rows=[supervisor_row(g) for g in groups],
            chart_column=2,
        ),
        children_table(agencies, period, today),
        month_end_trend_table("children_trend", agencies, period.end, today),
        decisions_table(agencies, period, today),
        decisions_trend_table(agencies, period.end, today),
        drift_table(agencies, period),
        month_end_trend_table("drift_trend", agencies, period.end, today),
        case_progression_table(agencies, period, tallied),
        partnership_children_table(agencies, period, today, partnership_row=True),
        month_end_trend_table("multi_agency_trend", agencies, period.end, today),
        key_elements_table(agencies, tallied),
        specialist_referrals_table(agencies, outcomes),
        review_themes_table(agencies, outcomes),
        evaluation_by_agency_table(agencies, period, today),
        audit_grades_table(agencies, period),
        multi_agency_audit_table(agencies, period),
        pulse_table(agencies, period.end, today),
        pulse_by_role_table(agencies, period.end, today),
        workforce_table(agencies, period.end),
    ]


def agency_tables(*, agency: Agency, period: Period, today: dt.date) -> list[Table]:
    """One agency's figures by team and staff group, with the agency-level indicators. Staff
    compliance by team and staff group is read from the kept figures (issue 17 item 2)."""
    on = min(period.end, today)
    agencies = [agency]
    figures = figures_on(agencies, on, today)[agency.pk]
    if figures["counts"][0] and not figures["team"]:
        from ..services import compliance_breakdown_fill

        kept = figures["counts"]
        figures = {**compliance_breakdown_fill(agency_id=agency.pk, on=on), "counts": kept}
    by_team = by_grouping(figures, "team")
    by_group = by_grouping(figures, "staff_group")
    tallied = record_tallies(agencies, period)  # records and discussions, one read
    outcomes = discussion_outcomes(agencies, tallied)
    return [
        Table(
            key="compliance_by_team",
            caption=f"Staff supervision compliance by team on {on:%-d %B %Y}",
            columns=compliance_columns("Team"),
            rows=[*compliance_rows(by_team), compliance_row(whole(by_team, "All staff"))],
            chart_column=2,
        ),
        Table(
            key="compliance_by_group",
            caption=f"Staff supervision compliance by staff group on {on:%-d %B %Y}",
            columns=compliance_columns("Staff group"),
            rows=compliance_rows(by_group),
            chart_column=2,
        ),
        Table(
            key="supervisors",
            caption="Supervisors by team: training and their own supervision",
            columns=["Team", *SUPERVISOR_COLUMNS],
            rows=supervisor_rows(by_team),
            chart_column=2,
        ),
        trend_table(agencies, period.end, today, side_by_side=False),
        children_table(agencies, period, today),
        month_end_trend_table("children_trend", agencies, period.end, today),
        decisions_table(agencies, period, today),
        decisions_trend_table(agencies, period.end, today),
        drift_table(agencies, period),
        month_end_trend_table("drift_trend", agencies, period.end, today),
        case_progression_table(agencies, period, tallied),
        partnership_children_table(agencies, period, today, partnership_row=False),
        month_end_trend_table("multi_agency_trend", agencies, period.end, today),
        key_elements_table(agencies, tallied),
        specialist_referrals_table(agencies, outcomes),
        review_themes_table(agencies, outcomes),
        evaluation_statements_table(
            responses_in(period, today=today).filter(round__agency=agency),
            "Evaluation of supervision: the ten statements, rounds "
            f"closed in the 12 months to {period.end:%-d %B %Y}",
            distinct_respondents(period, today=today, round__agency=agency),
        ),
        audit_grades_table(agencies, period),
        pulse_table(agencies, period.end, today),
        pulse_by_role_table(agencies, period.end, today),
        workforce_table(agencies, period.end),
        shortfalls_table(agency, period),
    ]


# --- Kept dashboard figures (issue 17 item 2) ----------------------------------------------

# A dashboard's figures are refreshed in the background once they are this old; a reader
# meanwhile sees the kept ones, which the page dates (decision 0003's five minutes).
TABLES_FRESH = dt.timedelta(minutes=5)
# How long kept figures stay in the (database) cache: a period still running until the day
# ends; a closed period, whose figures no longer move (issue 9 item 8), for a week.
OPEN_PERIOD_SECONDS = 26 * 60 * 60
CLOSED_PERIOD_SECONDS = 7 * 24 * 60 * 60


@dataclass
class KeptTables:
    tables: list[Table]
    at: dt.datetime


def scope_tables(scope: str, period: Period, today: dt.date) -> list[Table]:
    """The tables of a dashboard scope ("partnership" or "agency-<pk>"), in the order its
    questions show them (decision 0017)."""
    from .. import questions

    if scope == "partnership":
        return questions.in_question_order(
            questions.PARTNERSHIP, partnership_tables(period=period, today=today)
        )
    agency = Agency.objects.get(pk=int(scope.removeprefix("agency-")))
    return questions.in_question_order(
        questions.AGENCY, agency_tables(agency=agency, period=period, today=today)
    )


# Raised when what a kept table carries changes (a question reads it: the drift table's
# totals, say), so that no reader after a deploy finds tables kept in the older shape.
TABLES_SHAPE = 2


def tables_key(scope: str, period: Period, today: dt.date) -> str:
    key = f"assurance:tables:v{TABLES_SHAPE}:{scope}:{period.start}:{period.end}"
    return key if period.end < today else f"{key}:{today}"


def tables_keep(scope: str, period: Period, today: dt.date) -> KeptTables:
    """Compute a scope's tables for the period and keep them for every reader."""
    from oversight.core.routers import reading_from_replica

    started = timezone.now()  # a change kept while this runs is newer than these figures
    with reading_from_replica():  # figures tolerate a replica's lag (core.routers)
        kept = KeptTables(scope_tables(scope, period, today), started)
    seconds = CLOSED_PERIOD_SECONDS if period.end < today else OPEN_PERIOD_SECONDS
    cache.set(tables_key(scope, period, today), kept, seconds)
    return kept


def kept_tables(scope: str, period: Period, today: dt.date) -> KeptTables:
    """A dashboard's figures without recomputing them on a page view (issue 17 item 2): the
    kept ones, refreshed in the background when older than TABLES_FRESH (the nightly job
    keeps each scope's default period before anyone arrives). Kept figures missing (a period
    nobody asked for yet) are computed by one request while the others wait for it."""
    key = tables_key(scope, period, today)
    found: KeptTables | None = cache.get(key)
    if found is None:
        return single_flight(
            key, lambda: tables_keep(scope, period, today), kept=lambda: cache.get(key)
        )
    stale = period.end >= today and timezone.now() - found.at > TABLES_FRESH
    # One refresh queued however many readers find them stale.
    if stale and cache_claim(f"{key}:refreshing", timeout=int(TABLES_FRESH.total_seconds())):
        from ..tasks import dashboard_tables_refresh

        transaction.on_commit(
            lambda: dashboard_tables_refresh.enqueue(
                scope=scope,
                start=period.start.isoformat(),
                end=period.end.isoformat(),
                today=today.isoformat(),
            )
        )
    return found


def tables_changed_key(scope: str, period: Period, today: dt.date) -> str:
    return f"{tables_key(scope, period, today)}:changed"


def tables_changed(scope: str, today: dt.date) -> bool:
    """Today's figures of the scope changed (``tasks.compliance_today_refresh_task``): queue
    a refresh of its kept default period, the one the nightly job keeps and most readers see,
    so the next page view shows the change. One refresh is queued until it starts, however
    many changes arrive; a period nobody has opened is left alone. Other periods still
    running are refreshed when a reader finds them five minutes old (decision 0023)."""
    period = default_period(today)
    if not cache.has_key(tables_key(scope, period, today)):
        return False
    # Held until the refresh starts; if the worker loses it, readers refresh after five minutes.
    if not cache_claim(
        tables_changed_key(scope, period, today), timeout=int(TABLES_FRESH.total_seconds())
    ):
        return False
    from ..tasks import dashboard_tables_refresh

    dashboard_tables_refresh.enqueue(
        scope=scope, start=period.start.isoformat(), end=period.end.isoformat(), today=str(today)
    )
    return True
