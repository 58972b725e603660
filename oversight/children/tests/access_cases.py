"""Who may use each children-in-view URL (see oversight/children/rules.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oversight.core.testing import AccessCase

STAFF = {
    "practitioner",
    "supervisor",
    "line_manager",
    "agency_lead",
    "other_practitioner",
    "other_supervisor",
    "other_lead",
    "stranger",
}
CHILD_TEAM = {"practitioner", "supervisor", "line_manager", "agency_lead"}
ESCALATION_VIEWERS = CHILD_TEAM | {"other_lead"}
OTHER_AGENCY_TEAM = {"other_practitioner", "other_supervisor", "other_lead"}


def _child(cast: Any) -> Any:
    from oversight.children.tests.factories import ChildFactory

    return ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)


def child_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _child(cast).pk}


def _shared_child(cast: Any, *, ended: bool = False) -> Any:
    """A child the first agency holds, which the other agency (health) is involved with:
    its health visitor is the allocated worker."""
    from oversight.children.models import AgencyInvolvement

    child = _child(cast)
    today = timezone.localdate()
    involvement = AgencyInvolvement.objects.create(
        child=child,
        agency=cast.other_agency,
        case_reference="HV-1",
        allocated_worker=cast.other_practitioner,
        lawful_basis="safeguarding",
        starts_on=today - dt.timedelta(days=60),
        ends_on=today - dt.timedelta(days=1) if ended else None,
        held_elsewhere=True,
    )
    return child, involvement


def shared_child_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _shared_child(cast)[0].pk}


def ended_child_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _shared_child(cast, ended=True)[0].pk}


def involvement_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _shared_child(cast)[1].pk}


def flag_pk(cast: Any) -> dict[str, Any]:
    from oversight.children.models import DriftFlag

    flag = DriftFlag.objects.create(
        child=_child(cast),
        rule="worsening",
        reason="Green then red",
        raised_on=timezone.localdate(),
    )
    return {"pk": flag.pk}


def escalation_pk(cast: Any) -> dict[str, Any]:
    from oversight.children.services import escalation_raise

    escalation = escalation_raise(
        actor=cast.practitioner,
        agency=cast.agency,
        subject="agency_response",
        about_agency=cast.other_agency,
        reason="Health have not shared the assessment",
        what_was_tried="Emailed twice",
    )
    return {"pk": escalation.pk}


def urgent_pk(cast: Any) -> dict[str, Any]:
    from oversight.children.services import urgent_request_make

    request = urgent_request_make(
        actor=cast.practitioner, supervisor=cast.supervisor, agency=cast.agency, concern="Worried"
    )
    return {"pk": request.pk}


def disclosure_pk(cast: Any) -> dict[str, Any]:
    from oversight.children.models import ConfidentialityDisclosure

    disclosure = ConfidentialityDisclosure.objects.create(
        agency=cast.agency,
        made_by=cast.supervisor,
        supervisee=cast.practitioner,
        category="unsafe_practice",
        reason="Home visits not made",
        what_is_needed="Review the caseload",
        made_at=timezone.now() - dt.timedelta(hours=1),
    )
    return {"pk": disclosure.pk}


def concern_pk(cast: Any) -> dict[str, Any]:
    from oversight.children.models import QualityConcern

    concern = QualityConcern.objects.create(
        agency=cast.agency,
        raised_by=cast.practitioner,
        supervisor=cast.supervisor,
        kind="frequency",
        description="No supervision since July",
    )
    return {"pk": concern.pk}


def agency_id(cast: Any) -> dict[str, Any]:
    concern_pk(cast)
    return {"agency_id": cast.agency.pk}


def lead_agency_id(cast: Any) -> dict[str, Any]:
    return {"agency_id": cast.agency.pk}


CASES = [
    AccessCase("children:child_list", allowed=STAFF),
    AccessCase("children:child_add", allowed=STAFF),
    AccessCase("children:counts", allowed={"agency_lead", "other_lead", "auditor"}),
    AccessCase(
        "children:settings",
        allowed={"agency_lead", "other_lead"},
        note="each lead is sent to their own agency's settings",
    ),
    AccessCase(
        "children:agency_settings",
        setup=lead_agency_id,
        allowed={"agency_lead"},
        note="that agency's lead only; the other agency's lead is refused",
    ),
    AccessCase("children:decisions_waiting", allowed=STAFF),
    AccessCase("children:child_detail", setup=child_pk, allowed=CHILD_TEAM),
    AccessCase(
        "children:child_detail",
        setup=shared_child_pk,
        allowed=CHILD_TEAM | OTHER_AGENCY_TEAM,
        note="known to the other agency too: its worker, supervisor and lead see the summary",
    ),
    AccessCase(
        "children:child_detail",
        setup=ended_child_pk,
        allowed=CHILD_TEAM,
        note="the other agency's involvement has ended: it sees nothing",
    ),
    AccessCase(
        "children:child_timeline",
        setup=shared_child_pk,
        allowed=CHILD_TEAM,
        note="the RAG timeline stays with the holding agency",
    ),
    AccessCase(
        "children:child_edit",
        setup=shared_child_pk,
        allowed=CHILD_TEAM,
        note="only the holding agency changes the child's details",
    ),
    AccessCase("children:plan_contribution", setup=child_pk, allowed=CHILD_TEAM),
    AccessCase(
        "children:plan_contribution",
        setup=shared_child_pk,
        allowed=CHILD_TEAM | OTHER_AGENCY_TEAM,
        note="each involved agency writes its own contribution",
    ),
    AccessCase(
        "children:plan_contribution",
        setup=ended_child_pk,
        allowed=CHILD_TEAM,
        note="not once the agency's involvement has ended",
    ),
    AccessCase(
        "children:involvement_add",
        allowed={"supervisor", "agency_lead", "other_supervisor", "other_lead"},
        note="supervisors and leads add their own agency's involvement",
    ),
    AccessCase(
        "children:involvement_end",
        setup=involvement_pk,
        allowed={"other_supervisor", "other_lead"},
        note="that agency's supervisors and lead only",
    ),
    AccessCase("children:child_edit", setup=child_pk, allowed=CHILD_TEAM),
    AccessCase("children:child_status", setup=child_pk, allowed=CHILD_TEAM),
    AccessCase("children:child_allocate", setup=child_pk, allowed=CHILD_TEAM),
    AccessCase("children:review_add", setup=child_pk, allowed=CHILD_TEAM),
    AccessCase("children:child_timeline", setup=child_pk, allowed=CHILD_TEAM),
    AccessCase(
        "children:drift_acknowledge",
        setup=flag_pk,
        allowed={"supervisor", "line_manager", "agency_lead"},
    ),
    AccessCase("children:escalation_list", allowed=STAFF),
    AccessCase("children:escalation_add", allowed=STAFF),
    AccessCase("children:escalation_detail", setup=escalation_pk, allowed=ESCALATION_VIEWERS),
    AccessCase(
        "children:escalation_respond",
        setup=escalation_pk,
        allowed=ESCALATION_VIEWERS - {"practitioner"},
    ),
    AccessCase("children:escalation_escalate", setup=escalation_pk, allowed=ESCALATION_VIEWERS),
    AccessCase("children:urgent_add", allowed={"practitioner", "supervisor", "other_practitioner"}),
    AccessCase("children:urgent_respond", setup=urgent_pk, allowed={"supervisor"}),
    AccessCase(
        "children:disclosure_add", allowed={"supervisor", "agency_lead", "other_supervisor"}
    ),
    AccessCase(
        "children:disclosure_detail",
        setup=disclosure_pk,
        allowed={"supervisor", "agency_lead", "practitioner"},
    ),
    AccessCase(
        "children:disclosure_alert_resend",
        setup=disclosure_pk,
        method="post",
        allowed={"supervisor", "agency_lead"},
        note="the supervisor who made it and the agency's lead",
    ),
    AccessCase(
        "children:concern_add", allowed={"practitioner", "supervisor", "other_practitioner"}
    ),
    AccessCase("children:concern_detail", setup=concern_pk, allowed=CHILD_TEAM),
    AccessCase(
        "children:agency_concerns",
        setup=agency_id,
        allowed={"agency_lead"},
        note="that agency's lead only; the other agency's lead is refused",
    ),
    AccessCase(
        "children:concern_meeting",
        setup=concern_pk,
        allowed={"supervisor", "line_manager", "agency_lead"},
    ),
]
