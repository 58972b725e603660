"""Figures other apps (assurance) read: counts only, by agency and period, never personal
details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
)

from .. import cadence as rules_of_cadence
from ..models import (
    Child,
    DriftFlag,
    Escalation,
    EscalationStatus,
    ReviewMeeting,
)
from .children import _in_cadence, _model, agency_rules, child_rows


def children_counts_by_status(*, agency_ids: set[int] | None = None) -> dict[str, int]:
    children = Child.objects.live()
    if agency_ids is not None:
        children = children.filter(agency_id__in=agency_ids)
    return dict(
        children.order_by()
        .values_list("legal_status")
        .annotate(n=Count("pk"))
        .values_list("legal_status", "n")
    )


@dataclass
class CadenceFigures:
    in_cadence: int = 0
    within_cadence: int = 0
    overdue: int = 0
    never_discussed: int = 0


def cadence_figures(*, agency_ids: set[int], on: dt.date) -> CadenceFigures:
    """Children in need discussed within the ceiling ("no more than three months apart")."""
    figures = CadenceFigures()
    children = _in_cadence(Child.objects.live().filter(agency_id__in=agency_ids))
    for row in child_rows(children, today=on):
        figures.in_cadence += 1
        if getattr(row.child, "last_discussed_on", None) is None:
            figures.never_discussed += 1
        if row.overdue:
            figures.overdue += 1
        else:
            figures.within_cadence += 1
    return figures


def review_meeting_figures(*, agency_ids: set[int], start: dt.date, end: dt.date) -> dict[str, int]:
    """Review meetings held between ``start`` and ``end``, and how many the child was
    discussed before (see cadence.review_covered)."""
    discussion = _model("CaseDiscussion")
    meetings = ReviewMeeting.objects.live().filter(
        child__agency_id__in=agency_ids, meets_on__gte=start, meets_on__lte=end
    )
    previous = ReviewMeeting.objects.live().filter(
        child=OuterRef("child"), meets_on__lt=OuterRef("meets_on")
    )
    meetings = meetings.annotate(
        previous_on=Subquery(previous.order_by("-meets_on").values("meets_on")[:1])
    )
    if discussion is not None:
        meetings = meetings.annotate(
            discussed_on=Subquery(
                discussion.objects.live()
                .filter(child=OuterRef("child"), discussed_on__lte=OuterRef("meets_on"))
                .order_by("-discussed_on")
                .values("discussed_on")[:1]
            )
        )
    rows = list(
        meetings.values(
            "meets_on",
            "previous_on",
            "child__agency_id",
            *(["discussed_on"] if discussion is not None else []),
        )
    )
    rules = agency_rules(set(agency_ids), on=end)
    covered = 0
    for row in rows:
        rule = rules.get(row["child__agency_id"])
        ceiling = rule.ceiling_days if rule else rules_of_cadence.DEFAULT_CEILING_DAYS
        if rules_of_cadence.review_covered(
            meets_on=row["meets_on"],
            last_discussed_on=row.get("discussed_on"),
            previous_meeting_on=row["previous_on"],
            ceiling_days=ceiling,
        ):
            covered += 1
    return {"meetings": len(rows), "discussed_before": covered}


def drift_flag_figures(*, agency_ids: set[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    """Drift flags raised and resolved (acknowledged with a decision) in the period, by rule,
    and those open now."""
    flags = DriftFlag.objects.live().filter(child__agency_id__in=agency_ids)
    raised = flags.filter(raised_on__gte=start, raised_on__lte=end)
    resolved = flags.filter(acknowledged_at__date__gte=start, acknowledged_at__date__lte=end)
    by_rule = dict(
        raised.order_by().values_list("rule").annotate(n=Count("pk")).values_list("rule", "n")
    )
    return {
        "raised": raised.count(),
        "resolved": resolved.count(),
        "open": flags.filter(acknowledged_at__isnull=True).count(),
        "raised_by_rule": by_rule,
    }


def escalation_figures(*, agency_ids: set[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    """Escalations raised in the period by their current level, how many were resolved and
    the average days from raising to resolution."""
    raised = Escalation.objects.live().filter(
        Q(agency_id__in=agency_ids) | Q(about_agency_id__in=agency_ids),
        created_at__date__gte=start,
        created_at__date__lte=end,
    )
    by_level = dict(
        raised.order_by().values_list("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    resolved = list(
        raised.filter(status=EscalationStatus.RESOLVED).values_list("created_at", "resolved_at")
    )
    days = [(r - c).total_seconds() / 86400 for c, r in resolved if r is not None]
    return {
        "raised": raised.count(),
        "by_level": by_level,
        "resolved": len(resolved),
        "average_days_to_resolve": round(sum(days) / len(days), 1) if days else None,
    }


def decisions_on_file_figures(
    *, agency_ids: set[int], start: dt.date, end: dt.date, today: dt.date
) -> dict[str, int]:
    """Decisions made in the period: on the child's file within two working days (by
    file_due_on), recorded late, and still waiting past their due date."""
    decision = _model("Decision")
    if decision is None:
        return {"decisions": 0, "on_time": 0, "late": 0, "overdue": 0}
    made = decision.objects.live().filter(
        agency_id__in=agency_ids, decided_on__gte=start, decided_on__lte=end
    )
    return made.aggregate(
        decisions=Count("pk"),
        on_time=Count("pk", filter=Q(recorded_on_file_at__date__lte=F("file_due_on"))),
        late=Count("pk", filter=Q(recorded_on_file_at__date__gt=F("file_due_on"))),
        overdue=Count("pk", filter=Q(recorded_on_file_at__isnull=True, file_due_on__lt=today)),
    )
