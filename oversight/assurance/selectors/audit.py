"""Record audit: grades against the checklist, the strata a sample is drawn from, and the
audits and items a person may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from oversight.people.models import Agency
from oversight.supervision.models import WELLBEING_FIELDS, CaseDiscussion, RagRating

from ..models import (
    CHECKLIST,
    AuditedAgencyPart,
    AuditedChild,
    AuditedRecord,
    AuditStatus,
    Grade,
    RecordAudit,
    Stratum,
)
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


# Multi-agency audit (issue 13 item 5; seed 004 objective 2) ----------------------------------


def _involved_in(
    *, start: dt.date, end: dt.date, child_ids: set[int] | None = None
) -> dict[int, set[int]]:
    """Per child: the holding agency and each agency with an involvement of its own (not the
    holder's label) at some time in the period, as the partnership figures count them."""
    from oversight.children.models import AgencyInvolvement

    rows = (
        AgencyInvolvement.objects.live()
        .exclude(case_reference="")
        .filter(child__archived_at__isnull=True, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    )
    if child_ids is not None:
        rows = rows.filter(child_id__in=child_ids)
    agencies: dict[int, set[int]] = {}
    for child_id, agency_id, holder in rows.order_by().values_list(
        "child_id", "agency_id", "child__agency_id"
    ):
        agencies.setdefault(child_id, {holder}).add(agency_id)
    return agencies


def multi_agency_audit_strata(*, start: dt.date, end: dt.date) -> dict[str, set[int]]:
    """Child ids known to two or more agencies in the period, by stratum. Each agency's
    ratings are read in its own order: escalating (an agency rated the child worse than at its
    own previous discussion), high (an agency rated them red) and medium (amber). Each child in
    one stratum. Two queries, however many children."""
    agencies = _involved_in(start=start, end=end)
    known = {child_id for child_id, ids in agencies.items() if len(ids) >= 2}
    discussions = (
        CaseDiscussion.objects.live()
        .filter(child_id__in=known, discussed_on__lte=end)
        .order_by("child_id", "discussed_on", "id")
        .values_list("child_id", "agency_id", "discussed_on", "rag_rating")
    )
    rank = {RagRating.GREEN: 0, RagRating.AMBER: 1, RagRating.RED: 2}
    strata: dict[str, set[int]] = {s: set() for s in Stratum}
    previous: dict[tuple[int, int], str] = {}
    for child_id, agency_id, day, rag in discussions:
        if agency_id not in agencies[child_id]:
            continue
        before = previous.get((child_id, agency_id))
        previous[(child_id, agency_id)] = rag
        if day < start:
            continue
        if before is not None and rank[RagRating(rag)] > rank[RagRating(before)]:
            strata[Stratum.ESCALATING].add(child_id)
        elif rag == RagRating.RED:
            strata[Stratum.HIGH].add(child_id)
        elif rag == RagRating.AMBER:
            strata[Stratum.MEDIUM].add(child_id)
    strata[Stratum.HIGH] -= strata[Stratum.ESCALATING]
    strata[Stratum.MEDIUM] -= strata[Stratum.ESCALATING] | strata[Stratum.HIGH]
    return strata


def multi_agency_audit_records(
    *, child_ids: set[int], start: dt.date, end: dt.date
) -> tuple[dict[int, set[int]], list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """For the sampled children: the agencies involved in the period, each agency's session
    records that discussed them and its management oversight records of them in the period,
    as (child, record or oversight, agency). An agency's records count only while it was
    involved. Three queries."""
    from oversight.supervision.models import ManagementOversight

    agencies = _involved_in(start=start, end=end, child_ids=child_ids)
    records = sorted(
        {
            (child_id, record_id, agency_id)
            for child_id, record_id, agency_id in CaseDiscussion.objects.live()
            .filter(child_id__in=child_ids, discussed_on__range=(start, end))
            .order_by()
            .values_list("child_id", "record_id", "agency_id")
            if agency_id in agencies.get(child_id, set())
        }
    )
    oversights = sorted(
        (child_id, oversight_id, agency_id)
        for child_id, oversight_id, agency_id in ManagementOversight.objects.live()
        .filter(child_id__in=child_ids, made_on__range=(start, end))
        .order_by()
        .values_list("child_id", "pk", "agency_id")
        if agency_id in agencies.get(child_id, set())
    )
    return agencies, records, oversights


def _sampled_records(audit: RecordAudit) -> QuerySet[AuditedRecord]:
    return (
        AuditedRecord.objects.live()
        .filter(audit=audit)
        .select_related("record__session", "oversight", "source_agency")
        .defer(*(f"record__{name}" for name in WELLBEING_FIELDS))
        .order_by("source_agency__name", "pk")
    )


def audited_child_records(sampled: AuditedChild) -> list[AuditedRecord]:
    """One sampled child's records from each agency, in one query."""
    return list(_sampled_records(sampled.audit).filter(child_id=sampled.child_id))


def audited_children(audit: RecordAudit) -> list[AuditedChild]:
    """A multi-agency audit's children with their agencies' parts and sampled records: three
    queries however many children or agencies."""
    children = list(
        AuditedChild.objects.live()
        .filter(audit=audit)
        .select_related("child")
        .prefetch_related(
            Prefetch(
                "parts",
                queryset=AuditedAgencyPart.objects.live().select_related("agency"),
            )
        )
        .order_by("stratum", "child__display_name", "pk")
    )
    items: dict[int, list[AuditedRecord]] = {}
    for item in _sampled_records(audit):
        assert item.child_id is not None
        items.setdefault(item.child_id, []).append(item)
    for sampled in children:
        sampled.items = items.get(sampled.child_id, [])
    return children


def audited_child_detail(*, pk: int) -> AuditedChild:
    return (
        AuditedChild.objects.live()
        .select_related("audit", "child")
        .prefetch_related(
            Prefetch(
                "parts",
                queryset=AuditedAgencyPart.objects.live().select_related("agency"),
            )
        )
        .get(pk=pk)
    )


def multi_agency_audit_table(agencies: list[Agency], period: Period) -> Table:
    """The partnership dashboard's roll-up of multi-agency audits completed in the last twelve
    months: each agency's part and the multi-agency working, graded met / partly / not met
    (seed 004 objective 2). A child counts for every agency graded; small numbers hidden."""
    since = add_months(period.end, -12)
    done = Q(
        audited_child__audit__status=AuditStatus.COMPLETE,
        audited_child__audit__multi_agency=True,
        audited_child__audit__drawn_on__range=(since, period.end),
        audited_child__archived_at__isnull=True,
    )
    grades = {g.value: Count("pk", filter=Q(grade=g.value)) for g in Grade}
    parts = {
        r["agency_id"]: r
        for r in AuditedAgencyPart.objects.live()
        .filter(done, agency_id__in=[a.pk for a in agencies])
        .exclude(grade="")
        .order_by()
        .values("agency_id")
        .annotate(graded=Count("pk"), **grades)
    }
    working = (
        AuditedChild.objects.live()
        .filter(
            audit__status=AuditStatus.COMPLETE,
            audit__multi_agency=True,
            audit__drawn_on__range=(since, period.end),
        )
        .exclude(multi_agency_working="")
        .aggregate(
            graded=Count("pk"),
            **{g.value: Count("pk", filter=Q(multi_agency_working=g.value)) for g in Grade},
        )
    )
    table = Table(
        key="multi_agency_audit",
        caption="Multi-agency audit: each agency's part and the multi-agency working "
        "(completed audits, last 12 months)",
        columns=["Agency", "Children graded", *[f"% {g.label.lower()}" for g in Grade]],
        chart_column=2,
    )

    def row(name: str, found: dict[str, Any]) -> list[Any]:
        n = found.get("graded") or 0
        return [name, suppress(n, n), *[percent(found.get(g.value) or 0, n) for g in Grade]]

    for agency in agencies:
        table.rows.append(row(agency.name, parts.get(agency.pk, {})))
    table.rows.append(row("Multi-agency working", working))
    return table


def oversight_for_audit(*, oversight_id: int) -> Any:
    """A sampled management oversight record with who made it and its decisions (rationale,
    variation from procedure, on the child's file), in two queries."""
    from oversight.supervision.models import ManagementOversight

    return (
        ManagementOversight.objects.live()
        .select_related("made_by", "agency", "child")
        .prefetch_related("decisions")
        .get(pk=oversight_id)
    )
