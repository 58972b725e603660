"""Reads of supervision policy (which version applies to whom on a date) and of supervision
contracts (which is in force, which await signature or review, how each supervisee stands)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from oversight.core.prepared import prepared
from oversight.people.models import SupervisionRelationship

from .models import (
    OPEN_STATUSES,
    SIGNED_STATUSES,
    ContractStatus,
    SessionType,
    SupervisionContract,
    SupervisionPolicy,
)

# A contract that still governs its relationship (draft, part-signed or active).
RUNNING_STATUSES = (*OPEN_STATUSES, ContractStatus.ACTIVE)


def policy_in_force(
    *, agency_id: int, staff_group_id: int | None, on: dt.date
) -> SupervisionPolicy:
    """The policy version in force on ``on``: the staff group's own if it has one, else the
    agency's; with neither, the seeds' defaults (an unsaved SupervisionPolicy)."""
    candidates = (
        SupervisionPolicy.objects.live()
        .filter(agency_id=agency_id, effective_from__lte=on)
        .filter(Q(staff_group__isnull=True) | Q(staff_group_id=staff_group_id))
        .order_by("-effective_from", "-id")
    )
    group_policy = None
    agency_policy = None
    for policy in candidates:
        if staff_group_id and policy.staff_group_id == staff_group_id and group_policy is None:
            group_policy = policy
        if policy.staff_group_id is None and agency_policy is None:
            agency_policy = policy
        if group_policy and agency_policy:
            break
    return group_policy or agency_policy or SupervisionPolicy(agency_id=agency_id)


def agency_policies_in_force(*, agency_ids: set[int], on: dt.date) -> dict[int, SupervisionPolicy]:
    """Each agency's agency-wide policy in force on ``on`` (as ``policy_in_force`` with no
    staff group), in one query for any number of agencies."""
    found = {agency_id: SupervisionPolicy(agency_id=agency_id) for agency_id in agency_ids}
    for policy in (
        SupervisionPolicy.objects.live()
        .filter(agency_id__in=agency_ids, staff_group__isnull=True, effective_from__lte=on)
        .order_by("effective_from", "id")
    ):
        found[policy.agency_id] = policy  # the latest wins
    return found


# --- Supervision contracts -----------------------------------------------------------------


def _contracts() -> QuerySet[SupervisionContract]:
    return SupervisionContract.objects.live().select_related(
        "supervisor", "supervisee", "agency", "supervisor_signed_by", "supervisee_signed_by"
    )


def _in_force_on(day: dt.date) -> Q:
    return Q(status__in=SIGNED_STATUSES, signed_on__isnull=False, signed_on__lte=day) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )


def contracts_in_force(*, on: dt.date) -> QuerySet[SupervisionContract]:
    """Contracts both parties had signed by ``on`` and that had not ended or been replaced."""
    return _contracts().filter(_in_force_on(on))


def contract_current(
    *,
    supervisee_id: int,
    on: dt.date,
    supervisor_id: int | None = None,
    agency_id: int | None = None,
) -> SupervisionContract | None:
    """The signed contract in force for the supervisee on ``on`` (the latest, if the supervisee
    has more than one supervisor), optionally with one supervisor or in one agency."""
    contracts = contracts_in_force(on=on).filter(supervisee_id=supervisee_id)
    if supervisor_id is not None:
        contracts = contracts.filter(supervisor_id=supervisor_id)
    if agency_id is not None:
        contracts = contracts.filter(agency_id=agency_id)
    return contracts.order_by("-signed_on", "-revision", "-id").first()


@dataclass
class ContractsOfPerson:
    awaiting: list[SupervisionContract]
    mine: SupervisionContract | None
    due: list[SupervisionContract]
    without_contract: int  # of the relationships given


def contracts_of_person(
    *,
    person_id: int,
    on: dt.date,
    review_within_days: int,
    supervises: bool,
    relationship_ids: Collection[int] = (),
) -> ContractsOfPerson:
    """For the home page, in one read (issue 17 item 1): the contracts the person has still to
    sign (``contracts_awaiting_signature_of``), their own contract in force
    (``contract_current``) and, when they supervise, those due for review within
    ``review_within_days`` (``contracts_due_for_review``), each ordered as those are; and how
    many of ``relationship_ids`` (their supervision relationships on ``on``) have no running
    contract (``relationships_without_contract``), from those relationships' running
    contracts read in the same query (decision 0024, fifth pass)."""
    review_by = on + dt.timedelta(days=review_within_days)
    found: list[SupervisionContract] = _contracts_of_person(
        person_id=person_id,
        on=on,
        review_by=review_by,
        supervises=supervises,
        relationship_ids=list(relationship_ids),
    )

    def in_force(c: SupervisionContract) -> bool:
        return (
            c.status in SIGNED_STATUSES
            and c.signed_on is not None
            and c.signed_on <= on
            and (c.ended_on is None or c.ended_on >= on)
        )

    awaiting = sorted(
        (
            c
            for c in found
            if c.status in OPEN_STATUSES
            and (
                (c.supervisee_id == person_id and c.supervisee_signed_at is None)
                or (c.supervisor_id == person_id and c.supervisor_signed_at is None)
            )
        ),
        key=lambda c: (c.starts_on, c.pk),
    )
    own = [c for c in found if c.supervisee_id == person_id and in_force(c)]
    mine = max(own, key=lambda c: (c.signed_on, c.revision, c.pk), default=None)
    due = sorted(
        (
            c
            for c in found
            if supervises
            and c.status == ContractStatus.ACTIVE
            and c.review_due_on is not None
            and c.review_due_on <= review_by
            and c.supervisor_id == person_id
        ),
        key=lambda c: (c.review_due_on, c.supervisee.family_name, c.pk),
    )
    running = {c.relationship_id for c in found if c.status in RUNNING_STATUSES}
    return ContractsOfPerson(
        awaiting=awaiting,
        mine=mine,
        due=due,
        without_contract=sum(1 for pk in set(relationship_ids) if pk not in running),
    )


def contract_detail(*, contract_id: int) -> SupervisionContract:
    """One contract with its revision chain, for the detail page."""
    return (
        _contracts()
        .select_related("relationship", "previous", "created_by", "modified_by")
        .prefetch_related(
            Prefetch(
                "next_revisions",
                queryset=SupervisionContract.objects.live().order_by("-revision"),
                to_attr="live_next_revisions",
            )
        )
        .get(pk=contract_id)
    )


def contracts_for_person(
    *,
    person_id: int,
    as_role: str | None = None,
    include_ended: bool = True,
    supervisee_ids: Iterable[int] | None = None,
) -> QuerySet[SupervisionContract]:
    """A person's contracts as supervisee and as supervisor (``as_role`` "supervisee" or
    "supervisor" for one side), newest first. Given ``supervisee_ids`` (the access
    profile's), the supervisor side is only the people they supervise today (decision 0002,
    as ``rules.is_contract_supervisor``)."""
    as_supervisor = Q(supervisor_id=person_id)
    if supervisee_ids is not None:
        as_supervisor &= Q(supervisee_id__in=list(supervisee_ids))
    if as_role == "supervisee":
        scope = Q(supervisee_id=person_id)
    elif as_role == "supervisor":
        scope = as_supervisor
    else:
        scope = Q(supervisee_id=person_id) | as_supervisor
    contracts = _contracts().filter(scope)
    if not include_ended:
        contracts = contracts.exclude(status__in=[ContractStatus.ENDED, ContractStatus.SUPERSEDED])
    return contracts.order_by("supervisee__family_name", "supervisee__given_name", "-revision")


def contracts_of_supervisees(*, supervisee_ids: Iterable[int]) -> QuerySet[SupervisionContract]:
    """The running (draft, part-signed or active) contracts of these people, e.g. a line
    manager's reports."""
    return (
        _contracts()
        .filter(supervisee_id__in=list(supervisee_ids))
        .exclude(status__in=[ContractStatus.ENDED, ContractStatus.SUPERSEDED])
        .order_by("supervisee__family_name", "supervisee__given_name", "-revision")
    )


