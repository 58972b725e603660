"""Reads for the home panel of a supervisor or line manager (issue 5 item 2): each person they
supervise or line-manage, with the last session held, the next session planned, when
supervision is next due and what needs attention (compliance.compliance_for, the one
definition), including a next session missing or planned after supervision falls due
(issue 9 item 5). A fixed number of queries for any number of people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateformat import format as date_format

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
    on: dt.date
    # Set by the home panel for the viewer: whether the next session is theirs to run
    # (rule ``supervision.act_as_supervisor``), so the page links to it.
    can_open_next: bool = False

    @property
    def person_id(self) -> int:
        return self.compliance.person_id

    @property
    def name(self) -> str:
        return self.compliance.name

    @property
    def planning(self) -> str | None:
        """Whether what is planned matches what is due: no session planned, or the next one
        planned after supervision falls due (issue 9 item 5; seed 001 standard 3: "dates and
        times should be planned and prioritised"). None when the next session is in time."""
        due = self.compliance.next_due_on
        past = due < self.on
        if self.next_session is None:
            if past:
                return f"No session planned, and supervision fell due on {_day(due)}"
            return f"No session planned by {_day(due)}, when supervision falls due"
        planned = timezone.localdate(self.next_session.planned_start)
        if planned > due:
            tense = "fell" if past else "falls"
            return f"Planned {_day(planned)}, after supervision {tense} due on {_day(due)}"
        return None

    @property
    def other_issues(self) -> list[str]:
        """What needs attention besides supervision being overdue (shown in its own column):
        the planning first, then the rest of the compliance issues."""
        found = [i for i in self.compliance.issues if not i.startswith("Supervision overdue")]
        planning = self.planning
        return [planning, *found] if planning else found

    @property
    def needs_attention(self) -> bool:
        return bool(self.compliance.issues) or self.planning is not None

    @property
    def relation(self) -> str:
        if self.supervised_by_viewer and self.managed_by_viewer:
            return "you supervise and manage them"
        return "you supervise them" if self.supervised_by_viewer else "you manage them"


def _day(day: dt.date) -> str:
    return date_format(day, "j M Y")


def supervision_of_my_people(
    *,
    person_id: int,
    on: dt.date,
    now: dt.datetime,
    supervised: Collection[tuple[int, int]] | None = None,
    managed: Collection[tuple[int, int]] | None = None,
    compliance: list[PersonCompliance] | None = None,
) -> list[PersonSupervision]:
    """The people ``person_id`` supervises or line-manages on ``on`` (one row per post in the
    agency of the relationship), most overdue first, then by name. ``supervised`` and
    ``managed`` (person, agency) pairs and the people's ``compliance`` rows may be given by a
    caller that has read them already (the home page, issue 17 item 1: one read per kind)."""
    if supervised is None:
        supervised = set(
            SupervisionRelationship.objects.on(on)
            .filter(supervisor_id=person_id)
            .values_list("supervisee_id", "agency_id")
        )
    if managed is None:
        managed = set(
            LineManagement.objects.on(on)
            .filter(manager_id=person_id)
            .values_list("report_id", "agency_id")
        )
    pairs = set(supervised) | set(managed)
    if not pairs:
        return []
    people = {pk for pk, _ in pairs}
    if compliance is None:
        compliance = compliance_for(on=on, person_ids=people)
    rows = [r for r in compliance if (r.person_id, r.agency_id) in pairs]
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
            on=on,
        )
        for row in rows
    ]
    return sorted(found, key=lambda r: (-r.compliance.days_overdue, r.name, r.person_id))
