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


def feed(cast: Any) -> dict[str, Any]:
    cast.practitioner.calendar_token = "t" * 43
    cast.practitioner.save()
    return {"token": cast.practitioner.calendar_token}


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
    AccessCase("supervision:discussion_edit", setup=discussion, allowed={"supervisor"}),
    AccessCase("supervision:action_add", setup=draft, allowed={"supervisor"}),
    AccessCase("supervision:attendance", setup=group_record, allowed={"supervisor"}),
    AccessCase("supervision:sign_supervisor", setup=draft, method="post", allowed={"supervisor"}),
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
]
