"""Who may use each people-and-organisation URL (see oversight/people/rules.py)."""

from typing import Any

from oversight.core.testing import AccessCase
from oversight.people.models import (
    LineManagement,
    Membership,
    RoleAssignment,
    SupervisionRelationship,
    TrainingRecord,
)

EVERYONE = {
    "practitioner",
    "supervisor",
    "line_manager",
    "agency_lead",
    "other_practitioner",
    "other_supervisor",
    "other_lead",
    "auditor",
    "administrator",
    "stranger",
}

CASES = [
    AccessCase("home", allowed=EVERYONE),
    AccessCase(
        "people:person_list",
        allowed={
            "supervisor",
            "line_manager",
            "agency_lead",
            "other_supervisor",
            "other_lead",
            "administrator",
        },
    ),
    AccessCase(
        "people:person_detail",
        note="a practitioner",
        setup=lambda cast: {"pk": cast.practitioner.pk},
        allowed={"practitioner", "supervisor", "line_manager", "agency_lead", "administrator"},
    ),
    AccessCase(
        "people:person_detail",
        note="a practitioner in another agency",
        setup=lambda cast: {"pk": cast.other_practitioner.pk},
        allowed={"other_practitioner", "other_supervisor", "other_lead", "administrator"},
    ),
    AccessCase("people:agency_list", allowed=EVERYONE),
    AccessCase(
        "people:agency_detail",
        setup=lambda cast: {"pk": cast.agency.pk},
        allowed={
            "practitioner",
            "supervisor",
            "line_manager",
            "agency_lead",
            "stranger",
            "auditor",
            "administrator",
        },
    ),
    AccessCase(
        "people:team_detail",
        setup=lambda cast: {"pk": cast.team.pk},
        allowed={
            "practitioner",
            "supervisor",
            "line_manager",
            "agency_lead",
            "stranger",
            "administrator",
        },
    ),
]


def _first(model: type, **filters: object) -> dict[str, int]:
    return {"pk": model._default_manager.filter(**filters).values_list("pk", flat=True)[0]}  # type: ignore[attr-defined]


ADMIN = {"administrator"}
CASES += [
    AccessCase(name, allowed=ADMIN)
    for name in (
        "people:manage_index",
        "people:manage_agency_list",
        "people:agency_create",
        "people:manage_person_list",
        "people:person_create",
        "people:staff_import",
        "people:staff_import_template",
    )
]
CASES += [
    AccessCase(name, allowed=ADMIN, setup=lambda cast: {"pk": cast.agency.pk})
    for name in ("people:agency_edit", "people:team_create", "people:staff_group_create")
]
CASES += [
    AccessCase(name, allowed=ADMIN, setup=lambda cast: {"pk": cast.practitioner.pk})
    for name in (
        "people:manage_person",
        "people:person_edit",
        "people:person_deactivate",
        "people:post_create",
        "people:supervision_start",
        "people:line_management_start",
        "people:role_assign",
        "people:training_add",
    )
]
CASES += [
    AccessCase("people:team_edit", allowed=ADMIN, setup=lambda cast: {"pk": cast.team.pk}),
    AccessCase(
        "people:post_edit",
        allowed=ADMIN,
        setup=lambda cast: _first(Membership, person=cast.practitioner),
    ),
    AccessCase(
        "people:post_end",
        allowed=ADMIN,
        setup=lambda cast: _first(Membership, person=cast.practitioner),
    ),
    AccessCase(
        "people:supervision_end",
        allowed=ADMIN,
        setup=lambda cast: _first(SupervisionRelationship, supervisee=cast.practitioner),
    ),
    AccessCase(
        "people:line_management_end",
        allowed=ADMIN,
        setup=lambda cast: _first(LineManagement, report=cast.practitioner),
    ),
    AccessCase(
        "people:role_end",
        allowed=ADMIN,
        setup=lambda cast: _first(RoleAssignment, person=cast.practitioner),
    ),
    AccessCase(
        "people:training_archive",
        allowed=ADMIN,
        setup=lambda cast: _first(TrainingRecord, person=cast.supervisor),
    ),
]


