"""Writes for supervision policy and contracts (issue 3 items 1, 2 and 9). Every change, and
every signature, goes to the audit log; a signed contract is never edited (seed 001 Practice
guidance: "discussed, agreed and signed off ... reviewed annually")."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from oversight.core import hooks
from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    submission_claim,
    submission_record,
    tracked_create,
    tracked_edit,
    tracked_update,
)
from oversight.people.models import (
    Agency,
    ContactLevel,
    Membership,
    Person,
    StaffGroup,
    SupervisionRelationship,
)

from .models import (
    OPEN_STATUSES,
    ContractEndReason,
    ContractStatus,
    SupervisionContract,
    SupervisionPolicy,
)
from .selectors import policy_in_force
from .terms import DEFAULT_TERMS, EDITABLE_FIELDS, TERM_FIELDS

POLICY_FIELDS = (
    "interval_days",
    "ceiling_days",
    "new_starter_interval_days",
    "session_types",
    "counted_session_types",
    "record_deadline_working_days",
    "contract_review_months",
    "child_discussion_ceiling_days",
    "supervisee_may_draft_record",
)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Policy --------------------------------------------------------------------------------


@transaction.atomic
def supervision_policy_create_version(
    *,
    actor: Person | None,
    agency: Agency,
    staff_group: StaffGroup | None,
    effective_from: dt.date,
    change_reason: str,
    values: dict[str, Any],
    submission_token: str = "",
    origin: RequestOrigin | None = None,
    today: dt.date | None = None,
) -> SupervisionPolicy:
    """A policy change is a new version in force from a date, with a reason; earlier versions
    stay as they were, so compliance on a past date is judged by the policy then in force.
    The same form sent twice saves one version (issue 10 item 6)."""
    if actor is not None and (
        earlier := submission_claim(token=submission_token, actor=actor, model=SupervisionPolicy)
    ):
        return earlier
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not (change_reason or "").strip():
        errors["change_reason"] = "Enter what changed and why."
    if effective_from < today:
        errors["effective_from"] = (
            "The date a change takes effect must be today or later: "
            "the policy in force on past dates cannot be changed."
        )
    if staff_group is not None and staff_group.agency_id != agency.pk:
        errors["staff_group"] = "Choose a staff group in this agency."
    if errors:
        raise ValidationError(errors)
    Agency.objects.select_for_update().filter(pk=agency.pk).exists()
    if (
        SupervisionPolicy.objects.live()
        .filter(agency=agency, staff_group=staff_group, effective_from=effective_from)
        .exists()
    ):
        raise ValidationError(
            {"effective_from": "A version already takes effect on this date. Choose another date."}
        )
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"Not policy settings: {sorted(unknown)}")
    policy = SupervisionPolicy(
        agency=agency,
        staff_group=staff_group,
        effective_from=effective_from,
        change_reason=change_reason.strip(),
        **values,
    )
    tracked_create(policy, actor=actor)
    submission_record(token=submission_token, target=policy)
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=policy,
        origin=origin,
        detail={"effective_from": effective_from.isoformat(), "reason": policy.change_reason},
    )
    hooks.compliance_changed(agency_ids=[policy.agency_id])
    return policy


# --- Contracts -----------------------------------------------------------------------------


def _supervisee_post(person_id: int, agency_id: int, on: dt.date) -> Membership | None:
    posts = Membership.objects.live().filter(person_id=person_id, agency_id=agency_id)
    return posts.on(on).order_by("-starts_on").first() or posts.order_by("-starts_on").first()


def contract_defaults(*, supervisee_id: int, agency_id: int, starts_on: dt.date) -> dict[str, Any]:
    """What a new contract starts from: the agency's policy in force on the start date for
    the supervisee's staff group (new-starter interval if newly qualified or new to post on
    that date; seeds 001 and 004), the post's contact level (Appendix IV example 1 or 2), and
    the standard wording."""
    post = _supervisee_post(supervisee_id, agency_id, starts_on)
    policy = policy_in_force(
        agency_id=agency_id,
        staff_group_id=post.staff_group_id if post else None,
        on=starts_on,
    )
    new_starter = post is not None and post.is_new_starter_on(starts_on)
    return {
        "contact_level": post.contact_level if post else ContactLevel.DIRECT,
        "frequency_days": (
            policy.new_starter_interval_days if new_starter else policy.interval_days
        ),
        "session_duration_minutes": 90,
        "starts_on": starts_on,
        "review_due_on": add_months(starts_on, policy.contract_review_months),
        **DEFAULT_TERMS,
    }


def _validate_against_policy(contract: SupervisionContract) -> None:
    """The policy in force on the start date bounds the interval and the review date; the
    contract keeps the policy's review period (its database constraint checks the date)."""
    post = _supervisee_post(contract.supervisee_id, contract.agency_id, contract.starts_on)
    policy = policy_in_force(
        agency_id=contract.agency_id,
        staff_group_id=post.staff_group_id if post else None,
        on=contract.starts_on,
    )
    contract.review_months = policy.contract_review_months
    latest = add_months(contract.starts_on, policy.contract_review_months)
    if contract.review_due_on and contract.review_due_on > latest:
        raise ValidationError(
            {
                "review_due_on": (
                    f"The review must be by {latest:%-d %B %Y}: the agency's policy reviews "
                    f"contracts every {policy.contract_review_months} months."
                )
            }
        )
    if contract.frequency_days and contract.frequency_days > policy.ceiling_days:
        raise ValidationError(
            {
                "frequency_days": (
                    f"Sessions can be at most {policy.ceiling_days} days apart under the "
                    "agency's policy."
                )
            }
        )


