"""Decisions about children and management oversight (seed 004 Definition and "The
Supervision Process"; seed 001 standard 6; issue 3 item 6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.children.models import Child
from oversight.core import events
from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    submission_claim,
    submission_record,
    tracked_create,
    tracked_update,
)
from oversight.core.workdays import add_working_days
from oversight.people.models import Agency, Person

from ..models import CaseDiscussion, Decision, DecisionKind, ManagementOversight, Session
from .line_management import decision_authorisation_request

FILE_WORKING_DAYS = 2  # seed 001 standard 6


@dataclass(frozen=True)
class DecisionInput:
    decision: str
    rationale: str
    variation_from_procedure: str = ""
    immediate_concern: bool = False
    kind: str = DecisionKind.OTHER


def file_due_on(*, decided_on: dt.date, immediate: bool, nation: str) -> dt.date:
    """Within two working days (001 standard 6); an immediate concern the same day (004
    objective 4: escalated at the time of identification)."""
    return decided_on if immediate else add_working_days(decided_on, FILE_WORKING_DAYS, nation)


def decision_create(
    *,
    actor: Person,
    child: Child,
    agency: Agency,
    decided_on: dt.date,
    item: DecisionInput,
    case_discussion: CaseDiscussion | None = None,
    management_oversight: ManagementOversight | None = None,
    origin: RequestOrigin | None = None,
) -> Decision:
    errors = {}
    if not item.decision.strip():
        errors["decision"] = "Enter the decision."
    if not item.rationale.strip():
        errors["rationale"] = "Enter the rationale for the decision."
    if item.kind not in DecisionKind.values:
        errors["kind"] = "Choose the kind of decision."
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        child=child,
        agency=agency,
        decided_on=decided_on,
        decided_by=actor,
        decision=item.decision.strip(),
        rationale=item.rationale.strip(),
        variation_from_procedure=item.variation_from_procedure.strip(),
        immediate_concern=item.immediate_concern,
        kind=item.kind,
        case_discussion=case_discussion,
        management_oversight=management_oversight,
        file_due_on=file_due_on(
            decided_on=decided_on, immediate=item.immediate_concern, nation=agency.nation
        ),
    )
    tracked_create(decision, actor=actor)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=decision, origin=origin)
    events.emit(
        "decision.made",
        decision_id=decision.pk,
        child_id=child.pk,
        agency_id=agency.pk,
        decided_on=decided_on.isoformat(),
        file_due_on=decision.file_due_on.isoformat(),
        immediate_concern=decision.immediate_concern,
    )
    # Issue 15 item 2: a kind the agency's policy names waits for a line manager.
    return decision_authorisation_request(actor=actor, decision=decision, origin=origin)


@transaction.atomic
def management_oversight_record(
    *,
    actor: Person,
    child: Child,
    made_on: dt.date,
    summary: str,
    decisions: Iterable[DecisionInput],
    session: Session | None = None,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> ManagementOversight:
    """A management oversight record with its decisions; kept apart from reflective
    supervision records (seed 004 Definition). The same form sent twice records it once
    (issue 10 item 6)."""
    if earlier := submission_claim(token=submission_token, actor=actor, model=ManagementOversight):
        return earlier
    decisions = list(decisions)
    if not decisions:
        raise ValidationError({"decision": "Enter the decision."})
    if made_on > timezone.localdate():
        raise ValidationError({"made_on": "The date cannot be in the future."})
    agency = Agency.objects.get(pk=child.agency_id)
    oversight = ManagementOversight(
        child=child,
        agency=agency,
        made_by=actor,
        made_on=made_on,
        summary=summary.strip(),
        session=session,
    )
    tracked_create(oversight, actor=actor)
    submission_record(token=submission_token, target=oversight)
    for item in decisions:
        decision_create(
            actor=actor,
            child=child,
            agency=agency,
            decided_on=made_on,
            item=item,
            management_oversight=oversight,
            origin=origin,
        )
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=oversight, origin=origin)
    return oversight


@transaction.atomic
def decision_record_on_file(
    *,
    actor: Person,
    decision: Decision,
    recorded_at: dt.datetime,
    case_system_reference: str,
    origin: RequestOrigin | None = None,
) -> Decision:
    """The practitioner confirms the decision is on the child's own file (seed 001 "Recording":
    management decisions are also recorded on the child's record held by the organisation)."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.recorded_on_file_at is not None:
        raise ValidationError("This decision is already recorded on the child's file.")
    errors = {}
    if recorded_at > timezone.now():
        errors["recorded_at"] = "The date cannot be in the future."
    elif timezone.localdate(recorded_at) < decision.decided_on:
        errors["recorded_at"] = "The date cannot be before the decision."
    if not (case_system_reference or "").strip():
        errors["case_system_reference"] = "Enter the reference of the entry in the case system."
    if errors:
        raise ValidationError(errors)
    decision.recorded_on_file_at = recorded_at
    decision.recorded_on_file_by = actor
    decision.case_system_reference = case_system_reference.strip()
    tracked_update(decision, actor=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=decision,
        origin=origin,
        detail={"recorded_on_file": True, "late": decision.recorded_late},
    )
    return decision


OVERDUE_ANNOUNCE_DAYS = 7


def decisions_overdue_announce(*, today: dt.date | None = None) -> int:
    """Announce (core.events ``decision.overdue``) each decision not on the child's file whose
    two working days (seed 001 standard 6) ran out in the last week. The daily job runs it;
    a handler that must act once per decision keeps what it has already acted on, so a day
    the job did not run is caught up the next day."""
    day = today or timezone.localdate()
    overdue = (
        Decision.objects.live()
        .filter(
            recorded_on_file_at__isnull=True,
            file_due_on__lt=day,
            file_due_on__gte=day - dt.timedelta(days=OVERDUE_ANNOUNCE_DAYS),
        )
        .order_by("file_due_on", "pk")
        .values_list("pk", "child_id", "agency_id", "file_due_on")
    )
    count = 0
    for decision_id, child_id, agency_id, due in overdue:
        events.emit(
            "decision.overdue",
            decision_id=decision_id,
            child_id=child_id,
            agency_id=agency_id,
            file_due_on=due.isoformat(),
        )
        count += 1
    return count
