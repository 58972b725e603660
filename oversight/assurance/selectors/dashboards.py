"""The partnership and agency dashboards (issue 5 item 3): which tables each shows, in
order, built from the topic modules beside this one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from oversight.people.models import Agency

from ..compliance import PersonCompliance, compliance_for, summarise, total
from ..tables import Table
from .audit import audit_grades_table, multi_agency_audit_table
from .children import (
    children_table,
    decisions_table,
    decisions_trend_table,
    drift_table,
    key_elements_table,
    month_end_trend_table,
    partnership_children_table,
    review_themes_table,
    specialist_referrals_table,
)
from .evaluation import (
    distinct_respondents,
    evaluation_by_agency_table,
    evaluation_statements_table,
    responses_in,
)
from .period import Period
from .progression import case_progression_table
from .shortfalls import shortfalls_table
from .staff_compliance import (
    SUPERVISOR_COLUMNS,
    compliance_columns,
    compliance_row,
    compliance_rows,
    supervisor_row,
    supervisor_rows,
    trend_table,
)
from .wellbeing import pulse_by_role_table, pulse_table, workforce_table


def agencies_all() -> list[Agency]:
    return list(Agency.objects.live().order_by("name"))


def partnership_tables(*, period: Period, today: dt.date) -> list[Table]:
    """All agencies side by side; aggregates only, no names or notes (issue 5 item 3)."""
    agencies = agencies_all()
    rows = compliance_for(on=min(period.end, today), agency_ids=[a.pk for a in agencies])
    by_agency = summarise(rows, key=lambda r: r.agency_name, label=lambda r: r.agency_name)
    return [
        Table(
            key="staff_compliance",
            caption=f"Staff supervision compliance on {min(period.end, today):%-d %B %Y}",
            columns=compliance_columns("Agency"),
            rows=[*compliance_rows(by_agency), compliance_row(total(rows, "Partnership"))],
            chart_column=2,
        ),
        trend_table(agencies, period.end, today, side_by_side=True, latest=rows),
        Table(
            key="supervisors",
            caption="Supervisors: training and their own supervision",
            columns=["Agency", *SUPERVISOR_COLUMNS],
            rows=[supervisor_row(g) for g in by_agency],
            chart_column=2,
        ),
        children_table(agencies, period, today),
        month_end_trend_table("children_trend", agencies, period.end, today),
        decisions_table(agencies, period, today),
        decisions_trend_table(agencies, period.end, today),
        drift_table(agencies, period),
        month_end_trend_table("drift_trend", agencies, period.end, today),
        case_progression_table(agencies, period),
        partnership_children_table(agencies, period, today, partnership_row=True),
        month_end_trend_table("multi_agency_trend", agencies, period.end, today),
        key_elements_table(agencies, period),
        specialist_referrals_table(agencies, period),
        review_themes_table(agencies, period),
        evaluation_by_agency_table(agencies, period, today),
        audit_grades_table(agencies, period),
        multi_agency_audit_table(agencies, period),
        pulse_table(agencies, period.end, today),
        pulse_by_role_table(agencies, period.end, today),
        workforce_table(agencies, period.end),
    ]


def agency_compliance(*, agency: Agency, on: dt.date) -> list[PersonCompliance]:
    return compliance_for(on=on, agency_ids=[agency.pk])


def agency_tables(
    *, agency: Agency, period: Period, today: dt.date, rows: Iterable[PersonCompliance]
) -> list[Table]:
    """One agency's figures by team and staff group, with the agency-level indicators."""
    rows = list(rows)
    on = min(period.end, today)
    by_team = summarise(rows, key=lambda r: r.team_name, label=lambda r: r.team_name)
    by_group = summarise(rows, key=lambda r: r.staff_group_name, label=lambda r: r.staff_group_name)
    agencies = [agency]
    return [
        Table(
            key="compliance_by_team",
            caption=f"Staff supervision compliance by team on {on:%-d %B %Y}",
            columns=compliance_columns("Team"),
            rows=[*compliance_rows(by_team), compliance_row(total(rows))],
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
        trend_table(agencies, period.end, today, side_by_side=False, latest=rows),
        children_table(agencies, period, today),
        month_end_trend_table("children_trend", agencies, period.end, today),
        decisions_table(agencies, period, today),
        decisions_trend_table(agencies, period.end, today),
        drift_table(agencies, period),
        month_end_trend_table("drift_trend", agencies, period.end, today),
        case_progression_table(agencies, period),
        partnership_children_table(agencies, period, today, partnership_row=False),
        month_end_trend_table("multi_agency_trend", agencies, period.end, today),
        key_elements_table(agencies, period),
        specialist_referrals_table(agencies, period),
        review_themes_table(agencies, period),
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
