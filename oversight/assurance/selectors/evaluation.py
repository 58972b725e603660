"""Evaluation of supervision (seed 004 Appendix I): answers per agency and statement, the
comments, and who still has an evaluation due. Group sizes count people, not responses.

Only closed rounds with five or more people are ever counted (issue 9 item 3, decision 0004):
an open round's answers are never shown, so a new answer cannot be read off by comparing
two page loads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Value

from oversight.people.models import Agency, SupervisionRelationship

from ..models import (
    EVALUATION_STATEMENTS,
    RESULT_ORDER,
    STATEMENT_FIELDS,
    Answer,
    EvaluationParticipation,
    EvaluationResponse,
    EvaluationRound,
    PulseParticipation,
)
from ..periods import add_months, quarter_start, round_bounds
from ..suppression import MINIMUM_GROUP, percent, suppress
from ..tables import Table
from .period import Period

PUBLISHED_WHEN = "Results are published when the round closes and has at least 5 answers"


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


def published_rounds(*, period: Period, today: dt.date, **scope: Any) -> QuerySet[EvaluationRound]:
    """The rounds whose results may be shown for a period: those that closed before today,
    in the 12 months to the period's end, answered by at least five people (issue 9 item 3,
    decision 0004). Results then move only by a whole round of five or more, never by one
    new answer between two page loads; and any two periods differ by whole rounds."""
    return (
        EvaluationRound.objects.live()
        .filter(
            closes_on__gt=add_months(period.end, -12),
            closes_on__lte=period.end,
            closes_on__lt=today,
        )
        .filter(**scope)
        .annotate(people=Count("participations__respondent", distinct=True))
        .filter(people__gte=MINIMUM_GROUP)
    )


def responses_in(period: Period, *, today: dt.date) -> QuerySet[EvaluationResponse]:
    """The answers whose results are published: those of ``published_rounds``."""
    return EvaluationResponse.objects.live().filter(
        round__in=published_rounds(period=period, today=today).values("pk")
    )


def distinct_respondents(period: Period, *, today: dt.date, **scope: Any) -> int:
    """How many different people answered in the published rounds: the group size for
    suppression (one person answering in two rounds is still one person)."""
    return (
        EvaluationParticipation.objects.filter(
            round__in=published_rounds(period=period, today=today).values("pk"), **scope
        )
        .values("respondent_id")
        .distinct()
        .count()
    )


def _percentages(row: dict[str, Any], names: tuple[str, ...], answers: int) -> list[Any]:
    """Yes, Maybe and No, in the order of the headings (``RESULT_ORDER``)."""
    return [
        percent(sum(row.get(f"{name}_{a}") or 0 for name in names), answers) for a in RESULT_ORDER
    ]


def evaluation_by_agency_table(agencies: list[Agency], period: Period, today: dt.date) -> Table:
    rounds = published_rounds(
        period=period, today=today, agency_id__in=[a.pk for a in agencies]
    ).values("pk")
    people = dict(
        EvaluationParticipation.objects.filter(round__in=rounds)
        .order_by()
        .values("round__agency_id")
        .annotate(n=Count("respondent_id", distinct=True))
        .values_list("round__agency_id", "n")
    )
    found = {
        row["round__agency_id"]: row
        for row in _answer_counts(
            EvaluationResponse.objects.live().filter(round__in=rounds), "round__agency_id"
        )
    }
    table = Table(
        key="evaluation",
        caption=(
            "Evaluation of supervision: answers across the ten statements, rounds closed in "
            f"the 12 months to {period.end:%-d %B %Y}"
        ),
        columns=["Agency", "Responses", *[f"% {a.label}" for a in RESULT_ORDER]],
        chart_column=2,
        note=f"{PUBLISHED_WHEN}.",
    )
    for agency in agencies:
        row = found.get(agency.pk, {"respondents": 0})
        n = row["respondents"] if people.get(agency.pk, 0) >= MINIMUM_GROUP else 0
        table.rows.append(
            [
                agency.name,
                suppress(n, n),
                *_percentages(row, STATEMENT_FIELDS, n * len(STATEMENT_FIELDS)),
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
        columns=["Statement", *[f"% {a.label}" for a in RESULT_ORDER]],
        chart_column=1,
        note=f"Responses: {suppress(n, n)}. {PUBLISHED_WHEN}.",
    )
    for number, (name, statement) in enumerate(
        zip(STATEMENT_FIELDS, EVALUATION_STATEMENTS, strict=True), 1
    ):
        table.rows.append([f"{number}. {statement}", *_percentages(row, (name,), n)])
    return table


def supervisor_published_rounds(*, supervisor_id: int, period: Period, today: dt.date) -> list[int]:
    """The closed rounds whose answers about this supervisor they may read: five or more
    people answered about them, and the rest of the round is either nobody or five or more.
    Otherwise the agency's published round less the supervisor's own part would give away a
    small group's answers to a supervisor who also sees the agency's figures (decision 0004)."""
    rounds = published_rounds(period=period, today=today).values("pk")
    own = dict(
        EvaluationParticipation.objects.filter(round__in=rounds, supervisor_id=supervisor_id)
        .order_by()
        .values("round_id")
        .annotate(n=Count("respondent_id", distinct=True))
        .values_list("round_id", "n")
    )
    others = dict(
        EvaluationParticipation.objects.filter(round_id__in=list(own))
        .exclude(supervisor_id=supervisor_id)
        .order_by()
        .values("round_id")
        .annotate(n=Count("respondent_id", distinct=True))
        .values_list("round_id", "n")
    )
    return sorted(
        round_id
        for round_id, n in own.items()
        if n >= MINIMUM_GROUP and not 0 < others.get(round_id, 0) < MINIMUM_GROUP
    )


def supervisor_results(
    *, supervisor_id: int, period: Period, today: dt.date
) -> tuple[QuerySet[EvaluationResponse], int]:
    """The answers about a supervisor they may read, and how many people gave them."""
    rounds = supervisor_published_rounds(supervisor_id=supervisor_id, period=period, today=today)
    responses = EvaluationResponse.objects.live().filter(
        round_id__in=rounds, supervisor_id=supervisor_id
    )
    people = (
        EvaluationParticipation.objects.filter(round_id__in=rounds, supervisor_id=supervisor_id)
        .values("respondent_id")
        .distinct()
        .count()
    )
    return responses, people


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


def answered_by(*, person_id: int, on: dt.date) -> tuple[set[tuple[int, int]], bool]:
    """What the person has answered on ``on``: the (agency, supervisor) pairs they evaluated
    in the round open then, and whether they gave the quarter's wellbeing pulse. One read
    for the home page's prompt, not one for each (issue 17 item 1)."""

    def labelled(qs: QuerySet[Any], kind: str, agency: Any, supervisor: Any) -> QuerySet[Any]:
        return (
            qs.order_by()
            .annotate(
                a_kind=Value(kind, output_field=CharField()),
                a_agency=agency,
                a_supervisor=supervisor,
            )
            .values_list("a_kind", "a_agency", "a_supervisor")
        )

    none = Value(None, output_field=IntegerField())
    rows = labelled(
        EvaluationParticipation.objects.filter(
            respondent_id=person_id, round__opens_on__lte=on, round__closes_on__gte=on
        ),
        "evaluation",
        F("round__agency_id"),
        F("supervisor_id"),
    ).union(
        labelled(
            PulseParticipation.objects.filter(
                respondent_id=person_id, quarter_start=quarter_start(on)
            ),
            "pulse",
            none,
            none,
        ),
        all=True,
    )
    evaluated = {(agency, supervisor) for kind, agency, supervisor in rows if kind == "evaluation"}
    return evaluated, any(kind == "pulse" for kind, _, _ in rows)


def evaluations_due(
    *,
    person_id: int,
    on: dt.date,
    supervisors: list[SupervisionRelationship] | None = None,
    answered: set[tuple[int, int]] | None = None,
) -> list[SupervisionRelationship]:
    """The person's current supervisors they have not yet evaluated in this round.
    ``supervisors``: their current supervision relationships, when the caller has read them
    (the home page's "About you", issue 17 item 1); ``answered``: the pairs evaluated, when
    the caller has read them (``answered_by``)."""
    relationships = (
        list(
            SupervisionRelationship.objects.on(on)
            .filter(supervisee_id=person_id)
            .select_related("supervisor", "agency")
        )
        if supervisors is None
        else supervisors
    )
    if not relationships:
        return []
    if answered is None:
        answered = set(
            EvaluationParticipation.objects.filter(
                respondent_id=person_id, round__opens_on__lte=on, round__closes_on__gte=on
            ).values_list("round__agency_id", "supervisor_id")
        )
    return [r for r in relationships if (r.agency_id, r.supervisor_id) not in answered]


def round_label(on: dt.date, interval_months: int) -> str:
    opens, closes = round_bounds(on, interval_months)
    return f"{opens:%B %Y} to {closes:%B %Y}"