def _failed_email(cast: object) -> dict[str, int]:
    from django.utils import timezone

    from oversight.core.models import OutgoingEmail, OutgoingEmailState

    email = OutgoingEmail.objects.create(
        purpose="Disclosure alert to the agency safeguarding lead",
        to="lead@example.org",
        subject="Oversight",
        body="Sign in",
        state=OutgoingEmailState.FAILED,
        attempts=6,
        failed_at=timezone.now(),
    )
    return {"pk": email.pk}


CASES += [
    AccessCase("people:failed_email_list", allowed=ADMIN),
    AccessCase("people:failed_email_resend", allowed=ADMIN, method="post", setup=_failed_email),
]


def _staff_import(cast: Any) -> dict[str, int]:
    from oversight.people.models import StaffImport

    job = StaffImport.objects.create(
        filename="staff.csv",
        content="given_name\n",
        rows_total=1,
        created_by=cast.administrator,
    )
    return {"pk": job.pk}


# Issue 10 item 9: an import's progress and outcome, for whoever may import.
CASES += [AccessCase("people:staff_import_progress", allowed=ADMIN, setup=_staff_import)]
CASES += [
    AccessCase(
        "people:invitation_resend",
        allowed=ADMIN,
        method="post",
        setup=lambda cast: {"pk": cast.practitioner.pk},
    ),
]


# Issue 15 items 5, 6 and 9: the lead's pages about supervisors and training, and requests to
# change a supervisory relationship.
def _exception(cast: Any) -> dict[str, int]:
    from django.utils import timezone

    from oversight.people.models import SupervisorException

    exception = SupervisorException.objects.create(
        agency=cast.agency,
        supervisor=cast.supervisor,
        reason="Training booked for next month",
        granted_by=cast.agency_lead,
        granted_on=timezone.localdate(),
    )
    return {"pk": exception.pk}


def _change_request(cast: Any) -> dict[str, int]:
    from oversight.people.models import SupervisionChangeRequest

    request = SupervisionChangeRequest.objects.create(
        relationship=SupervisionRelationship.objects.get(supervisee=cast.practitioner),
        requested_by=cast.practitioner,
        reason="We would both benefit from a fresh perspective",
    )
    return {"pk": request.pk}


LEAD = {"agency_lead"}
CASES += [
    AccessCase(
        "people:supervisor_standards",
        allowed=LEAD | ADMIN,
        setup=lambda cast: {"pk": cast.agency.pk},
    ),
    AccessCase(
        "people:supervisor_standards",
        note="another agency",
        allowed={"other_lead"} | ADMIN,
        setup=lambda cast: {"pk": cast.other_agency.pk},
    ),
    AccessCase(
        "people:supervisor_requirements", allowed=LEAD, setup=lambda cast: {"pk": cast.agency.pk}
    ),
    AccessCase(
        "people:supervisor_exception_grant",
        allowed=LEAD,
        setup=lambda cast: {"pk": cast.agency.pk, "person_pk": cast.supervisor.pk},
    ),
    AccessCase("people:supervisor_exception_withdraw", allowed=LEAD, setup=_exception),
    AccessCase(
        "people:staff_training", allowed=LEAD | ADMIN, setup=lambda cast: {"pk": cast.agency.pk}
    ),
    AccessCase(
        "people:qualification_add", allowed=ADMIN, setup=lambda cast: {"pk": cast.supervisor.pk}
    ),
    AccessCase("people:my_arrangements", allowed=EVERYONE),
    AccessCase(
        "people:change_request_create",
        allowed={"practitioner", "supervisor"},
        setup=lambda cast: _first(SupervisionRelationship, supervisee=cast.practitioner),
    ),
    AccessCase(
        "people:change_request_list", allowed=LEAD, setup=lambda cast: {"pk": cast.agency.pk}
    ),
    AccessCase("people:change_request_decide", allowed=LEAD, setup=_change_request),
]
