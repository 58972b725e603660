"""Evaluation of supervision (seed 004 Appendix I): answers per agency and statement, the
comments, and who still has an evaluation due. Group sizes count people, not responses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from oversight.people.models import Agency, SupervisionRelationship

from ..models import (
    EVALUATION_STATEMENTS,
    STATEMENT_FIELDS,
    Answer,
    EvaluationParticipation,
    EvaluationResponse,
)
from ..periods import round_bounds
from ..suppression import MINIMUM_GROUP, SUPPRESSED, percent, suppress
from ..tables import Table
from .period import Period


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
