"""Supervisor minimum requirements, exceptions to them, and qualifications (issue 15 item 5;
seed 004 "Supervision Standards": "each agency will identify the minimum requirements for
their supervisors including training, experience and qualification")."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core.services import RequestOrigin, tracked_archive

from .. import standards
from ..models import (
    Agency,
    Person,
    Qualification,
    Role,
    RoleAssignment,
    SupervisorException,
    SupervisorRequirements,
)
from .base import _create, _update

REQUIREMENT_FIELDS = (
    "training_course",
    "training_must_be_in_date",
    "experience_years",
    "qualification",
)


def _ensure_leads(actor: Person, agency: Agency, on: dt.date) -> None:
    if (
        not RoleAssignment.objects.on(on)
        .filter(person=actor, agency=agency, role=Role.AGENCY_LEAD)
        .exists()
    ):
        raise ValidationError(f"Only a safeguarding lead of {agency.name} can do this.")


@transaction.atomic
def supervisor_requirements_set(
    *,
    actor: Person,
    agency: Agency,
    values: dict[str, object],
    expected_version: int | None = None,
    origin: RequestOrigin | None = None,
) -> SupervisorRequirements:
    """Set the agency's minimum requirements for supervisors (seed 004). The first time
    creates them; afterwards the same row is changed, each change audited."""
    Agency.objects.select_for_update().filter(pk=agency.pk).exists()
    values = {k: v for k, v in values.items() if k in REQUIREMENT_FIELDS}
    if isinstance(values.get("training_course"), str):
        values["training_course"] = str(values["training_course"]).strip()
    if isinstance(values.get("qualification"), str):
        values["qualification"] = str(values["qualification"]).strip()
    current = (
        SupervisorRequirements.objects.live().select_for_update().filter(agency=agency).first()
    )
    if current is None:
        requirements = SupervisorRequirements(agency=agency, **values)
        requirements.full_clean()
        return _create(requirements, actor=actor, origin=origin)
    return _update(
        current,
        actor=actor,
        changes=values,
        allowed=REQUIREMENT_FIELDS,
        expected_version=expected_version,
        origin=origin,
    )


@transaction.atomic
def supervisor_exception_grant(
    *,
    actor: Person,
    agency: Agency,
    supervisor: Person,
    reason: str,
    review_by: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> SupervisorException:
    """A lead records why someone may supervise in their agency although they fall short of
    its minimum requirements (seed 004): who, when, why, and what they lacked then."""
    today = timezone.localdate()
    _ensure_leads(actor, agency, today)
    Person.objects.select_for_update().filter(pk=supervisor.pk).exists()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why they may supervise without meeting them."})
    if review_by is not None and review_by < today:
        raise ValidationError({"review_by": "The review date must be today or later."})
    missing = standards.person_shortfalls(person=supervisor, agency=agency, on=today)
    if not missing:
        raise ValidationError(
            f"{supervisor.display_name} meets {agency.name}'s minimum requirements for "
            "supervisors, so no exception is needed."
        )
    if standards.exception_in_force(person_id=supervisor.pk, agency_id=agency.pk, on=today):
        raise ValidationError(
            f"An exception for {supervisor.display_name} is already in force. Withdraw it "
            "first to record a new one."
        )
    exception = SupervisorException(
        agency=agency,
        supervisor=supervisor,
        reason=reason,
        shortfalls=missing,
        granted_by=actor,
        granted_on=today,
        review_by=review_by,
    )
    return _create(exception, actor=actor, origin=origin)


@transaction.atomic
def supervisor_exception_withdraw(
    *,
    actor: Person,
    exception: SupervisorException,
    reason: str,
    origin: RequestOrigin | None = None,
) -> SupervisorException:
    exception = SupervisorException.objects.select_for_update().get(pk=exception.pk)
    _ensure_leads(actor, exception.agency, timezone.localdate())
    tracked_archive(exception, actor=actor, reason=reason)
    return exception


def supervisor_check(
    *, supervisor: Person, agency: Agency, on: dt.date, field: str = "supervisor"
) -> None:
    """Refuse a supervisor who falls short of the agency's minimum requirements on ``on``
    unless a lead has recorded an exception in force then (issue 15 item 5)."""
    missing = standards.person_shortfalls(person=supervisor, agency=agency, on=on)
    if not missing:
        return
    if standards.exception_in_force(person_id=supervisor.pk, agency_id=agency.pk, on=on):
        return
    lacking = "; ".join(m[0].lower() + m[1:] for m in missing)
    raise ValidationError(
        {
            field: f"{supervisor.display_name} does not meet the minimum requirements for "
            f"supervisors in {agency.name}: {lacking}. Choose someone else, or ask a "
            f"safeguarding lead of {agency.name} to record an exception."
        }
    )


@transaction.atomic
def qualification_add(
    *,
    actor: Person,
    person: Person,
    name: str,
    awarded_on: dt.date,
    origin: RequestOrigin | None = None,
) -> Qualification:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the name of the qualification."})
    if awarded_on > timezone.localdate():
        raise ValidationError({"awarded_on": "The date awarded must be today or earlier."})
    Person.objects.select_for_update().filter(pk=person.pk).exists()
    return _create(
        Qualification(person=person, name=name, awarded_on=awarded_on), actor=actor, origin=origin
    )


@transaction.atomic
def qualification_archive(
    *,
    actor: Person,
    qualification: Qualification,
    reason: str,
    origin: RequestOrigin | None = None,
) -> Qualification:
    tracked_archive(qualification, actor=actor, reason=reason)
    return qualification
