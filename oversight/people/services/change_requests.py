"""Seeking alternative arrangements (issue 15 item 9): the supervisor or the supervisee asks
for their supervisory relationship to be changed; the agency's safeguarding lead agrees or
declines with a reason. Agreeing ends the relationship with the handover every change of
supervisor has (seed 001 "Supervisor responsibilities": "a handover is arranged between all
parties concerned")."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import hooks
from oversight.core.models import AuditAction
from oversight.core.services import RequestOrigin, audit_event_record, tracked_update

from ..models import (
    ChangeRequestStatus,
    Person,
    Role,
    RoleAssignment,
    SupervisionChangeRequest,
    SupervisionRelationship,
)
from .base import _create
from .relationships import supervision_relationship_end, supervision_relationship_start


@transaction.atomic
def supervision_change_request(
    *,
    actor: Person,
    relationship: SupervisionRelationship,
    reason: str,
    origin: RequestOrigin | None = None,
) -> SupervisionChangeRequest:
    """Either party asks for the relationship to be changed; the agency's leads are told."""
    relationship = SupervisionRelationship.objects.select_for_update().get(pk=relationship.pk)
    if actor.pk not in (relationship.supervisor_id, relationship.supervisee_id):
        raise ValidationError("Only the supervisor or the supervisee can ask for a change.")
    if not relationship.is_current_on(timezone.localdate()) or relationship.archived_at:
        raise ValidationError("This supervision has ended, so there is nothing to change.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you would like a different arrangement."})
    if relationship.change_requests.live().filter(status=ChangeRequestStatus.OPEN).exists():
        raise ValidationError(
            "A request to change this supervision is already waiting for the lead's decision."
        )
    request = _create(
        SupervisionChangeRequest(relationship=relationship, requested_by=actor, reason=reason),
        actor=actor,
        origin=origin,
    )
    hooks.event("supervision_change_requested", request=request)
    return request


@transaction.atomic
def supervision_change_decide(
    *,
    actor: Person,
    request: SupervisionChangeRequest,
    agree: bool,
    reason: str = "",
    last_day: dt.date | None = None,
    new_supervisor: Person | None = None,
    origin: RequestOrigin | None = None,
) -> SupervisionChangeRequest:
    """The lead of the relationship's agency decides. Agreeing ends the relationship on
    ``last_day``: with a new supervisor from the next day (who takes over with the handover
    notes, the contract and the planned sessions, decision 0001), or without one. Declining
    needs a reason, which both parties see."""
    request = (
        SupervisionChangeRequest.objects.select_for_update()
        .select_related("relationship", "relationship__agency")
        .get(pk=request.pk)
    )
    relationship = request.relationship
    today = timezone.localdate()
    if (
        not RoleAssignment.objects.on(today)
        .filter(person=actor, agency_id=relationship.agency_id, role=Role.AGENCY_LEAD)
        .exists()
    ):
        raise ValidationError(
            f"Only a safeguarding lead of {relationship.agency} can decide on this request."
        )
    if not request.is_open:
        raise ValidationError("This request has already been decided.")
    reason = reason.strip()
    if agree:
        if last_day is None:
            raise ValidationError({"last_day": "Enter the last day of the current supervision."})
        if last_day < relationship.starts_on or last_day < today - dt.timedelta(days=1):
            raise ValidationError(
                {"last_day": "The last day must be yesterday or later, and after it started."}
            )
        if new_supervisor is not None:
            request.new_relationship = supervision_relationship_start(
                actor=actor,
                supervisor=new_supervisor,
                supervisee=relationship.supervisee,
                agency=relationship.agency,
                starts_on=last_day + dt.timedelta(days=1),
                handover_notes=reason,
                origin=origin,
                supervisor_field="new_supervisor",
            )
        else:
            supervision_relationship_end(
                actor=actor, relationship=relationship, ends_on=last_day, origin=origin
            )
        request.status = ChangeRequestStatus.AGREED
        request.last_day = last_day
    else:
        if not reason:
            raise ValidationError({"reason": "Enter why the request is declined."})
        request.status = ChangeRequestStatus.DECLINED
    request.decided_by = actor
    request.decided_on = today
    request.decision_reason = reason
    tracked_update(request, actor=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=request,
        origin=origin,
        detail={"decision": request.status},
    )
    hooks.event("supervision_change_decided", request=request)
    return request
