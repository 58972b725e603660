"""Roles (per agency, or partnership-wide) and supervisor training records."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oversight.core import hooks
from oversight.core.services import (
    RequestOrigin,
    submission_claim,
    submission_record,
    tracked_archive,
)

from ..models import (
    PARTNERSHIP_ROLES,
    Agency,
    Membership,
    Person,
    Role,
    RoleAssignment,
    TrainingKind,
    TrainingRecord,
)
from .base import _create, _end


@transaction.atomic
def role_assign(
    *,
    actor: Person,
    person: Person,
    role: str,
    starts_on: dt.date,
    agency: Agency | None = None,
    origin: RequestOrigin | None = None,
) -> RoleAssignment:
    """Give someone a role: per agency, or partnership-wide for auditor and administrator."""
    if role in PARTNERSHIP_ROLES:
        agency = None
    Person.objects.select_for_update().filter(pk=person.pk).exists()
    if (
        RoleAssignment.objects.live()
        .filter(person=person, role=role, agency=agency)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .exists()
    ):
        raise ValidationError({"role": "This person already holds this role there."})
    if (
        role == Role.AGENCY_LEAD
        and agency is not None
        and not Membership.objects.on(starts_on).filter(person=person, agency=agency).exists()
    ):
        # A lead sees everyone in the agency (people.rules): only someone who works there.
        raise ValidationError(
            {
                "agency": f"{person.display_name} has no post in {agency.name} on "
                f"{starts_on:%-d %B %Y}. Add their post there first, then make them its "
                "safeguarding lead."
            }
        )
    assignment = RoleAssignment(person=person, role=role, agency=agency, starts_on=starts_on)
    return _create(assignment, actor=actor, origin=origin)


@transaction.atomic
def role_end(
    *,
    actor: Person,
    assignment: RoleAssignment,
    ends_on: dt.date,
    origin: RequestOrigin | None = None,
) -> RoleAssignment:
    return _end(assignment, actor=actor, ends_on=ends_on, origin=origin, what="role")


@transaction.atomic
def training_record_add(
    *,
    actor: Person,
    person: Person,
    course: str,
    completed_on: dt.date,
    expires_on: dt.date | None = None,
    kind: str = TrainingKind.SUPERVISOR,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> TrainingRecord:
    """Supervisor training (seed 001 Competence) or safeguarding children training for any
    member of staff (seed 002; issue 15 item 6); lapsed once ``expires_on`` has passed. The
    same form sent twice adds it once (issue 10 item 6)."""
    if earlier := submission_claim(token=submission_token, actor=actor, model=TrainingRecord):
        return earlier
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The completion date must be today or earlier."})
    if kind not in TrainingKind.values:
        raise ValidationError({"kind": "Choose the type of training."})
    record = TrainingRecord(
        person=person,
        kind=kind,
        course=course.strip(),
        completed_on=completed_on,
        expires_on=expires_on,
    )
    _create(record, actor=actor, origin=origin)
    submission_record(token=submission_token, target=record)
    if kind == TrainingKind.SUPERVISOR:  # what staff compliance counts (issue 17 item 2)
        hooks.compliance_changed(person_ids=[person.pk])
    return record


@transaction.atomic
def training_record_archive(
    *,
    actor: Person,
    record: TrainingRecord,
    reason: str,
    origin: RequestOrigin | None = None,
) -> TrainingRecord:
    tracked_archive(record, actor=actor, reason=reason)
    if record.kind == TrainingKind.SUPERVISOR:
        hooks.compliance_changed(person_ids=[record.person_id])
    return record