@transaction.atomic
def contract_draft_create(
    *,
    actor: Person,
    relationship: SupervisionRelationship,
    starts_on: dt.date | None = None,
    terms: dict[str, Any] | None = None,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> SupervisionContract:
    """The supervisor drafts the first contract of a supervision relationship, starting from
    the agency's policy (see ``contract_defaults``). The same form sent twice drafts one
    contract and leads both posts to it (issue 10 item 6)."""
    if actor.pk != relationship.supervisor_id:
        raise ValidationError("Only the supervisor can draft this contract.")
    if earlier := submission_claim(token=submission_token, actor=actor, model=SupervisionContract):
        return earlier
    SupervisionRelationship.objects.select_for_update().filter(pk=relationship.pk).exists()
    starts_on = starts_on or max(relationship.starts_on, timezone.localdate())
    if (
        SupervisionContract.objects.live()
        .filter(relationship=relationship)
        .exclude(status__in=[ContractStatus.ENDED, ContractStatus.SUPERSEDED])
        .exists()
    ):
        raise ValidationError(
            "This supervision already has a contract. Open it to sign, edit or review it."
        )
    values = contract_defaults(
        supervisee_id=relationship.supervisee_id,
        agency_id=relationship.agency_id,
        starts_on=starts_on,
    )
    values.update({k: v for k, v in (terms or {}).items() if k in EDITABLE_FIELDS})
    contract = SupervisionContract(
        supervisor_id=relationship.supervisor_id,
        supervisee_id=relationship.supervisee_id,
        agency_id=relationship.agency_id,
        relationship=relationship,
        revision=1,
        status=ContractStatus.DRAFT,
        **values,
    )
    _validate_against_policy(contract)
    tracked_create(contract, actor=actor)
    submission_record(token=submission_token, target=contract)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=contract, origin=origin)
    return contract


def _locked(contract: SupervisionContract) -> SupervisionContract:
    return SupervisionContract.objects.select_for_update().get(pk=contract.pk)


