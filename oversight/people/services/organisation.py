"""Agencies, teams and staff groups (issue 2 "Organisation"): names are unique, agencies
across the partnership and teams and staff groups within their agency."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from oversight.core.services import RequestOrigin

from ..models import Agency, Nation, Partnership, Person, StaffGroup, Team
from .base import _create, _update

AGENCY_FIELDS = frozenset({"name", "sector", "nation"})
TEAM_FIELDS = frozenset({"name"})


@transaction.atomic
def agency_create(
    *,
    actor: Person,
    name: str,
    sector: str,
    nation: str = Nation.ENGLAND,
    partnership: Partnership | None = None,
    origin: RequestOrigin | None = None,
) -> Agency:
    """Add an agency to the partnership (issue 2 "Organisation"); ``nation`` decides which
    bank holidays are non-working days for its deadlines."""
    if partnership is None:
        partnership = Partnership.objects.order_by("pk").first()
        if partnership is None:
            raise ValidationError("Set up the partnership before adding agencies.")
    name = name.strip()
    if Agency.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "An agency with this name already exists."})
    agency = Agency(partnership=partnership, name=name, sector=sector, nation=nation)
    return _create(agency, actor=actor, origin=origin)


@transaction.atomic
def agency_update(
    *,
    actor: Person,
    agency: Agency,
    changes: dict[str, Any],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> Agency:
    name = str(changes.get("name", agency.name)).strip()
    if Agency.objects.filter(name__iexact=name).exclude(pk=agency.pk).exists():
        raise ValidationError({"name": "An agency with this name already exists."})
    return _update(
        agency,
        actor=actor,
        changes=changes,
        allowed=AGENCY_FIELDS,
        expected_version=expected_version,
        origin=origin,
    )


def _unique_in_agency(model: type[models.Model], agency: Agency, name: str, pk: Any) -> None:
    if model._default_manager.filter(agency=agency, name__iexact=name).exclude(pk=pk).exists():
        label = model._meta.verbose_name
        raise ValidationError({"name": f"This agency already has a {label} with this name."})


@transaction.atomic
def team_create(
    *, actor: Person, agency: Agency, name: str, origin: RequestOrigin | None = None
) -> Team:
    name = name.strip()
    _unique_in_agency(Team, agency, name, None)
    return _create(Team(agency=agency, name=name), actor=actor, origin=origin)


@transaction.atomic
def team_update(
    *,
    actor: Person,
    team: Team,
    changes: dict[str, Any],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> Team:
    _unique_in_agency(Team, team.agency, str(changes.get("name", team.name)).strip(), team.pk)
    return _update(
        team,
        actor=actor,
        changes=changes,
        allowed=TEAM_FIELDS,
        expected_version=expected_version,
        origin=origin,
    )


@transaction.atomic
def staff_group_create(
    *, actor: Person, agency: Agency, name: str, origin: RequestOrigin | None = None
) -> StaffGroup:
    """A staff group an agency sets supervision policy for (seed 004 Appendix IV)."""
    name = name.strip()
    _unique_in_agency(StaffGroup, agency, name, None)
    return _create(StaffGroup(agency=agency, name=name), actor=actor, origin=origin)
