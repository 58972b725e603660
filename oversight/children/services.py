"""Writes about children: the register and its history, drift flags, escalations, urgent
discussion requests, confidentiality disclosures and concerns about supervision itself.

``drift_evaluate(child=...)`` is the hook the supervision app calls after recording a case
discussion; ``drift_evaluate_agency`` runs it for a whole agency in bulk (the
``evaluate_drift_for_agency`` task and the demo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core.models import AuditAction, TrackedModel
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    tracked_create,
    tracked_update,
)
from oversight.core.workdays import add_working_days
from oversight.people.models import Agency, Person

from . import selectors
from .cadence import drift_findings
from .models import (
    ESCALATION_ORDER,
    AgencyInvolvement,
    Child,
    ChildAllocation,
    ChildStatus,
    ConcernStage,
    ConfidentialityDisclosure,
    DriftFlag,
    DriftSettings,
    Escalation,
    EscalationLevel,
    EscalationStatus,
    EscalationStep,
    EscalationSubject,
    LegalStatus,
    QualityConcern,
    ReviewMeeting,
    UrgentDiscussionRequest,
    UrgentRequestStatus,
)

T = TypeVar("T", bound=TrackedModel)


def _create(obj: T, *, by: Person | None) -> T:
    tracked_create(obj, by=by)
    return obj


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- The register ---------------------------------------------------------------------------


def _involvement_set(child: Child, agencies: list[Agency], *, by: Person, on: dt.date) -> None:
    """Keep Child.agencies_involved and its history in step: end the involvement of agencies
    no longer involved (the day before ``on``) and open one for each new agency."""
    wanted = {a.pk for a in agencies if a.pk != child.agency_id}
    current = {
        i.agency_id: i
        for i in AgencyInvolvement.objects.live().filter(child=child, ends_on__isnull=True)
    }
    for agency_id, involvement in current.items():
        if agency_id not in wanted:
            involvement.ends_on = max(involvement.starts_on, on - dt.timedelta(days=1))
            tracked_update(involvement, by=by)
    for agency_id in wanted - set(current):
        _create(AgencyInvolvement(child=child, agency_id=agency_id, starts_on=on), by=by)
    child.agencies_involved.set(list(wanted))


@transaction.atomic
def child_create(
    *,
    by: Person,
    agency: Agency,
    case_reference: str,
    display_name: str,
    legal_status: str,
    status_since: dt.date,
    allocated_practitioner: Person | None,
    date_of_birth: dt.date | None = None,
    agencies_involved: Iterable[Agency] = (),
    origin: RequestOrigin | None = None,
) -> Child:
    """Add a child with their first status and allocation (issue 4 item 1)."""
    if Child.objects.filter(agency=agency, case_reference=case_reference.strip()).exists():
        raise ValidationError(
            {"case_reference": "A child with this case reference is already on the register."}
        )
    child = Child(
        agency=agency,
        case_reference=case_reference.strip(),
        display_name=display_name.strip(),
        date_of_birth=date_of_birth,
        legal_status=legal_status,
        legal_status_since=status_since,
        allocated_practitioner=allocated_practitioner,
    )
    _create(child, by=by)
    _involvement_set(child, list(agencies_involved), by=by, on=status_since)
    _create(ChildStatus(child=child, status=legal_status, starts_on=status_since), by=by)
    if allocated_practitioner is not None:
        _create(
            ChildAllocation(
                child=child, practitioner=allocated_practitioner, starts_on=status_since
            ),
            by=by,
        )
    audit_event_record(actor=by, action=AuditAction.CREATE, target=child, origin=origin)
    return child


@transaction.atomic
def child_update(
    *,
    child: Child,
    by: Person,
    expected_version: int | None,
    case_reference: str,
    display_name: str,
    date_of_birth: dt.date | None,
    agencies_involved: Iterable[Agency],
    origin: RequestOrigin | None = None,
) -> Child:
    """Change the child's details. Status and allocation have their own services, so their
    history is kept."""
    clash = Child.objects.filter(agency_id=child.agency_id, case_reference=case_reference.strip())
    if clash.exclude(pk=child.pk).exists():
        raise ValidationError(
            {"case_reference": "A child with this case reference is already on the register."}
        )
    child.case_reference = case_reference.strip()
    child.display_name = display_name.strip()
    child.date_of_birth = date_of_birth
    tracked_update(child, by=by, expected_version=expected_version)
    _involvement_set(child, list(agencies_involved), by=by, on=timezone.localdate())
    audit_event_record(actor=by, action=AuditAction.CHANGE, target=child, origin=origin)
    return child


@transaction.atomic
def child_status_change(
    *,
    child: Child,
    by: Person,
    status: str,
    starts_on: dt.date,
    origin: RequestOrigin | None = None,
) -> ChildStatus:
    """Close the current status the day before ``starts_on`` and open the next one, keeping
    Child.legal_status in step. The cadence clock restarts from ``starts_on``."""
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if status not in LegalStatus.values:
        raise ValidationError({"status": "Choose a legal status."})
    current = (
        ChildStatus.objects.live()
        .filter(child=locked, ends_on__isnull=True)
        .order_by("-starts_on")
        .first()
    )
    if current is not None:
        if current.status == status:
            raise ValidationError({"status": "The child already has this status."})
        if starts_on <= current.starts_on:
            raise ValidationError(
                {
                    "starts_on": "The new status must start after the current one began "
                    f"({current.starts_on:%-d %B %Y})."
                }
            )
        current.ends_on = starts_on - dt.timedelta(days=1)
        tracked_update(current, by=by)
    new = _create(ChildStatus(child=locked, status=status, starts_on=starts_on), by=by)
    locked.legal_status = status
    locked.legal_status_since = starts_on
    tracked_update(locked, by=by)
    audit_event_record(
        actor=by,
        action=AuditAction.CHANGE,
        target=locked,
        origin=origin,
        detail={"status": status, "from": str(starts_on)},
    )
    return new


@transaction.atomic
def child_allocate(
    *,
    child: Child,
    by: Person,
    practitioner: Person,
    starts_on: dt.date,
    reason: str = "",
    origin: RequestOrigin | None = None,
) -> ChildAllocation:
    """Allocate the child to a practitioner, ending the current allocation."""
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if locked.allocated_practitioner_id == practitioner.pk:
        raise ValidationError({"practitioner": "The child is already allocated to this person."})
    current = (
        ChildAllocation.objects.live()
        .filter(child=locked, ends_on__isnull=True)
        .order_by("-starts_on")
        .first()
    )
    if current is not None:
        if starts_on <= current.starts_on:
            raise ValidationError(
                {"starts_on": "The new allocation must start after the current one began."}
            )
        current.ends_on = starts_on - dt.timedelta(days=1)
        tracked_update(current, by=by)
    allocation = _create(
        ChildAllocation(
            child=locked, practitioner=practitioner, starts_on=starts_on, reason=reason.strip()
        ),
        by=by,
    )
    locked.allocated_practitioner = practitioner
    tracked_update(locked, by=by)
    audit_event_record(
        actor=by,
        action=AuditAction.CHANGE,
        target=locked,
        origin=origin,
        detail={"allocated_to": practitioner.pk},
    )
    return allocation


@transaction.atomic
def review_meeting_add(
    *,
    child: Child,
    by: Person,
    kind: str,
    meets_on: dt.date,
    notes: str = "",
    origin: RequestOrigin | None = None,
) -> ReviewMeeting:
    meeting = _create(
        ReviewMeeting(child=child, kind=kind, meets_on=meets_on, notes=notes.strip()), by=by
    )
    audit_event_record(actor=by, action=AuditAction.CREATE, target=meeting, origin=origin)
    return meeting


@transaction.atomic
def drift_settings_update(
    *,
    agency: Agency,
    by: Person,
    values: dict[str, Any],
    expected_version: int | None = None,
    origin: RequestOrigin | None = None,
) -> DriftSettings:
    """Save the agency's drift rules, thresholds and windows."""
    settings = DriftSettings.objects.select_for_update().filter(agency=agency).first()
    if settings is None:
        settings = DriftSettings(agency=agency, **values)
        _create(settings, by=by)
    else:
        for name, value in values.items():
            setattr(settings, name, value)
        tracked_update(settings, by=by, expected_version=expected_version)
    audit_event_record(actor=by, action=AuditAction.CHANGE, target=settings, origin=origin)
    return settings


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
        _create(flag, by=None)
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
    *, flag: DriftFlag, by: Person, decision: str, origin: RequestOrigin | None = None
) -> DriftFlag:
    """Acknowledge a drift flag with the decision taken about it; the flag then closes."""
    decision = _required(decision, "decision", "Enter the decision taken about this drift.")
    locked = DriftFlag.objects.select_for_update().get(pk=flag.pk)
    if locked.acknowledged_at is not None:
        raise ValidationError("This flag has already been acknowledged.")
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = by
    locked.decision = decision
    tracked_update(locked, by=by)
    audit_event_record(actor=by, action=AuditAction.CHANGE, target=locked, origin=origin)
    return locked


