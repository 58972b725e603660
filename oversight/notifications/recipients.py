"""Who is told of what (issue 11 item 3): only the people in the relationship."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oversight.children.models import Escalation, EscalationLevel
from oversight.people.models import (
    LineManagement,
    Membership,
    Person,
    Role,
    RoleAssignment,
    SupervisionRelationship,
)
from oversight.supervision.selectors import decision_authoriser_ids


def agency_leads(agency_id: int, *, on: dt.date | None = None) -> list[Person]:
    day = on or timezone.localdate()
    return list(
        Person.objects.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.on(day)
            .filter(role=Role.AGENCY_LEAD, agency_id=agency_id)
            .values("person_id"),
        )
    )


def supervisors_of(person_id: int, *, on: dt.date | None = None) -> list[Person]:
    day = on or timezone.localdate()
    return list(
        Person.objects.filter(
            is_active=True,
            pk__in=SupervisionRelationship.objects.on(day)
            .filter(supervisee_id=person_id)
            .values("supervisor_id"),
        )
    )


def line_managers_of(person_id: int, *, on: dt.date | None = None) -> list[Person]:
    day = on or timezone.localdate()
    return list(
        Person.objects.filter(
            is_active=True,
            pk__in=LineManagement.objects.on(day).filter(report_id=person_id).values("manager_id"),
        )
    )


def escalation_addressees(escalation: Escalation) -> list[Person]:
    """The person an escalation at its current level is addressed to (seed 004 objective 7):
    the raiser's supervisor, then their line manager, then the agency's safeguarding lead
    (senior management), then the leads of both agencies at partnership level."""
    level = escalation.level
    raiser = escalation.raised_by_id
    people: list[Any]
    if level == EscalationLevel.SUPERVISOR:
        people = supervisors_of(raiser)
    elif level == EscalationLevel.LINE_MANAGER:
        people = line_managers_of(raiser)
    else:
        people = agency_leads(escalation.agency_id)
        if level == EscalationLevel.PARTNERSHIP and escalation.about_agency_id:
            people += agency_leads(escalation.about_agency_id)
    return [p for p in people if p.pk != raiser]


def senior_managers(agency_id: int, *, on: dt.date | None = None) -> list[Person]:
    """The agency's senior managers today, with a post there (seed 004 "Line management")."""
    day = on or timezone.localdate()
    return list(
        Person.objects.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.on(day)
            .filter(role=Role.SENIOR_MANAGER, agency_id=agency_id)
            .values("person_id"),
            memberships__in=Membership.objects.on(day).filter(agency_id=agency_id),
        ).distinct()
    )


def decision_authorisers(decision: Any, *, on: dt.date | None = None) -> list[Person]:
    """Who is told a decision waits for authorisation: supervision states who they are
    (``supervision.selectors.decision_authoriser_ids``, the same rule as ``may_authorise``)."""
    return list(
        Person.objects.filter(is_active=True, pk__in=decision_authoriser_ids(decision, on=on))
    )
