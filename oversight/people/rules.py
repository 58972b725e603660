"""Who may see and change people and organisation (issue 2 "Access rules").

- everyone signed in: their own home page and record; the list of agencies;
- safeguarding supervisor: their current supervisees;
- line manager: their current reports;
- agency safeguarding lead: everyone with a current post in their agency;
- partnership auditor: partnership-wide figures, never personal records;
- administrator: organisation, relationships, roles and training across the partnership.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import rules
from django.utils import timezone

from .selectors import access_profile, person_agency_ids


class Permission(StrEnum):
    """Every rule this app registers with ``rules``: views name these, never bare strings."""

    VIEW_HOME = "people.view_home"
    LIST_PEOPLE = "people.list_people"
    VIEW_PERSON = "people.view_person"
    LIST_AGENCIES = "people.list_agencies"
    VIEW_AGENCY = "people.view_agency"
    VIEW_TEAM = "people.view_team"
    MANAGE_ORGANISATION = "people.manage_organisation"
    MANAGE_OUTGOING_EMAIL = "people.manage_outgoing_email"
    VIEW_STAFF_IMPORT = "people.view_staff_import"
    # Issue 15 items 5, 6 and 9.
    VIEW_SUPERVISOR_STANDARDS = "people.view_supervisor_standards"
    CHANGE_SUPERVISOR_REQUIREMENTS = "people.change_supervisor_requirements"
    MANAGE_SUPERVISOR_EXCEPTIONS = "people.manage_supervisor_exceptions"
    VIEW_STAFF_TRAINING = "people.view_staff_training"
    VIEW_OWN_ARRANGEMENTS = "people.view_own_arrangements"
    REQUEST_SUPERVISION_CHANGE = "people.request_supervision_change"
    LIST_SUPERVISION_CHANGE_REQUESTS = "people.list_supervision_change_requests"
    DECIDE_SUPERVISION_CHANGE = "people.decide_supervision_change"


@rules.predicate
def is_administrator(user: Any) -> bool:
    return access_profile(user).is_administrator


@rules.predicate
def is_partnership_auditor(user: Any) -> bool:
    return access_profile(user).is_partnership_auditor


@rules.predicate
def is_agency_lead(user: Any) -> bool:
    return bool(access_profile(user).led_agency_ids)


@rules.predicate
def is_self(user: Any, person: Any) -> bool:
    return person is not None and user.pk == person.pk


@rules.predicate
def supervises(user: Any, person: Any) -> bool:
    return person is not None and person.pk in access_profile(user).supervisee_ids


@rules.predicate
def line_manages(user: Any, person: Any) -> bool:
    return person is not None and person.pk in access_profile(user).report_ids


@rules.predicate
def leads_agency_of_person(user: Any, person: Any) -> bool:
    led = access_profile(user).led_agency_ids
    return person is not None and bool(led) and bool(led & person_agency_ids(person))


@rules.predicate
def leads_agency(user: Any, agency: Any) -> bool:
    return agency is not None and agency.pk in access_profile(user).led_agency_ids


@rules.predicate
def member_of_agency(user: Any, agency: Any) -> bool:
    return agency is not None and agency.pk in access_profile(user).member_agency_ids


@rules.predicate
def member_of_team_agency(user: Any, team: Any) -> bool:
    return team is not None and team.agency_id in access_profile(user).member_agency_ids


@rules.predicate
def leads_team_agency(user: Any, team: Any) -> bool:
    return team is not None and team.agency_id in access_profile(user).led_agency_ids


@rules.predicate
def has_people_in_view(user: Any) -> bool:
    profile = access_profile(user)
    return bool(
        profile.is_administrator
        or profile.led_agency_ids
        or profile.supervisee_ids
        or profile.report_ids
    )


can_view_person = is_self | supervises | line_manages | leads_agency_of_person | is_administrator

rules.add_perm(Permission.VIEW_HOME, rules.is_authenticated)
rules.add_perm(Permission.LIST_PEOPLE, rules.is_authenticated & has_people_in_view)
rules.add_perm(Permission.VIEW_PERSON, rules.is_authenticated & can_view_person)
rules.add_perm(Permission.LIST_AGENCIES, rules.is_authenticated)
rules.add_perm(
    Permission.VIEW_AGENCY,
    rules.is_authenticated
    & (is_administrator | is_partnership_auditor | leads_agency | member_of_agency),
)
rules.add_perm(
    Permission.VIEW_TEAM,
    rules.is_authenticated & (is_administrator | leads_team_agency | member_of_team_agency),
)
rules.add_perm(Permission.MANAGE_ORGANISATION, rules.is_authenticated & is_administrator)
# Issue 10 item 2: emails that were not sent, and sending them again.
rules.add_perm(Permission.MANAGE_OUTGOING_EMAIL, rules.is_authenticated & is_administrator)
# Issue 10 item 9: a staff import's progress and outcome, for whoever may import.
rules.add_perm(Permission.VIEW_STAFF_IMPORT, rules.is_authenticated & is_administrator)


# --- Issue 15 items 5, 6 and 9 ----------------------------------------------------------------


@rules.predicate
def party_to_current_supervision(user: Any, relationship: Any) -> bool:
    """The supervisor or the supervisee of a supervision relationship that holds today."""
    if relationship is None or relationship.archived_at is not None:
        return False
    return user.pk in (
        relationship.supervisor_id,
        relationship.supervisee_id,
    ) and relationship.is_current_on(timezone.localdate())


@rules.predicate
def leads_request_agency(user: Any, request: Any) -> bool:
    return (
        request is not None
        and request.relationship.agency_id in access_profile(user).led_agency_ids
    )


@rules.predicate
def request_is_open(user: Any, request: Any) -> bool:
    return request is not None and request.is_open


# Seed 004: the lead sets and watches the agency's minimum requirements for supervisors, and
# only a lead records an exception to them; the administrator, who assigns supervisors, sees
# who falls short.
rules.add_perm(
    Permission.VIEW_SUPERVISOR_STANDARDS,
    rules.is_authenticated & (leads_agency | is_administrator),
)
rules.add_perm(Permission.CHANGE_SUPERVISOR_REQUIREMENTS, rules.is_authenticated & leads_agency)
rules.add_perm(Permission.MANAGE_SUPERVISOR_EXCEPTIONS, rules.is_authenticated & leads_agency)
# Seed 002: safeguarding training for all staff, by staff group, for the agency's lead.
rules.add_perm(
    Permission.VIEW_STAFF_TRAINING, rules.is_authenticated & (leads_agency | is_administrator)
)
# Seeking alternative arrangements: either party asks, the agency's lead decides.
rules.add_perm(Permission.VIEW_OWN_ARRANGEMENTS, rules.is_authenticated)
rules.add_perm(
    Permission.REQUEST_SUPERVISION_CHANGE, rules.is_authenticated & party_to_current_supervision
)
rules.add_perm(Permission.LIST_SUPERVISION_CHANGE_REQUESTS, rules.is_authenticated & leads_agency)
rules.add_perm(
    Permission.DECIDE_SUPERVISION_CHANGE,
    rules.is_authenticated & leads_request_agency & request_is_open,
)
