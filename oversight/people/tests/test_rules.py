"""Every people permission × every member of the cast, allow and deny (issue 2 "Access")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from oversight.core.testing import ROLE_NAMES

EVERYONE = set(ROLE_NAMES)
AGENCY_STAFF = {"practitioner", "supervisor", "line_manager", "agency_lead", "stranger"}

# (permission, object from the cast, who is allowed)
TABLE: list[tuple[str, Callable[[Any], Any], set[str]]] = [
    ("people.view_home", lambda c: None, EVERYONE),
    ("people.list_agencies", lambda c: None, EVERYONE),
    (
        "people.list_people",
        lambda c: None,
        {"supervisor", "line_manager", "agency_lead", "other_supervisor", "other_lead"}
        | {"administrator"},
    ),
    (
        "people.view_person",
        lambda c: c.practitioner,
        {"practitioner", "supervisor", "line_manager", "agency_lead", "administrator"},
    ),
    (
        "people.view_person",
        lambda c: c.supervisor,
        {"supervisor", "agency_lead", "administrator"},
    ),
    (
        "people.view_person",
        lambda c: c.other_practitioner,
        {"other_practitioner", "other_supervisor", "other_lead", "administrator"},
    ),
    ("people.view_person", lambda c: c.auditor, {"auditor", "administrator"}),
    ("people.view_agency", lambda c: c.agency, AGENCY_STAFF | {"auditor", "administrator"}),
    (
        "people.view_agency",
        lambda c: c.other_agency,
        {"other_practitioner", "other_supervisor", "other_lead", "auditor", "administrator"},
    ),
    ("people.view_team", lambda c: c.team, AGENCY_STAFF | {"administrator"}),
    ("people.manage_organisation", lambda c: None, {"administrator"}),
]


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    "perm, target, allowed", TABLE, ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(TABLE)]
)
def test_permission(
    cast: Any, role: str, perm: str, target: Callable[[Any], Any], allowed: set[str]
) -> None:
    user = cast.by_name(role)
    assert user.has_perm(perm, target(cast)) is (role in allowed)


def test_anonymous_has_no_permission(cast: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not any(anonymous.has_perm(perm, target(cast)) for perm, target, _ in TABLE)


def test_a_closed_account_loses_its_access(cast: Any) -> None:
    cast.supervisor.is_active = False
    cast.supervisor.save()
    assert not cast.supervisor.has_perm("people.view_person", cast.practitioner)
