"""Reads for assurance pages: the dashboard figure tables (issue 5 item 3), evaluation and
pulse results, record-audit samples. Every people figure comes from compliance.compliance_for
and every figure passes through suppression before it reaches a page or an export."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, Q, QuerySet

from oversight.children import selectors as children
from oversight.children.models import EscalationLevel
from oversight.people.models import Agency, SupervisionRelationship
from oversight.people.selectors import access_profile
from oversight.supervision.models import (
    WELLBEING_FIELDS,
    CaseDiscussion,
    KeyElement,
    RagRating,
    SessionRecord,
)

from .compliance import GroupCompliance, PersonCompliance, compliance_for, summarise, total
from .models import (
    CHECKLIST,
    EVALUATION_STATEMENTS,
    STATEMENT_FIELDS,
    Answer,
    AuditedRecord,
    AuditStatus,
    EvaluationParticipation,
    EvaluationResponse,
    PulseResponse,
    RecordAudit,
    Stratum,
    WorkforceFigure,
)
from .periods import add_months, month_ends, quarter_start, round_bounds
from .suppression import MINIMUM_GROUP, SUPPRESSED, percent, suppress
from .tables import Table


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def default_period(today: dt.date) -> Period:
    return Period(add_months(today, -3) + dt.timedelta(days=1), today)


# --- Staff compliance --------------------------------------------------------------------


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
    )
    last = min(end, today)
    for day in month_ends(last):
        point = _trend_point(ids, day, today, latest if day == last else None)
        people = sum(g.people for g in point.values())
        within = sum(g.within_interval for g in point.values())
        row: list[Any] = [f"{day:%-d %b %Y}", percent(within, people)]
        if side_by_side:
            for agency in agencies:
                group = point.get(agency.pk)
                row.append(percent(group.within_interval, group.people) if group else SUPPRESSED)
        table.rows.append(row)
    return table


# --- Children, decisions, drift, escalation -----------------------------------------------


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
    for agency in agencies:
        ids = {agency.pk}
        cadence = children.cadence_figures(agency_ids=ids, on=min(period.end, today))
        reviews = children.review_meeting_figures(
            agency_ids=ids, start=period.start, end=period.end
        )
        decisions = children.decisions_on_file_figures(
            agency_ids=ids, start=period.start, end=period.end, today=today
        )
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
    for agency in agencies:
        ids = {agency.pk}
        drift = children.drift_flag_figures(agency_ids=ids, start=period.start, end=period.end)
        esc = children.escalation_figures(agency_ids=ids, start=period.start, end=period.end)
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


# --- Evaluation of supervision (seed 004 Appendix I) ---------------------------------------


def _answer_counts(
    responses: QuerySet[EvaluationResponse], group_by: str | None
) -> list[dict[str, Any]]:
    aggregates: dict[str, Any] = {"respondents": Count("pk")}
    for name in STATEMENT_FIELDS:
        for answer in Answer:
            aggregates[f"{name}_{answer}"] = Count("pk", filter=Q(**{name: answer}))
    if group_by is None:
        return [responses.aggregate(**aggregates)]
    return list(responses.order_by().values(group_by).annotate(**aggregates))


def responses_in(period: Period) -> QuerySet[EvaluationResponse]:
    return EvaluationResponse.objects.live().filter(
        round__opens_on__lte=period.end, round__closes_on__gte=period.start
    )


def distinct_respondents(period: Period, **scope: Any) -> int:
    """How many different people answered in the period: the group size for suppression
    (one person answering in two rounds is still one person)."""
    return (
        EvaluationParticipation.objects.filter(
            round__opens_on__lte=period.end, round__closes_on__gte=period.start, **scope
        )
        .values("respondent_id")
        .distinct()
        .count()
    )


def evaluation_by_agency_table(agencies: list[Agency], period: Period) -> Table:
    people = dict(
        EvaluationParticipation.objects.filter(
            round__opens_on__lte=period.end,
            round__closes_on__gte=period.start,
            round__agency_id__in=[a.pk for a in agencies],
        )
        .order_by()
        .values("round__agency_id")
        .annotate(n=Count("respondent_id", distinct=True))
        .values_list("round__agency_id", "n")
    )
    found = {
        row["round__agency_id"]: row
        for row in _answer_counts(
            responses_in(period).filter(round__agency_id__in=[a.pk for a in agencies]),
            "round__agency_id",
        )
    }
    table = Table(
        key="evaluation",
        caption="Evaluation of supervision: answers of Yes across the ten statements",
        columns=["Agency", "Responses", "% Yes", "% Maybe", "% No"],
        chart_column=2,
    )
    for agency in agencies:
        row = found.get(agency.pk, {"respondents": 0})
        n = row["respondents"] if people.get(agency.pk, 0) >= MINIMUM_GROUP else 0
        totals = {a: sum(row.get(f"{q}_{a}", 0) for q in STATEMENT_FIELDS) for a in Answer}
        answers = n * len(STATEMENT_FIELDS)
        table.rows.append(
            [
                agency.name,
                suppress(n, n),
                *[percent(totals[a], answers) if n >= 5 else SUPPRESSED for a in Answer],
            ]
        )
    return table


def evaluation_statements_table(
    responses: QuerySet[EvaluationResponse], caption: str, people: int
) -> Table:
    """The ten statements with the share of each answer, for one group of ``people``."""
    row = _answer_counts(responses, None)[0]
    n = (row["respondents"] or 0) if people >= MINIMUM_GROUP else 0
    table = Table(
        key="evaluation_statements",
        caption=caption,
        columns=["Statement", "% Yes", "% Maybe", "% No"],
        chart_column=1,
        note=f"Responses: {suppress(n, n)}",
    )
    for number, (name, statement) in enumerate(
        zip(STATEMENT_FIELDS, EVALUATION_STATEMENTS, strict=True), 1
    ):
        table.rows.append(
            [f"{number}. {statement}", *[percent(row[f"{name}_{a}"] or 0, n) for a in Answer]]
        )
    return table


def evaluation_comments(
    responses: QuerySet[EvaluationResponse], people: int
) -> dict[str, list[str]]:
    """ "We need more of" and "less of", only for groups of five or more (never to auditors)."""
    if people < MINIMUM_GROUP:
        return {"more_of": [], "less_of": []}
    rows = list(responses.values_list("more_of", "less_of").order_by("?"))
    return {
        "more_of": sorted(m for m, _ in rows if m),
        "less_of": sorted(s for _, s in rows if s),
    }


def evaluations_due(*, person_id: int, on: dt.date) -> list[SupervisionRelationship]:
    """The person's current supervisors they have not yet evaluated in this round."""
    relationships = list(
        SupervisionRelationship.objects.on(on)
        .filter(supervisee_id=person_id)
        .select_related("supervisor", "agency")
    )
    if not relationships:
        return []
    answered = set(
        EvaluationParticipation.objects.filter(
            respondent_id=person_id, round__opens_on__lte=on, round__closes_on__gte=on
        ).values_list("round__agency_id", "supervisor_id")
    )
    return [r for r in relationships if (r.agency_id, r.supervisor_id) not in answered]