# The contracts page's reads, each compiled once per shape (core.prepared): lists of rows.
contracts_for_person_rows = prepared(shaped=("as_role",))(contracts_for_person)
contracts_of_supervisees_rows = prepared(contracts_of_supervisees)


def contracts_awaiting_signature_of(*, person_id: int) -> QuerySet[SupervisionContract]:
    """Drafts and part-signed contracts this person has still to sign."""
    return (
        _contracts()
        .filter(status__in=OPEN_STATUSES)
        .filter(
            Q(supervisee_id=person_id, supervisee_signed_at__isnull=True)
            | Q(supervisor_id=person_id, supervisor_signed_at__isnull=True)
        )
        .order_by("starts_on")
    )


def contracts_due_for_review(
    *,
    on: dt.date,
    agency_ids: Iterable[int] | None = None,
    supervisor_id: int | None = None,
    within_days: int = 0,
) -> QuerySet[SupervisionContract]:
    """Active contracts whose review date is on or before ``on`` (+ ``within_days``): seed 001
    "reviewed annually", by the agency's contract review period."""
    contracts = _contracts().filter(
        status=ContractStatus.ACTIVE,
        review_due_on__lte=on + dt.timedelta(days=within_days),
    )
    if agency_ids is not None:
        contracts = contracts.filter(agency_id__in=list(agency_ids))
    if supervisor_id is not None:
        contracts = contracts.filter(supervisor_id=supervisor_id)
    return contracts.order_by("review_due_on", "supervisee__family_name")


