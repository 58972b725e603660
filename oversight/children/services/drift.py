"""Drift flags (seed 004 objective 3): raised by ``drift_evaluate`` after a case discussion and
in bulk per agency; each stays until acknowledged with a decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    tracked_update,
)
from oversight.people.models import Person

from .. import selectors
from ..cadence import drift_findings
from ..models import (
    Child,
    DriftFlag,
)
from .base import _create, _required

# --- Drift ----------------------------------------------------------------------------------


def _raise_flags(
    child: Child, findings: list[tuple[str, str]], open_rules: set[str], today: dt.date
) -> list[DriftFlag]:
    return [
        DriftFlag(child=child, rule=rule, reason=reason, raised_on=today)
        for rule, reason in findings
        if rule not in open_rules
    ]


@transaction.atomic
def drift_evaluate(*, child: Child, today: dt.date | None = None) -> list[DriftFlag]:
    """Raise a flag for each drift rule the child now meets that has no open flag. Call it
    after a case discussion is recorded. Flags are never closed here: each stays until
    acknowledged with a decision."""
    day = today or timezone.localdate()
    locked = Child.objects.select_for_update().get(pk=child.pk)
    rules = selectors.agency_rules({locked.agency_id}, on=day)[locked.agency_id]
    findings = drift_findings(
        ratings=selectors.rag_history(locked.pk),
        cadence=selectors.child_cadence(locked, today=day),
        today=day,
        thresholds=selectors.thresholds_of(rules.settings),
    )
    open_rules = set(
        DriftFlag.objects.live()
        .filter(child=locked, acknowledged_at__isnull=True)
        .values_list("rule", flat=True)
    )
    flags = _raise_flags(locked, findings, open_rules, day)
    for flag in flags:
        _create(flag, actor=None)
        audit_event_record(actor=None, action=AuditAction.CREATE, target=flag)
    return flags


def drift_evaluate_agency(*, agency_id: int, today: dt.date | None = None) -> int:
    """Evaluate every live child of the agency in bulk (a fixed handful of queries per batch
    of children); returns how many flags were raised."""
    day = today or timezone.localdate()
    rules = selectors.agency_rules({agency_id}, on=day)[agency_id]
    thresholds = selectors.thresholds_of(rules.settings)
    children = selectors.with_cadence(
        Child.objects.live().filter(agency_id=agency_id).order_by("pk"), today=day
    )
    raised = 0
    batch: list[Any] = []

    def flush(batch: list[Any]) -> int:
        ids = [c.pk for c in batch]
        ratings = selectors.ratings_by_child(ids)
        open_rules: dict[int, set[str]] = {}
        for child_id, rule in (
            DriftFlag.objects.live()
            .filter(child_id__in=ids, acknowledged_at__isnull=True)
            .values_list("child_id", "rule")
        ):
            open_rules.setdefault(child_id, set()).add(rule)
        new: list[DriftFlag] = []
        now = timezone.now()
        for child in batch:
            findings = drift_findings(
                ratings=ratings.get(child.pk, []),
                cadence=selectors.cadence_of(child, rules, today=day),
                today=day,
                thresholds=thresholds,
            )
            for flag in _raise_flags(child, findings, open_rules.get(child.pk, set()), day):
                flag.created_at = flag.modified_at = now
                new.append(flag)
        with transaction.atomic():
            DriftFlag.objects.bulk_create(new, batch_size=1000)
        return len(new)

    for child in children.iterator(chunk_size=2000):
        batch.append(child)
        if len(batch) >= 2000:
            raised += flush(batch)
            batch = []
    if batch:
        raised += flush(batch)
    return raised


@transaction.atomic
def drift_flag_acknowledge(
    *, flag: DriftFlag, actor: Person, decision: str, origin: RequestOrigin | None = None
) -> DriftFlag:
    """Acknowledge a drift flag with the decision taken about it; the flag then closes."""
    decision = _required(decision, "decision", "Enter the decision taken about this drift.")
    locked = DriftFlag.objects.select_for_update().get(pk=flag.pk)
    if locked.acknowledged_at is not None:
        raise ValidationError("This flag has already been acknowledged.")
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = actor
    locked.decision = decision
    tracked_update(locked, actor=actor)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=locked, origin=origin)
    return locked
