"""The access rules for policy and contracts, role by role, including who is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from oversight.core.testing import ROLE_NAMES
from oversight.people.models import SupervisionRelationship

from .factories import SupervisionContractFactory

pytestmark = pytest.mark.django_db

# (permission, state of the supervisor→practitioner contract, roles allowed)
EXPECTED = [
    ("view_contract", "draft", {"supervisor", "practitioner", "line_manager", "agency_lead"}),
    ("view_contract", "active", {"supervisor", "practitioner", "line_manager", "agency_lead"}),
    ("change_contract", "draft", {"supervisor"}),
    ("change_contract", "active", set()),
    ("sign_contract", "draft", {"supervisor", "practitioner"}),
    ("sign_contract", "supervisee_signed", {"supervisor"}),
    ("sign_contract", "active", set()),
    ("review_contract", "active", {"supervisor"}),
    ("review_contract", "draft", set()),
    ("end_contract", "active", {"supervisor", "agency_lead"}),
    ("end_contract", "ended", set()),
]


def _contract(cast: Any, state: str) -> Any:
    kwargs: dict[str, Any] = {}
    if state == "active":
        kwargs["signed"] = True
    elif state == "ended":
        kwargs.update(signed=True, status="ended", ended_on=timezone.localdate())
    elif state == "supervisee_signed":
        kwargs.update(
            status="awaiting_signatures",
            supervisee_signed_at=timezone.now(),
            supervisee_signed_by=cast.practitioner,
        )
    return SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        relationship=SupervisionRelationship.objects.get(supervisee=cast.practitioner),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("perm", "state", "allowed"),
    EXPECTED,
    ids=lambda v: str(sorted(v) if isinstance(v, set) else v),
)
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_contract_rules(cast, perm, state, allowed, role):
    contract = _contract(cast, state)
    user = cast.by_name(role)
    assert user.has_perm(f"contracts.{perm}", contract) is (role in allowed)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_policy_rules(cast, role):
    user = cast.by_name(role)
    members = {"practitioner", "supervisor", "line_manager", "agency_lead", "stranger"}
    assert user.has_perm("contracts.view_policy", cast.agency) is (
        role in members | {"administrator"}
    )
    assert user.has_perm("contracts.change_policy", cast.agency) is (role == "agency_lead")
    assert user.has_perm("contracts.change_policy", cast.other_agency) is (role == "other_lead")


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_the_current_supervisor_drafts(cast, role):
    relationship = SupervisionRelationship.objects.get(supervisee=cast.practitioner)
    user = cast.by_name(role)
    assert user.has_perm("contracts.create_contract", relationship) is (role == "supervisor")


@pytest.mark.parametrize("role", ["auditor", "administrator"])
def test_auditor_and_administrator_never_see_contracts(cast, role):
    contract = _contract(cast, "active")
    user = cast.by_name(role)
    assert not user.has_perm("contracts.view_contract", contract)
    assert not user.has_perm("contracts.list_contracts")
