"""Who may use each supervision URL (see oversight/supervision/rules.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oversight.contracts.models import SessionType
from oversight.core.testing import AccessCase
from oversight.supervision.models import RecordStatus, SessionAttendance

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
IN_AN_AGENCY = EVERYONE - {"auditor", "administrator"}
PAIR = {"supervisor", "practitioner"}
RECORD_READERS = PAIR | {"line_manager", "agency_lead"}


def _session(cast: Any, **kwargs: Any) -> Any:
    from .factories import SessionFactory

    return SessionFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, **kwargs
    )


def planned(cast: Any) -> dict[str, Any]:
    return {"pk": _session(cast).pk}


def agenda_item(cast: Any) -> dict[str, Any]:
    """A planned session with an item the supervisee added to its agenda."""
    from oversight.supervision import services

    session = _session(cast)
    item = services.agenda_item_add(actor=cast.practitioner, session=session, text="Workload")
    return {"pk": session.pk, "item_id": item.pk}


def _record(cast: Any, status: str = RecordStatus.DRAFT) -> Any:
    from .factories import SessionRecordFactory

    now = timezone.now()
    record: Any = SessionRecordFactory(
        session=_session(cast, held=True),
        status=status,
        next_session_on=timezone.localdate() + dt.timedelta(days=30),
    )
    if status != RecordStatus.DRAFT:
        record.supervisor_signed_at, record.supervisor_signed_by = now, cast.supervisor
    if status == RecordStatus.SIGNED:
        record.supervisee_signed_at, record.supervisee_signed_by = now, cast.practitioner
    record.save()
    return record


def held_unrecorded(cast: Any) -> dict[str, Any]:
    """A session planned for yesterday with no record yet."""
    session = _session(cast, planned_start=timezone.now() - dt.timedelta(days=1))
    return {"pk": session.pk}


def draft(cast: Any) -> dict[str, Any]:
    return {"pk": _record(cast).session_id}


def awaiting(cast: Any) -> dict[str, Any]:
    return {"pk": _record(cast, RecordStatus.AWAITING_SUPERVISEE).session_id}


def signed(cast: Any) -> dict[str, Any]:
    return {"pk": _record(cast, RecordStatus.SIGNED).session_id}


def group_record(cast: Any) -> dict[str, Any]:
    from .factories import SessionFactory, SessionRecordFactory

    session: Any = SessionFactory(
        session_type=SessionType.REFLECTIVE_GROUP,
        supervisor=cast.supervisor,
        supervisee=None,
        agency=cast.agency,
        held=True,
        title="CSPR Child Q",
    )
    for person in (cast.practitioner, cast.stranger):
        SessionAttendance.objects.create(session=session, person=person, attended=True)
    SessionRecordFactory(session=session)
    return {"pk": session.pk}


def group_record_one_absent(cast: Any) -> dict[str, Any]:
    """A group record where the stranger was marked "did not attend" (issue 9 item 7)."""
    found = group_record(cast)
    SessionAttendance.objects.filter(session_id=found["pk"], person=cast.stranger).update(
        attended=False
    )
    return found


def discussion(cast: Any) -> dict[str, Any]:
    from .factories import CaseDiscussionFactory

    record = _record(cast)
    item: Any = CaseDiscussionFactory(record=record)
    return {"pk": record.session_id, "discussion_id": item.pk}


def _oversight(cast: Any) -> Any:
    from oversight.supervision import services

    from .factories import ChildFactory

    child: Any = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    return services.management_oversight_record(
        actor=cast.line_manager,
        child=child,
        made_on=timezone.localdate(),
        summary="Case file review",
        decisions=[services.DecisionInput("Step up to child in need", "No change in 3 months")],
    )


def oversight(cast: Any) -> dict[str, Any]:
    return {"pk": _oversight(cast).pk}


def decision(cast: Any) -> dict[str, Any]:
    return {"pk": _oversight(cast).decisions.get().pk}


def oversight_action(cast: Any) -> dict[str, Any]:
    from oversight.supervision import services
    from oversight.supervision.models import OversightFocus

    made = _oversight(cast)
    action = services.oversight_action_add(
        actor=cast.line_manager,
        oversight=made,
        description="Review caseload weighting",
        owner=cast.practitioner,
        due_on=timezone.localdate() + dt.timedelta(days=14),
        focus=OversightFocus.CASELOAD,
    )
    return {"pk": action.pk}


def decision_to_authorise(cast: Any) -> dict[str, Any]:
    """A step-up decision the practitioner made, which the agency needs authorised: their
    line manager or the agency's lead may authorise it; never the practitioner themselves."""
    from oversight.supervision import services
    from oversight.supervision.models import DecisionKind

    from .factories import ChildFactory

    services.decision_policy_set(
        actor=cast.agency_lead, agency=cast.agency, kinds=[DecisionKind.STEP_UP]
    )
    child: Any = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    made = services.management_oversight_record(
        actor=cast.practitioner,
        child=child,
        made_on=timezone.localdate(),
        summary="",
        decisions=[
            services.DecisionInput(
                "Step up to child protection", "Bruising seen", kind=DecisionKind.STEP_UP
            )
        ],
    )
    return {"pk": made.decisions.get().pk}


