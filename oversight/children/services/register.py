"""The register and its history: children, status, allocation, agencies involved, review
meetings, and the agency's drift settings (issue 4 item 1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from oversight.core import hooks
from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    StaleEditError,
    audit_event_record,
    submission_claim,
    submission_record,
    tracked_edit,
    tracked_update,
)
from oversight.people.models import Agency, Person

from ..models import (
    AgencyInvolvement,
    Child,
    ChildAllocation,
    ChildStatus,
    DriftSettings,
    LegalStatus,
    ReviewMeeting,
)
from .base import _create
from .involvements import nhs_number_clean, owner_involvement_sync
from .tallies import meeting_tallies_recount, meeting_tallies_recount_agency

# --- The register ---------------------------------------------------------------------------


def _involvement_set(child: Child, agencies: list[Agency], *, actor: Person, on: dt.date) -> None:
    """Keep Child.agencies_involved and its history in step: end the involvement of agencies
    no longer involved (the day before ``on``) and open one for each new agency."""
    wanted = {a.pk for a in agencies if a.pk != child.agency_id}
    open_rows = list(
        AgencyInvolvement.objects.live()
        .filter(child=child, ends_on__isnull=True)
        .exclude(agency_id=child.agency_id)
    )
    # An agency that added its own involvement (issue 13) ends it itself; only the owning
    # agency's labels follow this list.
    own = {i.agency_id for i in open_rows if i.case_reference}
    labels = {i.agency_id: i for i in open_rows if not i.case_reference}
    for agency_id, involvement in labels.items():
        if agency_id not in wanted:
            involvement.ends_on = max(involvement.starts_on, on - dt.timedelta(days=1))
            tracked_update(involvement, actor=actor)
    for agency_id in wanted - set(labels) - own:
        _create(
            AgencyInvolvement(child=child, agency_id=agency_id, starts_on=on, held_elsewhere=True),
            actor=actor,
        )
    child.agencies_involved.set(list(wanted | own))


def _nhs_number_free(value: str, *, child_id: int | None) -> str:
    """The NHS number checked and not already held by another child on the register."""
    number = nhs_number_clean(value)
    if number and Child.objects.filter(nhs_number=number).exclude(pk=child_id).exists():
        raise ValidationError(
            {"nhs_number": "A child with this NHS number is already on the register."}
        )
    return number


def _case_reference_taken() -> ValidationError:
    return ValidationError(
        {"case_reference": "A child with this case reference is already on the register."}
    )


def _save_case_reference(save: Callable[[], Any]) -> None:
    """Save, giving the form's own error when someone else took the case reference between
    our check and the save (issue 10 item 7), not a server error."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError as error:
        if "child_unique_case_reference" in str(error) or "case_reference" in str(error):
            raise _case_reference_taken() from error
        raise


@transaction.atomic
def child_create(
    *,
    actor: Person,
    agency: Agency,
    case_reference: str,
    display_name: str,
    legal_status: str,
    status_since: dt.date,
    allocated_practitioner: Person | None,
    date_of_birth: dt.date | None = None,
    agencies_involved: Iterable[Agency] = (),
    nhs_number: str = "",
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> Child:
    """Add a child with their first status and allocation (issue 4 item 1). The same form
    sent twice adds the child once (issue 10 item 6)."""
    if earlier := submission_claim(token=submission_token, actor=actor, model=Child):
        return earlier
    if Child.objects.filter(agency=agency, case_reference=case_reference.strip()).exists():
        raise _case_reference_taken()
    number = _nhs_number_free(nhs_number, child_id=None)
    child = Child(
        nhs_number=number,
        agency=agency,
        case_reference=case_reference.strip(),
        display_name=display_name.strip(),
        date_of_birth=date_of_birth,
        legal_status=legal_status,
        legal_status_since=status_since,
        allocated_practitioner=allocated_practitioner,
    )
    _save_case_reference(lambda: _create(child, actor=actor))
    submission_record(token=submission_token, target=child)
    owner_involvement_sync(child, actor=actor)
    _involvement_set(child, list(agencies_involved), actor=actor, on=status_since)
    _create(ChildStatus(child=child, status=legal_status, starts_on=status_since), actor=actor)
    if allocated_practitioner is not None:
        _create(
            ChildAllocation(
                child=child, practitioner=allocated_practitioner, starts_on=status_since
            ),
            actor=actor,
        )
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=child, origin=origin)
    return child


