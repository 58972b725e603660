"""Helpers for the multi-agency tests (issue 13): another agency's involvement and a case
discussion held in a given agency's supervision, with notes and wellbeing text that must
never reach another agency."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oversight.children.models import AgencyInvolvement, Child


def involve(
    child: Child,
    agency: Any,
    *,
    worker: Any = None,
    reference: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> AgencyInvolvement:
    return AgencyInvolvement.objects.create(
        child=child,
        agency=agency,
        case_reference=reference or f"{agency.pk}-{child.pk}",
        allocated_worker=worker,
        lawful_basis="safeguarding",
        starts_on=starts_on or timezone.localdate() - dt.timedelta(days=200),
        ends_on=ends_on,
        held_elsewhere=agency.pk != child.agency_id,
    )


def discuss(
    child: Child,
    *,
    agency: Any,
    supervisee: Any,
    supervisor: Any,
    on: dt.date,
    rag: str,
    notes: str = "",
) -> Any:
    """A case discussion of ``child`` in ``agency``'s supervision, whose notes and wellbeing
    section hold ``notes``."""
    from oversight.supervision.models import CaseDiscussion, Session, SessionRecord

    session = Session.objects.create(
        session_type="one_to_one",
        supervisor=supervisor,
        supervisee=supervisee,
        agency=agency,
        planned_start=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
        status="held",
        held_on=on,
    )
    record = SessionRecord.objects.create(
        session=session,
        emotional_impact=f"{notes} wellbeing" if notes else "",
    )
    return CaseDiscussion.objects.create(
        record=record,
        agency=agency,
        child=child,
        discussed_on=on,
        rag_rating=rag,
        risks=notes,
        analysis=notes,
        plan_and_contributions=notes,
    )