def agency(cast: Any) -> dict[str, Any]:
    return {"pk": cast.agency.pk}


def _senior_manager(cast: Any) -> None:
    """The stranger is made the agency's senior manager (seed 004 "Line management")."""
    from oversight.people.models import Role
    from oversight.people.tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(person=cast.stranger, agency=cast.agency, role=Role.SENIOR_MANAGER)


def senior_manager(cast: Any) -> dict[str, Any]:
    _senior_manager(cast)
    return {}


def shortfall(cast: Any) -> dict[str, Any]:
    from oversight.supervision import services
    from oversight.supervision.models import ShortfallKind

    _senior_manager(cast)
    raised = services.shortfall_raise(
        actor=cast.line_manager,
        agency=cast.agency,
        kind=ShortfallKind.WORKLOAD,
        description="Three vacancies in the assessment team",
    )
    return {"pk": raised.pk}


SHORTFALL_REPORTERS = {
    "supervisor",
    "line_manager",
    "agency_lead",
    "other_supervisor",
    "other_lead",
}


def feed(cast: Any) -> dict[str, Any]:
    cast.practitioner.calendar_token = "t" * 43
    cast.practitioner.save()
    return {"token": cast.practitioner.calendar_token}


def pair(cast: Any) -> dict[str, Any]:
    from oversight.people.models import SupervisionRelationship

    found = SupervisionRelationship.objects.get(
        supervisor=cast.supervisor, supervisee=cast.practitioner
    )
    return {"pk": found.pk}


CASES = [
    AccessCase("supervision:session_list", allowed=IN_AN_AGENCY),
    AccessCase("supervision:records_to_sign", allowed=IN_AN_AGENCY, note="their own only"),
    AccessCase("supervision:action_list", allowed=IN_AN_AGENCY, note="their own only"),
    AccessCase(
        "supervision:session_plan", allowed={"supervisor", "agency_lead", "other_supervisor"}
    ),
    AccessCase("supervision:session_detail", setup=planned, allowed=RECORD_READERS),
    AccessCase("supervision:session_cancel", setup=planned, allowed=PAIR),
    AccessCase("supervision:session_reschedule", setup=planned, allowed=PAIR),
    AccessCase("supervision:session_did_not_attend", setup=planned, allowed={"supervisor"}),
    AccessCase("supervision:session_prepare", setup=planned, allowed=PAIR),
    AccessCase("supervision:session_ics", setup=planned, allowed=PAIR),
    AccessCase(
        "supervision:agenda_item_edit",
        setup=agenda_item,
        allowed={"practitioner"},
        note="whoever added it",
    ),
    AccessCase(
        "supervision:agenda_item_remove",
        setup=agenda_item,
        allowed={"practitioner"},
        note="whoever added it",
    ),
    AccessCase("supervision:record", setup=draft, allowed=RECORD_READERS, note="1:1"),
    AccessCase(
        "supervision:record",
        setup=group_record,
        allowed={"supervisor", "practitioner", "stranger"},
        note="group: facilitator and attendees",
    ),
    AccessCase(
        "supervision:record",
        setup=group_record_one_absent,
        allowed={"supervisor", "practitioner"},
        note="group: not those marked as not attending",
    ),
    AccessCase(
        "supervision:record_save",
        setup=draft,
        method="post",
        data={"held_on": "bad"},
        allowed={"supervisor"},
    ),
    AccessCase(
        "supervision:record_save",
        setup=signed,
        method="post",
        data={"agenda_notes": "changed"},
        allowed=set(),
        note="signed: nobody",
    ),
    AccessCase("supervision:discussion_add", setup=draft, allowed={"supervisor"}),
    AccessCase(
        "supervision:discussion_add",
        setup=held_unrecorded,
        allowed={"supervisor"},
        note="before the record is first saved",
    ),
    AccessCase("supervision:discussion_edit", setup=discussion, allowed={"supervisor"}),
    AccessCase("supervision:action_add", setup=draft, allowed={"supervisor"}),
    AccessCase("supervision:attendance", setup=group_record, allowed={"supervisor"}),
    AccessCase("supervision:sign_supervisor", setup=draft, method="post", allowed={"supervisor"}),
    AccessCase("supervision:record_check", setup=draft, allowed={"supervisor"}),
    AccessCase(
        "supervision:record_check",
        setup=awaiting,
        allowed=set(),
        note="already signed by the supervisor: nobody",
    ),
    AccessCase("supervision:record_signed", setup=awaiting, allowed=RECORD_READERS),
    AccessCase("supervision:sign_supervisee", setup=awaiting, allowed={"practitioner"}),
    AccessCase("supervision:addendum_add", setup=signed, allowed=PAIR),
    AccessCase("supervision:record_pdf", setup=signed, allowed=PAIR),
    AccessCase("supervision:calendar", allowed=IN_AN_AGENCY),
    AccessCase(
        "supervision:calendar_feed",
        setup=feed,
        allowed=EVERYONE,
        public=True,
        note="the token is the key",
    ),
    AccessCase("supervision:oversight_list", allowed=IN_AN_AGENCY),
    AccessCase(
        "supervision:oversight_add",
        allowed={"supervisor", "line_manager", "agency_lead", "other_supervisor", "other_lead"},
    ),
    AccessCase(
        "supervision:oversight_detail",
        setup=oversight,
        allowed={"practitioner", "supervisor", "line_manager", "agency_lead"},
    ),
    AccessCase(
        "supervision:decision_on_file",
        setup=decision,
        allowed={"practitioner", "supervisor", "line_manager"},
    ),
    # Issue 15 items 1-3 (seed 004 "Definition", "Line management").
    AccessCase("supervision:oversight_action_add", setup=oversight, allowed={"line_manager"}),
    AccessCase(
        "supervision:oversight_action_check", setup=oversight_action, allowed={"line_manager"}
    ),
    AccessCase(
        "supervision:decision_authorise",
        setup=decision_to_authorise,
        allowed={"line_manager", "agency_lead"},
        note="not the decision-maker, not another agency",
    ),
    AccessCase("supervision:decision_policy", setup=agency, allowed={"agency_lead"}),
    AccessCase(
        "supervision:shortfall_list",
        setup=senior_manager,
        allowed=SHORTFALL_REPORTERS | {"stranger"},
        note="stranger is the senior manager",
    ),
    AccessCase("supervision:shortfall_add", allowed=SHORTFALL_REPORTERS),
    AccessCase(
        "supervision:shortfall_detail",
        setup=shortfall,
        allowed={"line_manager", "stranger", "agency_lead"},
        note="reporter, senior manager, lead",
    ),
    AccessCase(
        "supervision:shortfall_answer",
        setup=shortfall,
        method="post",
        data={"answer": ""},
        allowed={"stranger"},
        note="the agency's senior manager only",
    ),
]


