"""A practitioner's caseload: the children allocated to them, counted (seed 004 Definition:
oversight "takes into account ... the practitioner's overall caseload"; seed 001: shared
responsibility for workload). Shown where supervision and oversight discuss workload."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from ..models import AgencyInvolvement, Child, LegalStatus


@dataclass(frozen=True)
class Caseload:
    """How many children are allocated to one person, and how many at each legal status."""

    total: int = 0
    by_status: list[tuple[str, int]] = field(default_factory=list)


def caseload_of(person_id: int, *, on: dt.date | None = None) -> Caseload:
    """Open children allocated to the person in their own agency, and children of another
    agency that the person's agency is involved with and has allocated to them (issue 13).
    Closed children are not counted. One query."""
    day = on or timezone.localdate()
    involved = (
        AgencyInvolvement.objects.on(day)
        .filter(allocated_worker_id=person_id)
        .exclude(case_reference="")
        .values("child_id")
    )
    statuses = [
        status
        for _, status in Child.objects.live()
        .exclude(legal_status=LegalStatus.CLOSED)
        .filter(Q(allocated_practitioner_id=person_id) | Q(pk__in=involved))
        .values_list("pk", "legal_status")
        .distinct()
    ]
    counts = {value: statuses.count(value) for value in set(statuses)}
    return Caseload(
        total=len(statuses),
        by_status=[
            (label, counts[value]) for value, label in LegalStatus.choices if counts.get(value)
        ],
    )
