"""Drift flags (seed 004 objective 3): raised by ``drift_evaluate`` after a case discussion and
in bulk per agency; each stays until acknowledged with a decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from oversight.core import events
from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    tracked_update,
)
from oversight.people.models import Person

from .. import selectors
from ..cadence import drift_findings, review_window_opens_on
from ..models import (
    CADENCE_STATUSES,
    PARTNERSHIP_RULES,
    AgencyInvolvement,
    Child,
    DriftFlag,
    LegalStatus,
    ReviewMeeting,
)
from ..partnership import PastMeeting, partnership_findings, still_to_raise
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
        _announce(flag, locked.agency_id)
    partnership = partnership_drift_evaluate(child_ids=[locked.pk], today=day)
    for flag in partnership:
        audit_event_record(actor=None, action=AuditAction.CREATE, target=flag)
    return flags + partnership


def multi_agency_child_ids(*, on: dt.date) -> QuerySet[Any]:
    """Children another agency besides the holding one is involved with on ``on``."""
    return (
        AgencyInvolvement.objects.on(on)
        .exclude(case_reference="")
        .filter(held_elsewhere=True, child__archived_at__isnull=True)
        .values_list("child_id", flat=True)
        .distinct()
    )


def partnership_drift_evaluate(
    *, child_ids: Iterable[int] | None = None, today: dt.date | None = None
) -> list[DriftFlag]:
    """Raise the partnership-level flags (issue 13 item 3; ``children.partnership``) for the
    given children, or for every child known to two or more agencies: a fixed handful of
    queries per batch of 2,000 children. Returns the flags raised."""
    day = today or timezone.localdate()
    ids = sorted(set(child_ids if child_ids is not None else multi_agency_child_ids(on=day)))
    raised: list[DriftFlag] = []
    for start in range(0, len(ids), 2000):
        raised += _partnership_batch(ids[start : start + 2000], day)
    return raised


def _partnership_batch(ids: list[int], day: dt.date) -> list[DriftFlag]:
    children = list(
        Child.objects.live()
        .filter(pk__in=ids)
        .exclude(legal_status=LegalStatus.CLOSED)
        .select_related("agency")
    )
    if not children:
        return []
    ids = [c.pk for c in children]
    involvements = selectors.current_involvements(ids, on=day)
    discussions = selectors.discussions_by_agency(ids, on=day)
    meetings: dict[int, ReviewMeeting] = {}
    for meeting in (
        ReviewMeeting.objects.live()
        .filter(child_id__in=ids, meets_on__lt=day)
        .order_by("child_id", "meets_on", "id")
    ):
        meetings[meeting.child_id] = meeting
    rules = selectors.agency_rules({c.agency_id for c in children}, on=day)
    flags: dict[int, list[tuple[str, dt.date, bool]]] = {}
    for child_id, rule, raised_on, acknowledged_at in (
        DriftFlag.objects.live()
        .filter(child_id__in=ids, rule__in=PARTNERSHIP_RULES)
        .values_list("child_id", "rule", "raised_on", "acknowledged_at")
    ):
        flags.setdefault(child_id, []).append((rule, raised_on, acknowledged_at is None))
    new: list[DriftFlag] = []
    now = timezone.now()
    for child in children:
        parts = selectors.parts_of(child, involvements.get(child.pk, []))
        if len(parts) < 2:
            continue
        starts = sorted(p.starts_on or child.created_at.date() for p in parts)
        owner_rules = rules[child.agency_id]
        meeting = meetings.get(child.pk)
        past = None
        if meeting is not None:
            past = PastMeeting(
                meets_on=meeting.meets_on,
                kind=meeting.get_kind_display(),
                window_opens_on=review_window_opens_on(
                    meets_on=meeting.meets_on,
                    window_working_days=owner_rules.window_working_days,
                    nation=owner_rules.nation,
                ),
            )
        findings = partnership_findings(
            agencies={p.agency.pk: p.agency.name for p in parts},
            involved_since=starts[1],
            discussions=discussions.get(child.pk, []),
            meeting=past,
            today=day,
            in_cadence=child.legal_status in CADENCE_STATUSES,
        )
        for finding in still_to_raise(findings, flags.get(child.pk, [])):
            new.append(
                DriftFlag(
                    child=child,
                    rule=finding.rule,
                    reason=finding.reason,
                    raised_on=day,
                    created_at=now,
                    modified_at=now,
                )
            )
    with transaction.atomic():
        DriftFlag.objects.bulk_create(new, batch_size=1000)
        for flag in new:
            _announce(flag, flag.child.agency_id)
    return new


def _announce(flag: DriftFlag, agency_id: int) -> None:
    events.emit(
        "drift.flagged",
        flag_id=flag.pk,
        child_id=flag.child_id,
        agency_id=agency_id,
        rule=flag.rule,
        raised_on=flag.raised_on.isoformat(),
    )


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
            for flag in new:
                _announce(flag, agency_id)
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