# Issue 15 item 7: the supervisee drafts the record where the agency's policy allows it.
def _drafting_allowed(cast: Any) -> None:
    from oversight.contracts.tests.factories import SupervisionPolicyFactory

    SupervisionPolicyFactory(
        agency=cast.agency,
        effective_from=timezone.localdate() - dt.timedelta(days=365),
        supervisee_may_draft_record=True,
    )


def held_where_supervisee_drafts(cast: Any) -> dict[str, Any]:
    _drafting_allowed(cast)
    return {"pk": _session(cast, held=True).pk}


def draft_handed_over(cast: Any) -> dict[str, Any]:
    from oversight.supervision.models import SuperviseeDraft

    _drafting_allowed(cast)
    session = _session(cast, held=True)
    SuperviseeDraft.objects.create(
        session=session,
        agenda_notes="Caseload and the Smith family",
        handed_over_at=timezone.now(),
        created_by=cast.practitioner,
    )
    return {"pk": session.pk}


CASES += [
    AccessCase(
        "supervision:supervisee_draft_edit",
        setup=held_where_supervisee_drafts,
        allowed={"practitioner"},
    ),
    AccessCase(
        "supervision:supervisee_draft_edit",
        note="the agency's policy has the supervisor write the record",
        setup=lambda cast: {"pk": _session(cast, held=True).pk},
        allowed=set(),
    ),
    AccessCase("supervision:supervisee_draft", setup=draft_handed_over, allowed=PAIR),
    AccessCase(
        "supervision:supervisee_draft_take_in",
        setup=draft_handed_over,
        method="post",
        allowed={"supervisor"},
    ),
    # Issue 15 items 11, 12, 16 and 17.
    AccessCase("supervision:agency_reflection", setup=agency, allowed={"agency_lead", "auditor"}),
    AccessCase("supervision:reflection_settings", setup=agency, allowed={"agency_lead"}),
    AccessCase(
        "supervision:relationship_balance",
        setup=pair,
        allowed={"supervisor", "practitioner", "agency_lead"},
    ),
    AccessCase(
        "supervision:evidence",
        allowed={"practitioner", "supervisor", "other_practitioner"},
        note="anyone supervised, for their own history only",
    ),
]
