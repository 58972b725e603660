"""Who may use each policy and contract URL (see oversight/contracts/rules.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from oversight.core.testing import AccessCase
from oversight.people.models import SupervisionRelationship

from .factories import SupervisionContractFactory

WITH_A_POST = {
    "practitioner",
    "supervisor",
    "line_manager",
    "agency_lead",
    "other_practitioner",
    "other_supervisor",
    "other_lead",
    "stranger",
}
AGENCY_MEMBERS = {"practitioner", "supervisor", "line_manager", "agency_lead", "stranger"}
CONTRACT_READERS = {"practitioner", "supervisor", "line_manager", "agency_lead"}


def _contract(cast: Any, **kwargs: Any) -> dict[str, Any]:
    relationship = SupervisionRelationship.objects.get(supervisee=cast.practitioner)
    contract: Any = SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        relationship=relationship,
        **kwargs,
    )
    return {"pk": contract.pk}


def draft(cast: Any) -> dict[str, Any]:
    return _contract(cast)


def signed_by_supervisor(cast: Any) -> dict[str, Any]:
    return _contract(
        cast,
        status="awaiting_signatures",
        supervisor_signed_at=timezone.now(),
        supervisor_signed_by=cast.supervisor,
    )


def active(cast: Any) -> dict[str, Any]:
    return _contract(cast, signed=True)


def other_agency_active(cast: Any) -> dict[str, Any]:
    contract: Any = SupervisionContractFactory(
        supervisor=cast.other_supervisor,
        supervisee=cast.other_practitioner,
        agency=cast.other_agency,
        signed=True,
    )
    return {"pk": contract.pk}


def agency(cast: Any) -> dict[str, Any]:
    return {"agency_pk": cast.agency.pk}


CASES = [
    AccessCase("contracts:contract_list", allowed=WITH_A_POST),
    AccessCase("contracts:agency_policy", setup=agency, allowed=AGENCY_MEMBERS | {"administrator"}),
    AccessCase(
        "contracts:agency_policy",
        note="another agency",
        setup=lambda cast: {"agency_pk": cast.other_agency.pk},
        allowed={"other_practitioner", "other_supervisor", "other_lead", "administrator"},
    ),
    AccessCase("contracts:policy_create", setup=agency, allowed={"agency_lead"}),
    AccessCase("contracts:agency_contracts", setup=agency, allowed={"agency_lead"}),
    AccessCase(
        "contracts:contract_create",
        setup=lambda cast: {
            "relationship_pk": SupervisionRelationship.objects.get(supervisee=cast.practitioner).pk
        },
        allowed={"supervisor"},
    ),
    AccessCase("contracts:contract_detail", note="draft", setup=draft, allowed=CONTRACT_READERS),
    AccessCase(
        "contracts:contract_detail",
        note="another agency",
        setup=other_agency_active,
        allowed={"other_practitioner", "other_supervisor", "other_lead"},
    ),
    AccessCase("contracts:contract_print", setup=active, allowed=CONTRACT_READERS),
    AccessCase("contracts:contract_edit", note="draft", setup=draft, allowed={"supervisor"}),
    AccessCase("contracts:contract_edit", note="signed", setup=active, allowed=set()),
    AccessCase(
        "contracts:contract_sign",
        note="draft",
        setup=draft,
        allowed={"practitioner", "supervisor"},
    ),
    AccessCase(
        "contracts:contract_sign",
        note="supervisor has signed",
        setup=signed_by_supervisor,
        allowed={"practitioner"},
    ),
    AccessCase("contracts:contract_sign", note="signed", setup=active, allowed=set()),
    AccessCase("contracts:contract_review", note="active", setup=active, allowed={"supervisor"}),
    AccessCase("contracts:contract_review", note="draft", setup=draft, allowed=set()),
    AccessCase("contracts:contract_end", setup=active, allowed={"supervisor", "agency_lead"}),
]
