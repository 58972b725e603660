"""Escalation (seed 004 objective 7), urgent discussion requests, confidentiality disclosures
(seed 003) and concerns about supervision itself (seed 001 "Quality Assurance")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from oversight.core import hooks
from oversight.core.models import AuditAction, OutgoingEmail
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    outgoing_email_queue,
    outgoing_email_resend,
    submission_claim,
    submission_record,
    tracked_edit,
    tracked_update,
)
from oversight.core.workdays import add_working_days
from oversight.people.models import Agency, Person, Role, RoleAssignment

from .. import selectors
from ..models import (
    ESCALATION_ORDER,
    Child,
    ConcernStage,
    ConfidentialityDisclosure,
    Escalation,
    EscalationLevel,
    EscalationStatus,
    EscalationStep,
    EscalationSubject,
    QualityConcern,
    UrgentDiscussionRequest,
    UrgentRequestStatus,
)
from .base import _create, _required

# --- Escalation (seed 004 objective 7) ------------------------------------------------------


def _open_step(
    escalation: Escalation, level: str, today: dt.date, actor: Person | None
) -> EscalationStep:
    settings = selectors.drift_settings_for(escalation.agency_id)
    due = add_working_days(today, settings.escalation_days(level), escalation.agency.nation)
    return _create(
        EscalationStep(escalation=escalation, level=level, started_on=today, response_due_on=due),
        actor=actor,
    )


@transaction.atomic
def escalation_raise(
    *,
    actor: Person,
    agency: Agency,
    subject: str,
    reason: str,
    what_was_tried: str,
    level: str = EscalationLevel.SUPERVISOR,
    child: Child | None = None,
    about_agency: Agency | None = None,
    today: dt.date | None = None,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> Escalation:
    """Raise a concern about a child or about another agency's response. The same form sent
    twice raises it once (issue 10 item 6)."""
    if earlier := submission_claim(token=submission_token, actor=actor, model=Escalation):
        return earlier
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
            raised_by=actor,
            reason=reason.strip(),
            what_was_tried=what_was_tried.strip(),
            level=level,
        ),
        actor=actor,
    )
    submission_record(token=submission_token, target=escalation)
    _open_step(escalation, level, day, actor)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=escalation, origin=origin)
    hooks.event("escalation_raised", escalation=escalation)
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
    *, escalation: Escalation, actor: Person, response: str, origin: RequestOrigin | None = None
) -> EscalationStep:
    """The person at the current level acknowledges the escalation and responds."""
    response = _required(response, "response", "Enter your response.")
    locked, step = _lock_open(escalation)
    if step.acknowledged_at is None:
        step.acknowledged_at = timezone.now()
        step.acknowledged_by = actor
    step.response = response
    tracked_update(step, actor=actor)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=locked, origin=origin)
    return step


@transaction.atomic
def escalation_escalate(
    *,
    escalation: Escalation,
    actor: Person,
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
    tracked_update(step, actor=actor)
    locked.level = ESCALATION_ORDER[index + 1]
    tracked_update(locked, actor=actor)
    new = _open_step(locked, locked.level, day, actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=locked,
        origin=origin,
        detail={"escalated_to": locked.level, "reason": reason},
    )
    hooks.event("escalation_escalated", escalation=locked)
    return new


@transaction.atomic
def escalation_resolve(
    *,
    escalation: Escalation,
    actor: Person,
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
        step.acknowledged_by = actor
    tracked_update(step, actor=actor)
    locked.status = EscalationStatus.RESOLVED
    locked.outcome = outcome
    locked.resolved_at = timezone.now()
    locked.resolved_by = actor
    tracked_update(locked, actor=actor)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=locked, origin=origin)
    return locked


# --- Urgent discussion ---------------------------------------------------------------------


@transaction.atomic
def urgent_request_make(
    *,
    actor: Person,
    supervisor: Person,
    agency: Agency,
    concern: str,
    child: Child | None = None,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> UrgentDiscussionRequest:
    """Ask the supervisor for an urgent discussion. The same form sent twice asks once
    (issue 10 item 6)."""
    if earlier := submission_claim(
        token=submission_token, actor=actor, model=UrgentDiscussionRequest
    ):
        return earlier
    concern = _required(concern, "concern", "Enter what you are concerned about.")
    request = _create(
        UrgentDiscussionRequest(
            agency=agency,
            requested_by=actor,
            supervisor=supervisor,
            child=child,
            concern=concern,
            requested_at=timezone.now(),
        ),
        actor=actor,
    )
    submission_record(token=submission_token, target=request)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=request, origin=origin)
    hooks.event("urgent_request_made", request=request)
    return request


@transaction.atomic
def urgent_request_respond(
    *,
    request: UrgentDiscussionRequest,
    actor: Person,
    response: str,
    origin: RequestOrigin | None = None,
) -> UrgentDiscussionRequest:
    response = _required(response, "response", "Enter how you responded.")
    locked = UrgentDiscussionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != UrgentRequestStatus.WAITING:
        raise ValidationError("This request has already been responded to.")
    locked.status = UrgentRequestStatus.RESPONDED
    locked.responded_at = timezone.now()
    locked.responded_by = actor
    locked.response = response
    tracked_update(locked, actor=actor)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=locked, origin=origin)
    return locked


# --- Confidentiality disclosures (seed 003) -------------------------------------------------


@transaction.atomic
def disclosure_record(
    *,
    actor: Person,
    supervisee: Person,
    agency: Agency,
    category: str,
    reason: str,
    what_is_needed: str,
    child: Child | None = None,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> ConfidentialityDisclosure:
    """Record a disclosure under one of seed 003's exceptions. The agency safeguarding lead is
    alerted by email (core's outbox, written with the disclosure so it cannot be lost) and on
    their home page; the supervisee is told. The same form sent twice records it, and alerts,
    once (issue 10 item 6)."""
    if earlier := submission_claim(
        token=submission_token, actor=actor, model=ConfidentialityDisclosure
    ):
        return earlier
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
            made_by=actor,
            supervisee=supervisee,
            category=category,
            reason=reason.strip(),
            what_is_needed=what_is_needed.strip(),
            child=child,
            made_at=timezone.now(),
        ),
        actor=actor,
    )
    submission_record(token=submission_token, target=disclosure)
    audit_event_record(
        actor=actor,
        action=AuditAction.DISCLOSE,
        target=disclosure,
        origin=origin,
        detail={"category": category, "supervisee": supervisee.pk},
    )
    disclosure_alert_queue(disclosure=disclosure)
    hooks.event("disclosure_made", disclosure=disclosure)
    return disclosure


DISCLOSURE_ALERT = "Disclosure alert to the agency safeguarding lead"


def disclosure_alert_queue(*, disclosure: ConfidentialityDisclosure) -> list[OutgoingEmail]:
    """One email to each current safeguarding lead of the agency. It names no person and no
    detail: the lead signs in to read it (seed 003)."""
    today = timezone.localdate()
    leads = Person.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.on(today)
        .filter(role=Role.AGENCY_LEAD, agency_id=disclosure.agency_id)
        .values("person_id"),
    ).exclude(email="")
    link = settings.SITE_URL + reverse("children:disclosure_detail", args=[disclosure.pk])
    return [
        outgoing_email_queue(
            to=lead.email,
            subject="Oversight: a confidentiality disclosure needs your attention",
            body=(
                f"A safeguarding supervisor in {disclosure.agency.name} has recorded a "
                "disclosure from supervision under the confidentiality exceptions "
                f"({disclosure.get_category_display().lower()}).\n\n"
                f"Sign in to Oversight to read it and see what is needed: {link}\n"
            ),
            purpose=f"{DISCLOSURE_ALERT}, {disclosure.agency.name}",
            about=disclosure,
        )
        for lead in leads
    ]


@transaction.atomic
def disclosure_alert_resend(
    *, disclosure: ConfidentialityDisclosure, actor: Person, origin: RequestOrigin | None = None
) -> list[OutgoingEmail]:
    """Send again the disclosure's alerts that failed (issue 10 item 2: "Send again")."""
    failed = list(OutgoingEmail.objects.about(disclosure).failed())
    if not failed:
        raise ValidationError(
            "No alert about this disclosure has failed: there is nothing to send."
        )
    return [outgoing_email_resend(email=email, actor=actor, origin=origin) for email in failed]


def disclosure_mark_seen(
    *, disclosure: ConfidentialityDisclosure, actor: Person, as_lead: bool
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
    actor: Person,
    supervisor: Person,
    agency: Agency,
    kind: str,
    description: str,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> QualityConcern:
    """Raise a concern about supervision. The same form sent twice raises it once (issue 10
    item 6)."""
    if earlier := submission_claim(token=submission_token, actor=actor, model=QualityConcern):
        return earlier
    description = _required(description, "description", "Enter what the concern is.")
    if supervisor.pk == actor.pk:
        raise ValidationError({"supervisor": "Choose your supervisor, not yourself."})
    concern = _create(
        QualityConcern(
            agency=agency,
            raised_by=actor,
            supervisor=supervisor,
            kind=kind,
            description=description,
        ),
        actor=actor,
    )
    submission_record(token=submission_token, target=concern)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=concern, origin=origin)
    hooks.event("quality_concern_raised", concern=concern)
    return concern


@transaction.atomic
def quality_concern_one_to_one(
    *,
    concern: QualityConcern,
    actor: Person,
    met_on: dt.date,
    outcome: str,
    resolved: bool,
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> QualityConcern:
    """Stage 1: the outcome of the one-to-one. Unresolved moves it to a three-way meeting."""
    outcome = _required(outcome, "outcome", "Enter the outcome of the one-to-one.")
    locked = QualityConcern.objects.select_for_update().get(pk=concern.pk)
    if locked.stage != ConcernStage.ONE_TO_ONE:
        raise ValidationError("The one-to-one stage is over.")
    locked.one_to_one_on = met_on
    locked.one_to_one_outcome = outcome
    locked.one_to_one_recorded_by = actor
    locked.stage = ConcernStage.RESOLVED if resolved else ConcernStage.THREE_WAY
    if resolved:
        locked.resolved_at = timezone.now()
        locked.resolved_by = actor
    tracked_edit(locked, actor=actor, expected_version=expected_version)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=locked, origin=origin)
    return locked


@transaction.atomic
def quality_concern_three_way(
    *,
    concern: QualityConcern,
    actor: Person,
    met_on: dt.date,
    attendees: Iterable[Person],
    agreed_outcomes: str,
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> QualityConcern:
    """Stage 2: the three-way meeting with supervisor and line managers, agreed outcomes.
    The people who attended are the ones who agreed them."""
    agreed_outcomes = _required(
        agreed_outcomes, "agreed_outcomes", "Enter the outcomes agreed at the meeting."
    )
    attendees = list(attendees)
    if not attendees:
        raise ValidationError({"attendees": "Choose who attended the meeting."})
    locked = QualityConcern.objects.select_for_update().get(pk=concern.pk)
    if locked.stage != ConcernStage.THREE_WAY:
        raise ValidationError("This concern is not at the three-way meeting stage.")
    locked.three_way_on = met_on
    locked.agreed_outcomes = agreed_outcomes
    locked.three_way_recorded_by = actor
    locked.stage = ConcernStage.RESOLVED
    locked.resolved_at = timezone.now()
    locked.resolved_by = actor
    tracked_edit(locked, actor=actor, expected_version=expected_version)
    locked.three_way_attendees.set(attendees)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=locked, origin=origin)
    return locked