@transaction.atomic
def contract_update_draft(
    *,
    contract: SupervisionContract,
    actor: Person,
    changes: dict[str, Any],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> SupervisionContract:
    """The supervisor edits a contract nobody has finished signing. A change after one party
    has signed clears that signature: both sign what was finally agreed."""
    current = _locked(contract)
    if actor.pk != current.supervisor_id:
        raise ValidationError("Only the supervisor can change this contract.")
    if current.status not in OPEN_STATUSES:
        raise ValidationError(
            "This contract has been signed by both of you and cannot be changed. "
            "Review it to agree a new version."
        )
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} cannot be edited")
        setattr(contract, name, value)
    changed = sorted(name for name in changes if getattr(current, name) != getattr(contract, name))
    cleared = []
    if changed:
        for party in ("supervisor", "supervisee"):
            if getattr(current, f"{party}_signed_at") is not None:
                cleared.append(party)
            setattr(contract, f"{party}_signed_at", None)
            setattr(contract, f"{party}_signed_by", None)
        contract.status = ContractStatus.DRAFT
    _validate_against_policy(contract)
    tracked_edit(contract, actor=actor, expected_version=expected_version)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=contract,
        origin=origin,
        detail={"fields": changed, "signatures_cleared": cleared},
    )
    return contract


@transaction.atomic
def contract_sign(
    *,
    contract: SupervisionContract,
    actor: Person,
    origin: RequestOrigin | None = None,
    on: dt.datetime | None = None,
) -> SupervisionContract:
    """One party signs for themselves (never for the other). With both signatures the
    contract is active and locked, and the revision it replaced is superseded."""
    contract = _locked(contract)
    if actor.pk == contract.supervisor_id:
        party = "supervisor"
    elif actor.pk == contract.supervisee_id:
        party = "supervisee"
    else:
        raise ValidationError("Only the supervisor and the supervisee can sign this contract.")
    if contract.status not in OPEN_STATUSES:
        raise ValidationError("This contract is no longer open for signing.")
    if getattr(contract, f"{party}_signed_at") is not None:
        raise ValidationError("You have already signed this contract.")
    now = on or timezone.now()
    setattr(contract, f"{party}_signed_at", now)
    setattr(contract, f"{party}_signed_by", actor)
    if contract.supervisor_signed_at and contract.supervisee_signed_at:
        contract.status = ContractStatus.ACTIVE
        contract.signed_on = timezone.localdate(now)
        previous = contract.previous
        if previous is not None:
            previous = _locked(previous)
            if previous.status == ContractStatus.ACTIVE:
                previous.status = ContractStatus.SUPERSEDED
                previous.ended_on = max(
                    contract.signed_on - dt.timedelta(days=1), previous.signed_on or dt.date.min
                )
                tracked_update(previous, actor=actor)
                audit_event_record(
                    actor=actor,
                    action=AuditAction.CHANGE,
                    target=previous,
                    origin=origin,
                    detail={"superseded_by": contract.pk},
                )
    else:
        contract.status = ContractStatus.AWAITING_SIGNATURES
    tracked_update(contract, actor=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.SIGN,
        target=contract,
        origin=origin,
        detail={"as": party, "status": contract.status},
    )
    if contract.status == ContractStatus.ACTIVE:
        hooks.compliance_changed(
            agency_ids=[contract.agency_id], person_ids=[contract.supervisee_id]
        )
    return contract


@transaction.atomic
def contract_review(
    *,
    contract: SupervisionContract,
    actor: Person,
    starts_on: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> SupervisionContract:
    """Annual review (seed 001): the next revision as a draft with the same terms. The current
    revision stays in force until both parties sign the new one."""
    contract = _locked(contract)
    if actor.pk != contract.supervisor_id:
        raise ValidationError("Only the supervisor can review this contract.")
    if contract.status != ContractStatus.ACTIVE:
        raise ValidationError("Only an active contract can be reviewed.")
    existing = SupervisionContract.objects.live().filter(previous=contract).first()
    if existing is not None:
        raise ValidationError("A review of this contract has already been started.")
    starts_on = starts_on or timezone.localdate()
    defaults = contract_defaults(
        supervisee_id=contract.supervisee_id, agency_id=contract.agency_id, starts_on=starts_on
    )
    successor = SupervisionContract(
        supervisor_id=contract.supervisor_id,
        supervisee_id=contract.supervisee_id,
        agency_id=contract.agency_id,
        relationship_id=contract.relationship_id,
        previous=contract,
        revision=contract.revision + 1,
        status=ContractStatus.DRAFT,
        contact_level=contract.contact_level,
        frequency_days=contract.frequency_days,
        session_duration_minutes=contract.session_duration_minutes,
        starts_on=starts_on,
        review_due_on=defaults["review_due_on"],
        **{name: getattr(contract, name) for name in TERM_FIELDS},
    )
    _validate_against_policy(successor)
    try:
        tracked_create(successor, actor=actor)
    except IntegrityError as error:  # pragma: no cover - guarded by the check above
        raise ValidationError("A review of this contract has already been started.") from error
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=successor,
        origin=origin,
        detail={"review_of": contract.pk, "revision": successor.revision},
    )
    return successor