class ContractStanding(models.TextChoices):
    """How a supervisee stands on a date, for compliance (issue 4)."""

    MISSING = "missing", "No contract"
    UNSIGNED = "unsigned", "Not signed"
    REVIEW_DUE = "review_due", "Review due"
    OK = "ok", "In place"


@dataclass(frozen=True)
class ContractPosition:
    standing: ContractStanding
    contract: SupervisionContract | None


def contract_standings(
    *, supervisee_ids: Iterable[int], on: dt.date
) -> dict[int, ContractPosition]:
    """Per supervisee on ``on``: OK (a signed contract in force, review not yet due),
    REVIEW_DUE (in force but its review date has passed), UNSIGNED (a contract started but
    not yet signed by both on that date) or MISSING (none). One query however many people."""
    ids = list(supervisee_ids)
    positions = {pk: ContractPosition(ContractStanding.MISSING, None) for pk in ids}
    started = (
        _contracts()
        .filter(supervisee_id__in=ids, starts_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .order_by("supervisee_id", "-starts_on", "-revision")
    )
    rank = {
        ContractStanding.MISSING: 0,
        ContractStanding.UNSIGNED: 1,
        ContractStanding.REVIEW_DUE: 2,
        ContractStanding.OK: 3,
    }
    for contract in started:
        if contract.is_in_force_on(on):
            standing = (
                ContractStanding.REVIEW_DUE if contract.review_due_on <= on else ContractStanding.OK
            )
        elif contract.status in OPEN_STATUSES or (
            contract.signed_on is not None and contract.signed_on > on
        ):
            standing = ContractStanding.UNSIGNED
        else:
            continue
        current = positions[contract.supervisee_id]
        if rank[standing] > rank[current.standing]:
            positions[contract.supervisee_id] = ContractPosition(standing, contract)
    return positions


# --- Policies ------------------------------------------------------------------------------


def policies_for_agency(*, agency_id: int) -> QuerySet[SupervisionPolicy]:
    """Every version of an agency's policy, all staff and per staff group, newest first."""
    return (
        SupervisionPolicy.objects.live()
        .filter(agency_id=agency_id)
        .select_related("staff_group", "created_by", "agency")
        .order_by("-effective_from", "staff_group__name", "-id")
    )


POLICY_SETTINGS = (
    ("interval_days", "Expected days between sessions"),
    ("new_starter_interval_days", "Days between sessions for new starters"),
    ("ceiling_days", "Most days between sessions"),
    ("session_types", "Session types"),
    ("counted_session_types", "Session types that count towards supervision"),
    ("record_deadline_working_days", "Working days to sign a record"),
    ("contract_review_months", "Months between contract reviews"),
    ("child_discussion_ceiling_days", "Most days between discussions of a child in need"),
    ("supervisee_may_draft_record", "Supervisee may draft the record for the supervisor"),
)


@dataclass(frozen=True)
class PolicyChange:
    label: str
    before: Any
    after: Any


@dataclass
class PolicyVersionRow:
    policy: SupervisionPolicy
    changes: list[PolicyChange]
    in_force: bool
    future: bool


def _setting_display(name: str, value: Any) -> Any:
    if name in ("session_types", "counted_session_types"):
        labels = dict(SessionType.choices)
        return ", ".join(str(labels.get(v, v)) for v in value or [])
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def policy_history(*, agency_id: int, on: dt.date) -> dict[str, Any]:
    """The agency's policy, version by version, per scope (all staff, then each staff group
    with its own policy): which is in force on ``on``, which are yet to come, and what each
    version changed from the one before it. One query."""
    by_scope: dict[int | None, list[SupervisionPolicy]] = {}
    for policy in policies_for_agency(agency_id=agency_id).order_by("effective_from", "id"):
        by_scope.setdefault(policy.staff_group_id, []).append(policy)
    scopes = []
    for _group_id, versions in sorted(
        by_scope.items(), key=lambda item: (item[0] is not None, _scope_name(item[1][0]))
    ):
        current = None
        for policy in versions:
            if policy.effective_from <= on:
                current = policy
        rows = []
        before: SupervisionPolicy | None = None
        for policy in versions:
            changes = []
            if before is not None:
                for name, label in POLICY_SETTINGS:
                    old, new = getattr(before, name), getattr(policy, name)
                    if old != new:
                        changes.append(
                            PolicyChange(
                                label, _setting_display(name, old), _setting_display(name, new)
                            )
                        )
            rows.append(
                PolicyVersionRow(
                    policy=policy,
                    changes=changes,
                    in_force=policy is current,
                    future=policy.effective_from > on,
                )
            )
            before = policy
        rows.reverse()
        scopes.append(
            {
                "staff_group": versions[0].staff_group,
                "name": _scope_name(versions[0]),
                "current": current,
                "current_settings": [
                    (label, _setting_display(name, getattr(current, name)))
                    for name, label in POLICY_SETTINGS
                ]
                if current is not None
                else [],
                "versions": rows,
            }
        )
    return {"scopes": scopes, "has_agency_policy": None in by_scope}


def _scope_name(policy: SupervisionPolicy) -> str:
    return policy.staff_group.name if policy.staff_group is not None else "All staff"


def default_policy_settings() -> list[tuple[str, Any]]:
    """The seeds' defaults, shown while an agency has no policy of its own."""
    policy = SupervisionPolicy()
    return [
        (label, _setting_display(name, getattr(policy, name))) for name, label in POLICY_SETTINGS
    ]


# --- Supervision relationships without a contract ------------------------------------------


def relationships_without_contract(
    *, supervisor_id: int | None = None, agency_ids: Iterable[int] | None = None, on: dt.date
) -> QuerySet[SupervisionRelationship]:
    """Current supervision relationships with no running (draft, part-signed or active)
    contract: the supervisor's prompt to draft one (seed 001: agreed at the start)."""
    running = SupervisionContract.objects.live().filter(status__in=RUNNING_STATUSES)
    relationships = (
        SupervisionRelationship.objects.on(on)
        # NOT EXISTS (an anti-join on the relationship index), not NOT IN over every contract.
        .exclude(Exists(running.filter(relationship=OuterRef("pk"))))
        .select_related("supervisee", "supervisor", "agency")
        .order_by("supervisee__family_name", "supervisee__given_name")
    )
    if supervisor_id is not None:
        relationships = relationships.filter(supervisor_id=supervisor_id)
    if agency_ids is not None:
        relationships = relationships.filter(agency_id__in=list(agency_ids))
    return relationships


relationships_without_contract_rows = prepared(relationships_without_contract)


def agency_supervision_standings(
    *, agency_id: int, on: dt.date
) -> QuerySet[SupervisionRelationship]:
    """Current supervision relationships in an agency, for the lead's contract overview."""
    return (
        SupervisionRelationship.objects.on(on)
        .filter(agency_id=agency_id)
        .select_related("supervisee", "supervisor")
        .order_by("supervisee__family_name", "supervisee__given_name", "pk")
    )


@prepared
def _contracts_of_person(
    *,
    person_id: int,
    on: dt.date,
    review_by: dt.date,
    supervises: bool,
    relationship_ids: list[int],
) -> QuerySet[SupervisionContract]:
    """``contracts_of_person``'s one read, compiled once per shape (core.prepared)."""
    awaiting_q = Q(status__in=OPEN_STATUSES) & (
        Q(supervisee_id=person_id, supervisee_signed_at__isnull=True)
        | Q(supervisor_id=person_id, supervisor_signed_at__isnull=True)
    )
    scope = awaiting_q | (Q(supervisee_id=person_id) & _in_force_on(on))
    if supervises:
        scope |= Q(
            status=ContractStatus.ACTIVE, review_due_on__lte=review_by, supervisor_id=person_id
        )
    if relationship_ids:
        scope |= Q(relationship_id__in=relationship_ids, status__in=RUNNING_STATUSES)
    # The home names only the supervisor and supervisee; the agency and who signed are on the
    # contract's page (issue 17 item 1: each column selected costs the ORM to compile).
    return (
        SupervisionContract.objects.live().select_related("supervisor", "supervisee").filter(scope)
    )
