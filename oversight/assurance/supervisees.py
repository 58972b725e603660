"""Reads for the home panel of a supervisor or line manager (issue 5 item 2): each person they
supervise or line-manage, with the last session held, the next session planned, when
supervision is next due and what needs attention (compliance.compliance_for, the one
definition). A fixed number of queries for any number of people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oversight.people.models import LineManagement, SupervisionRelationship
from oversight.supervision.models import Session, SessionStatus

from .compliance import PersonCompliance, compliance_for

# A planned session stays "next" until twelve hours after its start (as on the sessions page).
STILL_NEXT = dt.timedelta(hours=12)


@dataclass
class PersonSupervision:
    compliance: PersonCompliance
    next_session: Session | None
    supervised_by_viewer: bool
    managed_by_viewer: bool

    @property
    def person_id(self) -> int:
        return self.compliance.person_id

    @property
    def name(self) -> str:
        return self.compliance.name

    @property
    def other_issues(self) -> list[str]:
        """What needs attention besides supervision being overdue (shown in its own column)."""
        return [i for i in self.compliance.issues if not i.startswith("Supervision overdue")]

    @property
    def relation(self) -> str:
        if self.supervised_by_viewer and self.managed_by_viewer:
            return "you supervise and manage them"
        return "you supervise them" if self.supervised_by_viewer else "you manage them"


def supervision_of_my_people(
    *, person_id: int, on: dt.date, now: dt.datetime
) -> list[PersonSupervision]:
    """The people ``person_id`` supervises or line-manages on ``on`` (one row per post in the
    agency of the relationship), most overdue first, then by name."""
    supervised = set(
        SupervisionRelationship.objects.on(on)
        .filter(supervisor_id=person_id)
        .values_list("supervisee_id", "agency_id")
    )
    managed = set(
        LineManagement.objects.on(on)
        .filter(manager_id=person_id)
        .values_list("report_id", "agency_id")
    )
    pairs = supervised | managed
    if not pairs:
        return []
    people = {pk for pk, _ in pairs}
    rows = [
        r for r in compliance_for(on=on, person_ids=people) if (r.person_id, r.agency_id) in pairs
    ]
    upcoming: dict[int, Session] = {}
    for session in (
        Session.objects.live()
        .filter(
            supervisee_id__in=people,
            status=SessionStatus.PLANNED,
            planned_start__gte=now - STILL_NEXT,
        )
        .select_related("supervisor")
        .order_by("planned_start", "pk")
    ):
        assert session.supervisee_id is not None
        upcoming.setdefault(session.supervisee_id, session)
    found = [
        PersonSupervision(
            compliance=row,
            next_session=upcoming.get(row.person_id),
            supervised_by_viewer=(row.person_id, row.agency_id) in supervised,
            managed_by_viewer=(row.person_id, row.agency_id) in managed,
        )
        for row in rows
    ]
    return sorted(found, key=lambda r: (-r.compliance.days_overdue, r.name, r.person_id))