def round_label(on: dt.date, interval_months: int) -> str:
    opens, closes = round_bounds(on, interval_months)
    return f"{opens:%B %Y} to {closes:%B %Y}"


# --- Wellbeing pulse and workforce ---------------------------------------------------------


def quarters_back(end: dt.date, count: int) -> list[dt.date]:
    last = quarter_start(end)
    return [add_months(last, -3 * n) for n in range(count - 1, -1, -1)]


def pulse_table(agencies: list[Agency], end: dt.date) -> Table:
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
    )
    for agency in agencies:
        for quarter in quarters:
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
                table.rows.append([agency.name, f"{quarter:%b %Y}", "Not entered", "", "", ""])
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


# --- Record audit -------------------------------------------------------------------------


def audit_grades_table(agencies: list[Agency], period: Period) -> Table:
    aggregates: dict[str, Any] = {"graded": Count("pk")}
    for name, _ in CHECKLIST:
        aggregates[name] = Count("pk", filter=Q(**{name: "met"}))
    found = {
        r["audit__agency_id"]: r
        for r in AuditedRecord.objects.live()
        .filter(
            audit__agency_id__in=[a.pk for a in agencies],
            audit__status=AuditStatus.COMPLETE,
            audit__drawn_on__lte=period.end,
            audit__drawn_on__gte=add_months(period.end, -12),
        )
        .order_by()
        .values("audit__agency_id")
        .annotate(**aggregates)
    }
    table = Table(
        key="record_audit",
        caption="Record audit: records meeting each standard (completed audits, last 12 months)",
        columns=["Agency", "Records graded", *[f"% {label.lower()}" for _, label in CHECKLIST]],
        chart_column=2,
    )
    for agency in agencies:
        r = found.get(agency.pk, {"graded": 0})
        n = r["graded"]
        table.rows.append(
            [agency.name, suppress(n, n), *[percent(r.get(name, 0), n) for name, _ in CHECKLIST]]
        )
    return table


def audit_strata(*, agency_id: int, start: dt.date, end: dt.date) -> dict[str, set[int]]:
    """Record ids in the period by stratum: escalating (a child's RAG got worse than at its
    previous discussion), high (rated red) and medium (amber). Each record in one stratum."""
    discussions = list(
        CaseDiscussion.objects.live()
        .filter(child__agency_id=agency_id, discussed_on__lte=end)
        .order_by("child_id", "discussed_on", "id")
        .values_list("child_id", "discussed_on", "rag_rating", "record_id")
    )
    rank = {RagRating.GREEN: 0, RagRating.AMBER: 1, RagRating.RED: 2}
    strata: dict[str, set[int]] = {s: set() for s in Stratum}
    previous: dict[int, str] = {}
    for child_id, day, rag, record_id in discussions:
        before = previous.get(child_id)
        previous[child_id] = rag
        if day < start:
            continue
        if before is not None and rank[RagRating(rag)] > rank[RagRating(before)]:
            strata[Stratum.ESCALATING].add(record_id)
        elif rag == RagRating.RED:
            strata[Stratum.HIGH].add(record_id)
        elif rag == RagRating.AMBER:
            strata[Stratum.MEDIUM].add(record_id)
    strata[Stratum.HIGH] -= strata[Stratum.ESCALATING]
    strata[Stratum.MEDIUM] -= strata[Stratum.ESCALATING] | strata[Stratum.HIGH]
    return strata