@transaction.atomic
def contract_end(
    *,
    contract: SupervisionContract,
    actor: Person | None,
    reason: str,
    ended_on: dt.date | None = None,
    notes: str = "",
    origin: RequestOrigin | None = None,
) -> SupervisionContract:
    """End a contract (at handover, when the supervisee leaves, or a draft withdrawn). It
    stays on both people's records."""
    contract = _locked(contract)
    if reason not in ContractEndReason.values:
        raise ValidationError({"reason": "Choose why the contract is ending."})
    if contract.status in (ContractStatus.ENDED, ContractStatus.SUPERSEDED):
        raise ValidationError("This contract has already ended.")
    ended_on = ended_on or timezone.localdate()
    if ended_on < contract.starts_on and contract.status == ContractStatus.ACTIVE:
        raise ValidationError({"ended_on": "The end date cannot be before the contract started."})
    contract.status = ContractStatus.ENDED
    contract.ended_on = ended_on
    contract.end_reason = reason
    contract.end_notes = notes.strip()
    tracked_update(contract, actor=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=contract,
        origin=origin,
        detail={"ended": ended_on.isoformat(), "reason": reason},
    )
    hooks.compliance_changed(agency_ids=[contract.agency_id], person_ids=[contract.supervisee_id])
    return contract


@transaction.atomic
def contract_handover(
    *,
    relationship: SupervisionRelationship,
    actor: Person | None,
    origin: RequestOrigin | None = None,
) -> SupervisionContract | None:
    """Seed 001 handover: when a supervision relationship ends its contracts end with reason
    "handover"; if another relationship took it over, the new supervisor gets a draft carrying
    the same terms, to agree and sign afresh. Returns that draft, if any."""
    ended_on = relationship.ends_on or timezone.localdate()
    ending = (
        SupervisionContract.objects.live()
        .filter(relationship=relationship)
        .exclude(status__in=[ContractStatus.ENDED, ContractStatus.SUPERSEDED])
    )
    last = None
    for contract in ending:
        last = contract_end(
            contract=contract,
            actor=actor,
            reason=ContractEndReason.HANDOVER,
            ended_on=max(ended_on, contract.starts_on),
            origin=origin,
        )
    successor = SupervisionRelationship.objects.filter(handover_from=relationship).first()
    if successor is None:
        return None
    if SupervisionContract.objects.live().filter(relationship=successor).exists():
        return None
    terms = {name: getattr(last, name) for name in TERM_FIELDS} if last else {}
    return contract_draft_create(
        actor=successor.supervisor,
        relationship=successor,
        starts_on=successor.starts_on,
        terms=terms,
        origin=origin,
    )


def contract_handover_sweep(*, today: dt.date | None = None) -> int:
    """End the contracts of supervision relationships that have ended, and draft the next
    relationship's contract (``contract_handover``); run daily. Returns how many ended."""
    today = today or timezone.localdate()
    ended = (
        SupervisionContract.objects.live()
        .filter(
            relationship__ends_on__lt=today,
            relationship__archived_at__isnull=True,
            status__in=[*OPEN_STATUSES, ContractStatus.ACTIVE],
        )
        .values_list("relationship_id", flat=True)
        .distinct()
    )
    count = 0
    for relationship in SupervisionRelationship.objects.filter(pk__in=list(ended)):
        with transaction.atomic():
            count += (
                SupervisionContract.objects.live()
                .filter(relationship=relationship)
                .exclude(status__in=[ContractStatus.ENDED, ContractStatus.SUPERSEDED])
                .count()
            )
            contract_handover(relationship=relationship, actor=None)
    return count