@transaction.atomic
def child_update(
    *,
    child: Child,
    actor: Person,
    expected_version: int | None,
    case_reference: str,
    display_name: str,
    date_of_birth: dt.date | None,
    agencies_involved: Iterable[Agency],
    nhs_number: str | None = None,
    origin: RequestOrigin | None = None,
) -> Child:
    """Change the child's details. Status and allocation have their own services, so their
    history is kept."""
    clash = Child.objects.filter(agency_id=child.agency_id, case_reference=case_reference.strip())
    if clash.exclude(pk=child.pk).exists():
        raise _case_reference_taken()
    child.case_reference = case_reference.strip()
    child.display_name = display_name.strip()
    child.date_of_birth = date_of_birth
    if nhs_number is not None:
        child.nhs_number = _nhs_number_free(nhs_number, child_id=child.pk)
    _save_case_reference(
        lambda: tracked_edit(child, actor=actor, expected_version=expected_version)
    )
    owner_involvement_sync(child, actor=actor)
    _involvement_set(child, list(agencies_involved), actor=actor, on=timezone.localdate())
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=child, origin=origin)
    return child


@transaction.atomic
def child_status_change(
    *,
    child: Child,
    actor: Person,
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
        tracked_update(current, actor=actor)
    new = _create(ChildStatus(child=locked, status=status, starts_on=starts_on), actor=actor)
    locked.legal_status = status
    locked.legal_status_since = starts_on
    tracked_update(locked, actor=actor)
    hooks.child_status_changed(agency_id=locked.agency_id, day=starts_on)
    audit_event_record(
        actor=actor,
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
    actor: Person,
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
        tracked_update(current, actor=actor)
    allocation = _create(
        ChildAllocation(
            child=locked, practitioner=practitioner, starts_on=starts_on, reason=reason.strip()
        ),
        actor=actor,
    )
    locked.allocated_practitioner = practitioner
    tracked_update(locked, actor=actor)
    owner_involvement_sync(locked, actor=actor)
    audit_event_record(
        actor=actor,
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
    actor: Person,
    kind: str,
    meets_on: dt.date,
    notes: str = "",
    agencies_expected: Iterable[Agency] = (),
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> ReviewMeeting:
    """Add a review meeting; it is shared with every agency involved, and names the agencies
    expected at it (issue 13 item 2). The same form sent twice adds it once (issue 10 item 6)."""
    if earlier := submission_claim(token=submission_token, actor=actor, model=ReviewMeeting):
        return earlier
    meeting = _create(
        ReviewMeeting(child=child, kind=kind, meets_on=meets_on, notes=notes.strip()), actor=actor
    )
    meeting.agencies_expected.set(list(agencies_expected))
    submission_record(token=submission_token, target=meeting)
    meeting_tallies_recount(child_ids=[child.pk])  # a kept day (decision 0035)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=meeting, origin=origin)
    return meeting


@transaction.atomic
def drift_settings_update(
    *,
    agency: Agency,
    actor: Person,
    values: dict[str, Any],
    expected_version: int | None = None,
    origin: RequestOrigin | None = None,
) -> DriftSettings:
    """Save the agency's drift rules, thresholds and windows."""
    settings = DriftSettings.objects.select_for_update().filter(agency=agency).first()
    window_before = (settings or DriftSettings(agency=agency)).pre_review_working_days
    if settings is None:
        settings = DriftSettings(agency=agency, **values)
        _create(settings, actor=actor)
    else:
        if expected_version is None:
            # The form was opened before the agency's settings were first saved.
            raise StaleEditError()
        for name, value in values.items():
            setattr(settings, name, value)
        tracked_edit(settings, actor=actor, expected_version=expected_version)
    if settings.pre_review_working_days != window_before:
        # Which meetings were prepared for follows the window (decision 0035).
        meeting_tallies_recount_agency(agency_id=agency.pk)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=settings, origin=origin)
    return settings


@transaction.atomic
def review_meeting_update(
    *,
    meeting: ReviewMeeting,
    actor: Person,
    kind: str,
    meets_on: dt.date,
    notes: str = "",
    origin: RequestOrigin | None = None,
) -> ReviewMeeting:
    """Move or rename a review meeting the agency's case system sent before."""
    locked = ReviewMeeting.objects.select_for_update().select_related("child").get(pk=meeting.pk)
    left = (locked.child.agency_id, locked.meets_on)
    locked.kind = kind
    locked.meets_on = meets_on
    locked.notes = notes.strip()
    tracked_update(locked, actor=actor)
    # The day it left and the child's meeting days, where kept (decision 0035).
    meeting_tallies_recount(child_ids=[locked.child_id], days=[left])
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=locked, origin=origin)
    return locked
