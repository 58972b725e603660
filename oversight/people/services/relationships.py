"""Supervision and line management: one shape, so one start with its handover (seed 001
"Supervisor responsibilities") serves both."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oversight.core import hooks
from oversight.core.models import AuditAction
from oversight.core.services import RequestOrigin, audit_event_record, tracked_update

from ..models import Agency, LineManagement, Membership, Person, SupervisionRelationship
from .base import _create, _end
from .standards import supervisor_check

R = TypeVar("R", SupervisionRelationship, LineManagement)


def _relationship_start(
    model: type[R],
    *,
    actor: Person,
    senior_field: str,
    junior_field: str,
    senior: Person,
    junior: Person,
    agency: Agency,
    starts_on: dt.date,
    handover_notes: str,
    origin: RequestOrigin | None,
    labels: tuple[str, str],
) -> tuple[R, list[R]]:
    """Seed 001 "Supervisor responsibilities": when a relationship changes, a handover is
    arranged. The junior's current relationship in the agency ends the day before and the new
    one records which it took over from, with the handover notes. Returns the new
    relationship and those it ended."""
    senior_label, junior_label = labels
    if senior.pk == junior.pk:
        raise ValidationError({senior_field: f"A person cannot be their own {senior_label}."})
    if not senior.is_active or not junior.is_active:
        raise ValidationError("Both people must have an open account.")
    if not Membership.objects.on(starts_on).filter(person=junior, agency=agency).exists():
        raise ValidationError(
            {"agency": f"The {junior_label} has no post in {agency} on that date."}
        )
    ongoing = list(
        model.objects.live()
        .select_for_update()
        .filter(**{junior_field: junior}, agency=agency)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    )
    if any(r.starts_on >= starts_on for r in ongoing):
        raise ValidationError(
            {
                "starts_on": f"The {junior_label} already has a {senior_label} in this agency "
                "from this date or later. End or change that one instead."
            }
        )
    if any(getattr(r, f"{senior_field}_id") == senior.pk for r in ongoing):
        raise ValidationError(
            {senior_field: f"This is already the {junior_label}'s current {senior_label}."}
        )
    previous = max(ongoing, key=lambda r: r.starts_on, default=None)
    for old in ongoing:
        old.ends_on = starts_on - dt.timedelta(days=1)
        tracked_update(old, actor=actor)
        audit_event_record(
            actor=actor,
            action=AuditAction.CHANGE,
            target=old,
            origin=origin,
            detail={"ended_on": old.ends_on.isoformat(), "handover": True},
        )
    relationship = model(
        **{senior_field: senior, junior_field: junior},
        agency=agency,
        starts_on=starts_on,
        handover_from=previous,
        handover_notes=handover_notes.strip(),
    )
    return _create(relationship, actor=actor, origin=origin), ongoing


def _hand_over_if_past(
    relationships: list[SupervisionRelationship],
    *,
    actor: Person,
    origin: RequestOrigin | None,
) -> None:
    """Those whose last day is already past hand over now (contracts, and the old pair's
    later sessions); a later end waits for the nightly sweeps
    (``contracts.services.contract_handover_sweep``,
    ``supervision.services.session_handover_sweep``) to reach its day."""
    today = timezone.localdate()
    for relationship in relationships:
        if relationship.ends_on is not None and relationship.ends_on < today:
            hooks.supervision_relationship_ended(
                relationship=relationship, actor=actor, origin=origin
            )


@transaction.atomic
def supervision_relationship_start(
    *,
    actor: Person,
    supervisor: Person,
    supervisee: Person,
    agency: Agency,
    starts_on: dt.date,
    handover_notes: str = "",
    origin: RequestOrigin | None = None,
    supervisor_field: str = "supervisor",
) -> SupervisionRelationship:
    # Seed 004: the agency's minimum requirements for supervisors, or a lead's exception.
    supervisor_check(supervisor=supervisor, agency=agency, on=starts_on, field=supervisor_field)
    relationship, ended = _relationship_start(
        SupervisionRelationship,
        actor=actor,
        senior_field="supervisor",
        junior_field="supervisee",
        senior=supervisor,
        junior=supervisee,
        agency=agency,
        starts_on=starts_on,
        handover_notes=handover_notes,
        origin=origin,
        labels=("safeguarding supervisor", "supervisee"),
    )
    _hand_over_if_past(ended, actor=actor, origin=origin)
    hooks.compliance_changed(
        agency_ids=[agency.pk],
        person_ids=[supervisor.pk, supervisee.pk, *(e.supervisor_id for e in ended)],
    )
    return relationship


@transaction.atomic
def supervision_relationship_end(
    *,
    actor: Person,
    relationship: SupervisionRelationship,
    ends_on: dt.date,
    origin: RequestOrigin | None = None,
) -> SupervisionRelationship:
    ended = _end(relationship, actor=actor, ends_on=ends_on, origin=origin, what="supervision")
    _hand_over_if_past([ended], actor=actor, origin=origin)
    hooks.compliance_changed(
        agency_ids=[ended.agency_id], person_ids=[ended.supervisor_id, ended.supervisee_id]
    )
    return ended


@transaction.atomic
def line_management_start(
    *,
    actor: Person,
    manager: Person,
    report: Person,
    agency: Agency,
    starts_on: dt.date,
    handover_notes: str = "",
    origin: RequestOrigin | None = None,
) -> LineManagement:
    management, _ = _relationship_start(
        LineManagement,
        actor=actor,
        senior_field="manager",
        junior_field="report",
        senior=manager,
        junior=report,
        agency=agency,
        starts_on=starts_on,
        handover_notes=handover_notes,
        origin=origin,
        labels=("line manager", "report"),
    )
    return management


@transaction.atomic
def line_management_end(
    *,
    actor: Person,
    relationship: LineManagement,
    ends_on: dt.date,
    origin: RequestOrigin | None = None,
) -> LineManagement:
    return _end(relationship, actor=actor, ends_on=ends_on, origin=origin, what="line management")
