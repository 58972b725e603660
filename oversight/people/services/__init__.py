"""Writes about people and organisation. Each service validates, locks what it changes,
stamps it (core.services tracked_*) and writes the audit log (seed 001 "Recording").

A package by topic; callers import from ``oversight.people.services`` as before."""

from .accounts import (
    PERSON_FIELDS,
    invitation_resend,
    person_create,
    person_deactivate,
    person_update,
)
from .change_requests import supervision_change_decide, supervision_change_request
from .organisation import (
    AGENCY_FIELDS,
    TEAM_FIELDS,
    agency_create,
    agency_update,
    staff_group_create,
    team_create,
    team_update,
)
from .posts import MEMBERSHIP_FIELDS, membership_create, membership_end, membership_update
from .relationships import (
    line_management_end,
    line_management_start,
    supervision_relationship_end,
    supervision_relationship_start,
)
from .roles_and_training import role_assign, role_end, training_record_add, training_record_archive
from .standards import (
    REQUIREMENT_FIELDS,
    qualification_add,
    qualification_archive,
    supervisor_check,
    supervisor_exception_grant,
    supervisor_exception_withdraw,
    supervisor_requirements_set,
)

__all__ = [
    "AGENCY_FIELDS",
    "MEMBERSHIP_FIELDS",
    "PERSON_FIELDS",
    "REQUIREMENT_FIELDS",
    "TEAM_FIELDS",
    "agency_create",
    "agency_update",
    "invitation_resend",
    "line_management_end",
    "line_management_start",
    "membership_create",
    "membership_end",
    "membership_update",
    "person_create",
    "person_deactivate",
    "person_update",
    "qualification_add",
    "qualification_archive",
    "role_assign",
    "role_end",
    "staff_group_create",
    "supervision_change_decide",
    "supervision_change_request",
    "supervision_relationship_end",
    "supervision_relationship_start",
    "supervisor_check",
    "supervisor_exception_grant",
    "supervisor_exception_withdraw",
    "supervisor_requirements_set",
    "team_create",
    "team_update",
    "training_record_add",
    "training_record_archive",
]
