"""Record audit: grades against the checklist, the strata a sample is drawn from, and the
audits and items a person may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from oversight.people.models import Agency
from oversight.supervision.models import WELLBEING_FIELDS, CaseDiscussion, RagRating

from ..models import CHECKLIST, AuditedRecord, AuditStatus, RecordAudit, Stratum
from ..periods import add_months
from ..suppression import percent, suppress
from ..tables import Table
from .period import Period


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
