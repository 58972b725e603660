"""Who may see and change supervision policy and contracts (issue 3 items 1 and 2).

Policy (object: the agency): its agency safeguarding lead changes it (a new version); anyone
with a post in the agency, the lead and the administrator view it.

Contract (object: the contract): its supervisor (while they supervise the supervisee today,
decision 0002) and supervisee, the supervisee's line manager and the lead of its agency view
it. Only the supervisor drafts, edits and reviews; each party
signs only for themselves. The partnership auditor and the administrator do not see
contracts: they are personal supervision records (seed 001 "Recording": confidential).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import rules

from oversight.people.rules import is_administrator, leads_agency, member_of_agency
from oversight.people.selectors import access_profile

from .models import OPEN_STATUSES, ContractStatus


class Permission(StrEnum):
    """Every rule this app registers with ``rules``: views name these, never bare strings."""

    VIEW_POLICY = "contracts.view_policy"
    CHANGE_POLICY = "contracts.change_policy"
    LIST_CONTRACTS = "contracts.list_contracts"
    LIST_AGENCY_CONTRACTS = "contracts.list_agency_contracts"
    VIEW_CONTRACT = "contracts.view_contract"
    CREATE_CONTRACT = "contracts.create_contract"
    CHANGE_CONTRACT = "contracts.change_contract"
    SIGN_CONTRACT = "contracts.sign_contract"
    REVIEW_CONTRACT = "contracts.review_contract"
    END_CONTRACT = "contracts.end_contract"


@rules.predicate
def has_a_post(user: Any) -> bool:
    return bool(access_profile(user).member_agency_ids)


@rules.predicate
def is_contract_supervisor(user: Any, contract: Any) -> bool:
    """The contract's supervisor while they supervise the supervisee today (decision 0002:
    what a relationship opened it closes when it ends). A former supervisor no longer
    sees, changes, reviews, signs or ends it; the supervisee and the lead still do."""
    return (
        contract is not None
        and contract.supervisor_id == user.pk
        and contract.supervisee_id in access_profile(user).supervisee_ids
    )


@rules.predicate
def is_contract_supervisee(user: Any, contract: Any) -> bool:
    return contract is not None and contract.supervisee_id == user.pk


@rules.predicate
def line_manages_contract_supervisee(user: Any, contract: Any) -> bool:
    return contract is not None and contract.supervisee_id in access_profile(user).report_ids


@rules.predicate
def leads_contract_agency(user: Any, contract: Any) -> bool:
    return contract is not None and contract.agency_id in access_profile(user).led_agency_ids


@rules.predicate
def contract_is_open(user: Any, contract: Any) -> bool:
    return contract is not None and contract.status in OPEN_STATUSES


@rules.predicate
def contract_is_active(user: Any, contract: Any) -> bool:
    return contract is not None and contract.status == ContractStatus.ACTIVE


@rules.predicate
def contract_is_running(user: Any, contract: Any) -> bool:
    return contract is not None and (
        contract.status in OPEN_STATUSES or contract.status == ContractStatus.ACTIVE
    )


@rules.predicate
def has_not_signed(user: Any, contract: Any) -> bool:
    if contract is None:
        return False
    if contract.supervisor_id == user.pk:
        return contract.supervisor_signed_at is None
    if contract.supervisee_id == user.pk:
        return contract.supervisee_signed_at is None
    return False


@rules.predicate
def supervises_in_relationship(user: Any, relationship: Any) -> bool:
    """The relationship is this person's, as supervisor, and current today."""
    return (
        relationship is not None
        and relationship.supervisor_id == user.pk
        and relationship.supervisee_id in access_profile(user).supervisee_ids
    )


is_party = is_contract_supervisor | is_contract_supervisee

rules.add_perm(
    Permission.VIEW_POLICY,
    rules.is_authenticated & (is_administrator | leads_agency | member_of_agency),
)
rules.add_perm(Permission.CHANGE_POLICY, rules.is_authenticated & leads_agency)

rules.add_perm(Permission.LIST_CONTRACTS, rules.is_authenticated & has_a_post)
rules.add_perm(Permission.LIST_AGENCY_CONTRACTS, rules.is_authenticated & leads_agency)
rules.add_perm(
    Permission.VIEW_CONTRACT,
    rules.is_authenticated & (is_party | line_manages_contract_supervisee | leads_contract_agency),
)
rules.add_perm(Permission.CREATE_CONTRACT, rules.is_authenticated & supervises_in_relationship)
rules.add_perm(
    Permission.CHANGE_CONTRACT,
    rules.is_authenticated & is_contract_supervisor & contract_is_open,
)
rules.add_perm(
    Permission.SIGN_CONTRACT,
    rules.is_authenticated & is_party & contract_is_open & has_not_signed,
)
rules.add_perm(
    Permission.REVIEW_CONTRACT,
    rules.is_authenticated & is_contract_supervisor & contract_is_active,
)
rules.add_perm(
    Permission.END_CONTRACT,
    rules.is_authenticated & (is_contract_supervisor | leads_contract_agency) & contract_is_running,
)
