"""Agencies' involvements with a child (issue 13 item 1): each agency adds its own, finding
the child only by an exact match on the NHS number or on another agency's case reference (the
register is never browsed across agencies), with its case reference, allocated worker, start
date and the lawful basis for sharing (Working Together to Safeguard Children: information is
shared to safeguard a child)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    StaleEditError,
    audit_event_record,
    tracked_archive,
    tracked_edit,
    tracked_update,
)
from oversight.people.models import Agency, Membership, Person

from ..models import AgencyInvolvement, Child, LawfulBasis, PlanContribution
from ..rules import involvement_agency_ids
from .base import _create, _required

NO_MATCH = (
    "No child on the register matches. Check the number or reference with the agency that "
    "holds it: only an exact match finds a child."
)


def nhs_number_clean(value: str) -> str:
    """The NHS number as 10 digits (spaces and dashes dropped), checked with its modulus 11
    check digit; "" when none is given."""
    digits = "".join(ch for ch in (value or "") if not ch.isspace() and ch != "-")
    if not digits:
        return ""
    if len(digits) != 10 or not digits.isdigit():
        raise ValidationError({"nhs_number": "Enter an NHS number of 10 digits."})
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        raise ValidationError(
            {"nhs_number": "This is not a valid NHS number: check the digits and try again."}
        )
    return digits


def child_matching(
    *, nhs_number: str = "", other_agency: Agency | None = None, other_case_reference: str = ""
) -> Child | None:
    """The one child with exactly this NHS number, or known to ``other_agency`` by exactly this
    case reference (its own register's reference or a current involvement's); else None."""
    number = nhs_number_clean(nhs_number)
    reference = (other_case_reference or "").strip()
    if number:
        return Child.objects.live().filter(nhs_number=number).first()
    if other_agency is None or not reference:
        return None
    owned = Child.objects.live().filter(agency=other_agency, case_reference=reference).first()
    if owned is not None:
        return owned
    involvement = (
        AgencyInvolvement.objects.current()
        .filter(agency=other_agency, case_reference=reference, child__archived_at__isnull=True)
        .select_related("child")
        .first()
    )
    return involvement.child if involvement is not None else None


def _check_worker(agency: Agency, worker: Person | None, on: dt.date) -> None:
    if worker is None:
        return
    if not Membership.objects.on(on).filter(person=worker, agency=agency).exists():
        raise ValidationError(
            {"allocated_worker": f"Choose someone with a post in {agency.name} today."}
        )


@transaction.atomic
def involvement_add(
    *,
    actor: Person,
    agency: Agency,
    case_reference: str,
    allocated_worker: Person | None,
    starts_on: dt.date,
    lawful_basis: str,
    nhs_number: str = "",
    other_agency: Agency | None = None,
    other_case_reference: str = "",
    origin: RequestOrigin | None = None,
) -> AgencyInvolvement:
    """Add ``agency``'s involvement with the child found by an exact match. The child then
    shows on the agency's register and its people named in the rules see its multi-agency
    summary."""
    today = timezone.localdate()
    if agency.pk not in involvement_agency_ids(actor):
        raise ValidationError({"agency": "Choose an agency where you supervise or lead."})
    if not nhs_number.strip() and not (other_agency and other_case_reference.strip()):
        raise ValidationError(
            {
                "nhs_number": "Enter the child's NHS number, or choose the other agency and "
                "enter its case reference."
            }
        )
    reference = _required(
        case_reference, "case_reference", "Enter your agency's case reference for the child."
    )
    if lawful_basis not in LawfulBasis.values:
        raise ValidationError({"lawful_basis": "Choose the lawful basis for sharing."})
    if starts_on > today:
        raise ValidationError({"starts_on": "The involvement cannot start in the future."})
    _check_worker(agency, allocated_worker, today)
    child = child_matching(
        nhs_number=nhs_number, other_agency=other_agency, other_case_reference=other_case_reference
    )
    if child is None:
        field = "nhs_number" if nhs_number.strip() else "other_case_reference"
        raise ValidationError({field: NO_MATCH})
    child = Child.objects.select_for_update().get(pk=child.pk)
    current = AgencyInvolvement.objects.live().filter(
        child=child, agency=agency, ends_on__isnull=True
    )
    label = current.filter(case_reference="").first()
    if current.exclude(case_reference="").exists() or child.agency_id == agency.pk:
        raise ValidationError(
            {"case_reference": f"{agency.name} is already involved with this child."}
        )
    taken = AgencyInvolvement.objects.live().filter(
        agency=agency, case_reference=reference, ends_on__isnull=True
    )
    if taken.exists() or Child.objects.filter(agency=agency, case_reference=reference).exists():
        raise ValidationError(
            {"case_reference": "Your agency already uses this case reference for a child."}
        )
    if label is not None:
        # The owning agency had named this agency as involved; the agency now adds its own.
        if label.starts_on < starts_on:
            label.ends_on = starts_on - dt.timedelta(days=1)
            tracked_update(label, actor=actor)
        else:
            tracked_archive(label, actor=actor, reason="Replaced by the agency's own involvement")
    involvement = _create(
        AgencyInvolvement(
            child=child,
            agency=agency,
            case_reference=reference,
            allocated_worker=allocated_worker,
            starts_on=starts_on,
            lawful_basis=lawful_basis,
            held_elsewhere=True,  # refused above when the agency holds the child
        ),
        actor=actor,
    )
    child.agencies_involved.add(agency)
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=involvement,
        origin=origin,
        detail={"child": child.pk, "agency": agency.pk, "lawful_basis": lawful_basis},
    )
    return involvement


@transaction.atomic
def involvement_end(
    *,
    actor: Person,
    involvement: AgencyInvolvement,
    ends_on: dt.date,
    origin: RequestOrigin | None = None,
) -> AgencyInvolvement:
    """End an agency's involvement: from the day after ``ends_on`` its people no longer see
    the child's multi-agency summary. The owning agency's involvement ends with the child's
    own record, not here."""
    locked = (
        AgencyInvolvement.objects.select_for_update().select_related("child").get(pk=involvement.pk)
    )
    if locked.ends_on is not None:
        raise ValidationError("This involvement has already ended.")
    if locked.agency_id == locked.child.agency_id:
        raise ValidationError(
            "The agency that holds the child on its register cannot end its involvement here."
        )
    if ends_on < locked.starts_on:
        raise ValidationError(
            {"ends_on": f"The end date must be on or after {locked.starts_on:%-d %B %Y}."}
        )
    locked.ends_on = ends_on
    tracked_update(locked, actor=actor)
    locked.child.agencies_involved.remove(locked.agency_id)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=locked,
        origin=origin,
        detail={"ended_on": str(ends_on)},
    )
    return locked


def owner_involvement_sync(child: Child, *, actor: Person | None) -> AgencyInvolvement:
    """Keep the owning agency's involvement in step with the child's own fields (its case
    reference and allocated practitioner), opening it if the child has none."""
    current = (
        AgencyInvolvement.objects.live()
        .select_for_update()
        .filter(child=child, agency_id=child.agency_id, ends_on__isnull=True)
        .first()
    )
    if current is None:
        return _create(
            AgencyInvolvement(
                child=child,
                agency_id=child.agency_id,
                case_reference=child.case_reference,
                allocated_worker_id=child.allocated_practitioner_id,
                starts_on=child.legal_status_since or timezone.localdate(),
                held_elsewhere=False,
            ),
            actor=actor,
        )
    if (current.case_reference, current.allocated_worker_id) != (
        child.case_reference,
        child.allocated_practitioner_id,
    ):
        current.case_reference = child.case_reference
        current.allocated_worker_id = child.allocated_practitioner_id
        tracked_update(current, actor=actor)
    return current


@transaction.atomic
def plan_contribution_save(
    *,
    actor: Person,
    child: Child,
    agency: Agency,
    contribution: str,
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> PlanContribution:
    """Write ``agency``'s contribution to the plan for the child (seed 004 Appendix III;
    issue 13 item 4). An edit made on an older version is refused (core's stale edit)."""
    text = _required(
        contribution, "contribution", "Enter what your agency contributes to the plan."
    )
    current = (
        PlanContribution.objects.live().select_for_update().filter(child=child, agency=agency)
    ).first()
    if current is None:
        if expected_version is not None:
            raise StaleEditError()
        current = _create(
            PlanContribution(child=child, agency=agency, contribution=text), actor=actor
        )
        action = AuditAction.CREATE
    else:
        if expected_version is None:
            raise StaleEditError()
        current.contribution = text
        tracked_edit(current, actor=actor, expected_version=expected_version)
        action = AuditAction.CHANGE
    audit_event_record(actor=actor, action=action, target=current, origin=origin)
    return current