# --- Escalation (seed 004 objective 7) ------------------------------------------------------


def _open_step(
    escalation: Escalation, level: str, today: dt.date, by: Person | None
) -> EscalationStep:
    settings = selectors.drift_settings_for(escalation.agency_id)
    due = add_working_days(today, settings.escalation_days(level), escalation.agency.nation)
    return _create(
        EscalationStep(escalation=escalation, level=level, started_on=today, response_due_on=due),
        by=by,
    )


@transaction.atomic
def escalation_raise(
    *,
    by: Person,
    agency: Agency,
    subject: str,
    reason: str,
    what_was_tried: str,
    level: str = EscalationLevel.SUPERVISOR,
    child: Child | None = None,
    about_agency: Agency | None = None,
    today: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> Escalation:
    """Raise a concern about a child or about another agency's response."""
    day = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = "Enter what the concern is."
    if not (what_was_tried or "").strip():
        errors["what_was_tried"] = "Enter what has been tried already."
    if subject == EscalationSubject.CHILD and child is None:
        errors["child"] = "Choose the child this is about."
    if subject == EscalationSubject.AGENCY_RESPONSE:
        if about_agency is None:
            errors["about_agency"] = "Choose the agency whose response this is about."
        elif about_agency.pk == agency.pk:
            errors["about_agency"] = "Choose another agency, not your own."
    if child is not None and child.agency_id != agency.pk:
        errors["child"] = "Choose a child known to your agency."
    if level not in ESCALATION_ORDER:
        errors["level"] = "Choose the level."
    if errors:
        raise ValidationError(errors)
    escalation = _create(
        Escalation(
            agency=agency,
            subject=subject,
            child=child,
            about_agency=about_agency if subject == EscalationSubject.AGENCY_RESPONSE else None,
            raised_by=by,
            reason=reason.strip(),
            what_was_tried=what_was_tried.strip(),
            level=level,
        ),
        by=by,
    )
    _open_step(escalation, level, day, by)
    audit_event_record(actor=by, action=AuditAction.CREATE, target=escalation, origin=origin)
    return escalation


def _lock_open(escalation: Escalation) -> tuple[Escalation, EscalationStep]:
    locked = Escalation.objects.select_for_update().select_related("agency").get(pk=escalation.pk)
    if locked.status != EscalationStatus.OPEN:
        raise ValidationError("This escalation has been resolved.")
    step = (
        EscalationStep.objects.select_for_update()
        .filter(escalation=locked, ended_on__isnull=True)
        .order_by("-started_on", "-id")
        .first()
    )
    if step is None:
        raise ValidationError("This escalation has no open level.")
    return locked, step


@transaction.atomic
def escalation_acknowledge(
    *, escalation: Escalation, by: Person, response: str, origin: RequestOrigin | None = None
) -> EscalationStep:
    """The person at the current level acknowledges the escalation and responds."""
    response = _required(response, "response", "Enter your response.")
    locked, step = _lock_open(escalation)
    if step.acknowledged_at is None:
        step.acknowledged_at = timezone.now()
        step.acknowledged_by = by
    step.response = response
    tracked_update(step, by=by)
    audit_event_record(actor=by, action=AuditAction.CHANGE, target=locked, origin=origin)
    return step


@transaction.atomic
def escalation_escalate(
    *,
    escalation: Escalation,
    by: Person,
    reason: str,
    today: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> EscalationStep:
    """Move an unresolved escalation to the next level, with a new response due date."""
    reason = _required(reason, "reason", "Enter why this needs the next level.")
    day = today or timezone.localdate()
    locked, step = _lock_open(escalation)
    index = ESCALATION_ORDER.index(locked.level)
    if index + 1 >= len(ESCALATION_ORDER):
        raise ValidationError("This escalation is already at the highest level.")
    step.ended_on = day
    if not step.response:
        step.response = f"Escalated without a response: {reason}"
    tracked_update(step, by=by)
    locked.level = ESCALATION_ORDER[index + 1]
    tracked_update(locked, by=by)
    new = _open_step(locked, locked.level, day, by)
    audit_event_record(
        actor=by,
        action=AuditAction.CHANGE,
        target=locked,
        origin=origin,
        detail={"escalated_to": locked.level, "reason": reason},
    )
    return new


@transaction.atomic
def escalation_resolve(
    *,
    escalation: Escalation,
    by: Person,
    outcome: str,
    today: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> Escalation:
    outcome = _required(outcome, "outcome", "Enter the outcome.")
    day = today or timezone.localdate()
    locked, step = _lock_open(escalation)
    step.ended_on = day
    if step.acknowledged_at is None:
        step.acknowledged_at = timezone.now()
        step.acknowledged_by = by
    tracked_update(step, by=by)
    locked.status = EscalationStatus.RESOLVED
    locked.outcome = outcome
    locked.resolved_at = timezone.now()
    locked.resolved_by = by
    tracked_update(locked, by=by)
    audit_event_record(actor=by, action=AuditAction.CHANGE, target=locked, origin=origin)
    return locked


# --- Urgent discussion ---------------------------------------------------------------------


@transaction.atomic
def urgent_request_make(
    *,
    by: Person,
    supervisor: Person,
    agency: Agency,
    concern: str,
    child: Child | None = None,
    origin: RequestOrigin | None = None,
) -> UrgentDiscussionRequest:
    concern = _required(concern, "concern", "Enter what you are concerned about.")
    request = _create(
        UrgentDiscussionRequest(
            agency=agency,
            requested_by=by,
            supervisor=supervisor,
            child=child,
            concern=concern,
            requested_at=timezone.now(),
        ),
        by=by,
    )
    audit_event_record(actor=by, action=AuditAction.CREATE, target=request, origin=origin)
    return request


@transaction.atomic
def urgent_request_respond(
    *,
    request: UrgentDiscussionRequest,
    by: Person,
    response: str,
    origin: RequestOrigin | None = None,
) -> UrgentDiscussionRequest:
    response = _required(response, "response", "Enter how you responded.")
    locked = UrgentDiscussionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != UrgentRequestStatus.WAITING:
        raise ValidationError("This request has already been responded to.")
    locked.status = UrgentRequestStatus.RESPONDED
    locked.responded_at = timezone.now()
    locked.responded_by = by
    locked.response = response
    tracked_update(locked, by=by)
    audit_event_record(actor=by, action=AuditAction.CHANGE, target=locked, origin=origin)
    return locked


# --- Confidentiality disclosures (seed 003) -------------------------------------------------


@transaction.atomic
def disclosure_record(
    *,
    by: Person,
    supervisee: Person,
    agency: Agency,
    category: str,
    reason: str,
    what_is_needed: str,
    child: Child | None = None,
    record_id: int | None = None,
    origin: RequestOrigin | None = None,
) -> ConfidentialityDisclosure:
    """Record a disclosure under one of seed 003's exceptions. The agency safeguarding lead is
    alerted by email (a background task) and on their home page; the supervisee is told."""
    from .tasks import disclosure_alert_leads

    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Enter why this is being disclosed."
    if not (what_is_needed or "").strip():
        errors["what_is_needed"] = "Enter what the safeguarding lead needs to do."
    if child is not None and child.agency_id != agency.pk:
        errors["child"] = "Choose a child known to your agency."
    if errors:
        raise ValidationError(errors)
    disclosure = _create(
        ConfidentialityDisclosure(
            agency=agency,
            made_by=by,
            supervisee=supervisee,
            category=category,
            reason=reason.strip(),
            what_is_needed=what_is_needed.strip(),
            child=child,
            record_id=record_id,
            made_at=timezone.now(),
        ),
        by=by,
    )
    audit_event_record(
        actor=by,
        action=AuditAction.DISCLOSE,
        target=disclosure,
        origin=origin,
        detail={"category": category, "supervisee": supervisee.pk},
    )
    transaction.on_commit(lambda: disclosure_alert_leads.enqueue(disclosure_id=disclosure.pk))
    return disclosure


def disclosure_mark_seen(
    *, disclosure: ConfidentialityDisclosure, by: Person, as_lead: bool
) -> None:
    """Note the first time the lead (or the supervisee) opened the disclosure."""
    field = "lead_seen_at" if as_lead else "supervisee_seen_at"
    ConfidentialityDisclosure.objects.filter(pk=disclosure.pk, **{f"{field}__isnull": True}).update(
        **{field: timezone.now()}
    )


# --- Supervision not at the required frequency or standard (seed 001 QA) --------------------


@transaction.atomic
def quality_concern_raise(
    *,
    by: Person,
    supervisor: Person,
    agency: Agency,
    kind: str,
    description: str,
    origin: RequestOrigin | None = None,
) -> QualityConcern:
    description = _required(description, "description", "Enter what the concern is.")
    if supervisor.pk == by.pk:
        raise ValidationError({"supervisor": "Choose your supervisor, not yourself."})
    concern = _create(
        QualityConcern(
            agency=agency, raised_by=by, supervisor=supervisor, kind=kind, description=description
        ),
        by=by,
    )
    audit_event_record(actor=by, action=AuditAction.CREATE, target=concern, origin=origin)
    return concern


@transaction.atomic
def quality_concern_one_to_one(
    *,
    concern: QualityConcern,
    by: Person,
    met_on: dt.date,
    outcome: str,
    resolved: bool,
    expected_version: int | None = None,
    origin: RequestOrigin | None = None,
) -> QualityConcern:
    """Stage 1: the outcome of the one-to-one. Unresolved moves it to a three-way meeting."""
    outcome = _required(outcome, "outcome", "Enter the outcome of the one-to-one.")
    locked = QualityConcern.objects.select_for_update().get(pk=concern.pk)
    if locked.stage != ConcernStage.ONE_TO_ONE:
        raise ValidationError("The one-to-one stage is over.")
    locked.one_to_one_on = met_on
    locked.one_to_one_outcome = outcome
    locked.stage = ConcernStage.RESOLVED if resolved else ConcernStage.THREE_WAY
    if resolved:
        locked.resolved_at = timezone.now()
    tracked_update(locked, by=by, expected_version=expected_version)
    audit_event_record(actor=by, action=AuditAction.CHANGE, target=locked, origin=origin)
    return locked


@transaction.atomic
def quality_concern_three_way(
    *,
    concern: QualityConcern,
    by: Person,
    met_on: dt.date,
    attendees: Iterable[Person],
    agreed_outcomes: str,
    expected_version: int | None = None,
    origin: RequestOrigin | None = None,
) -> QualityConcern:
    """Stage 2: the three-way meeting with supervisor and line managers, agreed outcomes."""
    agreed_outcomes = _required(
        agreed_outcomes, "agreed_outcomes", "Enter the outcomes agreed at the meeting."
    )
    locked = QualityConcern.objects.select_for_update().get(pk=concern.pk)
    if locked.stage != ConcernStage.THREE_WAY:
        raise ValidationError("This concern is not at the three-way meeting stage.")
    locked.three_way_on = met_on
    locked.agreed_outcomes = agreed_outcomes
    locked.stage = ConcernStage.RESOLVED
    locked.resolved_at = timezone.now()
    tracked_update(locked, by=by, expected_version=expected_version)
    locked.three_way_attendees.set(list(attendees))
    audit_event_record(actor=by, action=AuditAction.CHANGE, target=locked, origin=origin)
    return locked
