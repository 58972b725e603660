"""Who may register and look after integrations (issue 16 item 2).

- the agency lead of an agency (today: the role and a post there, decision 0002) registers
  its case systems, rotates their secrets, subscribes them to webhooks and reads their
  delivery log; never another agency's;
- the administrator, for every agency;
- the API reference: the same people (they give the systems' developers what they need).
Everyone else, including the partnership auditor, is refused. What an integration itself may
do is decided by its scopes and its agency (api/auth.py), not here."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import rules

from oversight.people.selectors import access_profile


@rules.predicate
def is_administrator(user: Any) -> bool:
    return access_profile(user).is_administrator


@rules.predicate
def leads_an_agency(user: Any) -> bool:
    return bool(access_profile(user).led_agency_ids)


@rules.predicate
def leads_integration_agency(user: Any, integration: Any) -> bool:
    agency_id = getattr(integration, "agency_id", None)
    return agency_id is not None and agency_id in access_profile(user).led_agency_ids


class Permission(StrEnum):
    """Every rule this app registers with ``rules``: views name these, never bare strings."""

    VIEW_API_REFERENCE = "integrations.view_api_reference"
    LIST_INTEGRATIONS = "integrations.list_integrations"
    REGISTER_INTEGRATION = "integrations.register_integration"
    MANAGE_INTEGRATION = "integrations.manage_integration"


looks_after = rules.is_authenticated & (is_administrator | leads_an_agency)

rules.add_perm(Permission.VIEW_API_REFERENCE, looks_after)
rules.add_perm(Permission.LIST_INTEGRATIONS, looks_after)
rules.add_perm(Permission.REGISTER_INTEGRATION, looks_after)
rules.add_perm(
    Permission.MANAGE_INTEGRATION,
    rules.is_authenticated & (is_administrator | leads_integration_agency),
)