def audits_visible_to(profile: Any) -> QuerySet[RecordAudit]:
    audits = (
        RecordAudit.objects.live()
        .select_related("agency", "drawn_by")
        .annotate(
            sampled=Count("items", filter=Q(items__archived_at__isnull=True)),
            graded=Count("items", filter=Q(items__graded_at__isnull=False)),
        )
    )
    if not profile.is_partnership_auditor:
        audits = audits.filter(agency_id__in=profile.led_agency_ids)
    return audits.order_by("-drawn_on", "-id")


def audit_detail(*, audit_id: int) -> RecordAudit:
    return RecordAudit.objects.live().select_related("agency", "drawn_by").get(pk=audit_id)


def audit_items(audit: RecordAudit) -> QuerySet[AuditedRecord]:
    return (
        AuditedRecord.objects.live()
        .filter(audit=audit)
        .select_related("record__session")
        .defer(*(f"record__{name}" for name in WELLBEING_FIELDS))
        .order_by("stratum", "record__session__held_on", "pk")
    )


# --- Dashboards ----------------------------------------------------------------------------


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
            rows=[compliance_row(g) for g in by_agency]
            + [compliance_row(total(rows, "Partnership"))],
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
        drift_table(agencies, period),
        key_elements_table(agencies, period),
        evaluation_by_agency_table(agencies, period),
        audit_grades_table(agencies, period),
        pulse_table(agencies, period.end),
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
            rows=[compliance_row(g) for g in by_team] + [compliance_row(total(rows))],
            chart_column=2,
        ),
        Table(
            key="compliance_by_group",
            caption=f"Staff supervision compliance by staff group on {on:%-d %B %Y}",
            columns=compliance_columns("Staff group"),
            rows=[compliance_row(g) for g in by_group],
            chart_column=2,
        ),
        Table(
            key="supervisors",
            caption="Supervisors by team: training and their own supervision",
            columns=["Team", *SUPERVISOR_COLUMNS],
            rows=[supervisor_row(g) for g in by_team],
            chart_column=2,
        ),
        trend_table(agencies, period.end, today, side_by_side=False, latest=rows),
        children_table(agencies, period, today),
        drift_table(agencies, period),
        key_elements_table(agencies, period),
        evaluation_statements_table(
            responses_in(period).filter(round__agency=agency),
            "Evaluation of supervision: the ten statements (seed 004 Appendix I)",
            distinct_respondents(period, round__agency=agency),
        ),
        audit_grades_table(agencies, period),
        pulse_table(agencies, period.end),
        workforce_table(agencies, period.end),
    ]


# --- Named compliance (own scope only) ------------------------------------------------


def named_compliance_rows(user: Any, on: dt.date) -> list[PersonCompliance]:
    """Leads: everyone with a post in their agencies; line managers: their reports."""
    profile = access_profile(user)
    rows = (
        compliance_for(on=on, agency_ids=profile.led_agency_ids) if profile.led_agency_ids else []
    )
    seen = {(r.person_id, r.agency_id) for r in rows}
    if profile.report_ids:
        rows += [
            r
            for r in compliance_for(on=on, person_ids=profile.report_ids)
            if (r.person_id, r.agency_id) not in seen
        ]
    return rows


NAMED_COLUMNS = [
    "Name",
    "Agency",
    "Team",
    "Staff group",
    "Last supervision",
    "Next due",
    "Days overdue",
    "Contract",
    "Records unsigned past the deadline",
    "Actions overdue",
    "Supervisor training",
    "Supervised themselves",
]


def named_table(rows: list[PersonCompliance]) -> Table:
    def yes_no(value: bool | None) -> str:
        return "" if value is None else ("Yes" if value else "No")

    return Table(
        key="named_compliance",
        caption="Compliance by person",
        columns=NAMED_COLUMNS,
        rows=[
            [
                r.name,
                r.agency_name,
                r.team_name,
                r.staff_group_name,
                r.last_held_on.isoformat() if r.last_held_on else "Never",
                r.next_due_on.isoformat(),
                r.days_overdue,
                r.contract.label,
                r.records_unsigned_overdue,
                r.actions_overdue,
                (r.training or "").capitalize(),
                yes_no(r.supervised_themselves),
            ]
            for r in rows
        ],
    )
