"""What supervision's home panel counts, read in one UNION ALL (issue 17 item 1; decision
0024, fifth pass): the records to sign, the person's open actions, the group sessions they
attend (for the next session) and, for a line manager or lead, how many decisions wait for
their authorisation. Each kind is a narrow read of the columns the home counts with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, DateField, F, IntegerField, Q, QuerySet, Subquery, Value

from oversight.core.prepared import prepared
from oversight.core.unions import labelled
from oversight.people.models import Person

from ..models import (
    UNSIGNED_STATUSES,
    Action,
    ActionStatus,
    AuthorisationStatus,
    Decision,
    RecordStatus,
    Session,
    SessionAttendance,
    SessionRecord,
)

# The home counts at most this many of a person's open actions, soonest due first.
ACTIONS_COUNTED = 200


def records_to_sign_scope(person_id: int, *, supervisee_ids: Collection[int], today: dt.date) -> Q:
    """Records waiting for the person's signature, their own past the deadline and their
    supervisees' unsigned records (``records_to_sign``)."""
    unsigned = Q(status__in=UNSIGNED_STATUSES)
    own = Q(session__supervisor_id=person_id) | Q(session__supervisee_id=person_id)
    scope = (
        Q(session__supervisor_id=person_id, status=RecordStatus.DRAFT)
        | Q(session__supervisee_id=person_id, status=RecordStatus.AWAITING_SUPERVISEE)
        | (own & unsigned & Q(sign_by__lt=today))
    )
    if supervisee_ids:
        scope |= unsigned & Q(session__supervisee_id__in=supervisee_ids)
    return scope


def decisions_to_authorise_q(
    *, person_id: int, led_agency_ids: Collection[int], report_pairs: Collection[tuple[int, int]]
) -> Q:
    """Decisions waiting for the person's authorisation: made by their reports in the agency
    they line-manage them in, or in an agency they lead; never their own (the same people
    ``may_authorise`` names)."""
    scope = Q(agency_id__in=led_agency_ids)
    for report_id, agency_id in report_pairs:
        scope |= Q(decided_by_id=report_id, agency_id=agency_id)
    return scope & Q(authorisation=AuthorisationStatus.AWAITING) & ~Q(decided_by_id=person_id)


def split_records(
    found: list[SessionRecord],
    *,
    person_id: int,
    supervisee_ids: Collection[int],
    today: dt.date,
    limit: int,
) -> tuple[list[SessionRecord], list[SessionRecord]]:
    """``found`` (soonest deadline first) as the records waiting for the person's signature
    and those waiting for someone else's, each record once (``records_to_sign``)."""

    def awaits_person(r: SessionRecord) -> bool:
        return (r.session.supervisor_id == person_id and r.status == RecordStatus.DRAFT) or (
            r.session.supervisee_id == person_id and r.status == RecordStatus.AWAITING_SUPERVISEE
        )

    mine = [r for r in found if awaits_person(r)][:limit]
    seen = {r.pk for r in mine}
    overdue = [
        r
        for r in found
        if r.status in UNSIGNED_STATUSES
        and person_id in (r.session.supervisor_id, r.session.supervisee_id)
        and r.sign_by is not None
        and r.sign_by < today
    ][:limit]
    theirs = (
        [
            r
            for r in found
            if r.status in UNSIGNED_STATUSES and r.session.supervisee_id in supervisee_ids
        ][:limit]
        if supervisee_ids
        else []
    )
    others: dict[int, SessionRecord] = {}
    for r in [*overdue, *theirs]:
        if r.pk not in seen:
            others.setdefault(r.pk, r)
    return mine, sorted(others.values(), key=lambda r: (r.sign_by is None, r.sign_by, r.pk))


class _Counted(Subquery):
    """How many rows a queryset has, as a scalar subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


@dataclass
class HomeDeadlines:
    records_mine: list[SessionRecord] = field(default_factory=list)
    records_others: list[SessionRecord] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # open, soonest due first
    attended_ids: list[int] = field(default_factory=list)  # group sessions attended
    to_authorise: int = 0


def home_deadlines(
    person_id: int,
    *,
    supervisee_ids: Collection[int],
    today: dt.date,
    authorising: bool = False,
    led_agency_ids: Collection[int] = (),
    report_pairs: Collection[tuple[int, int]] = (),
    limit: int = 200,
) -> HomeDeadlines:
    """The home's records to sign (as ``records_to_sign``, each with only its status, deadline
    and pair: issue 17 item 1, every column selected costs the ORM to compile), open actions
    (status and due date), the sessions attended and, when ``authorising``, the decisions
    waiting for the person's authorisation counted (``decisions_to_authorise``, from the
    agencies they lead and their reports' posts), as one read of four kinds, not five
    reads, compiled once per shape (core.prepared)."""
    rows = _home_deadline_rows(
        person_id=person_id,
        supervisee_ids=list(supervisee_ids),
        today=today,
        authorising=authorising,
        led_agency_ids=list(led_agency_ids),
        report_pairs=list(report_pairs),
    )
    found = HomeDeadlines()
    read: list[SessionRecord] = []
    for kind, key, status, day, supervisor_id, supervisee_id in rows:
        if kind == "record":
            record = SessionRecord(pk=key, status=status, sign_by=day)
            record.session = Session(supervisor_id=supervisor_id, supervisee_id=supervisee_id)
            read.append(record)
        elif kind == "action":
            found.actions.append(Action(pk=key, status=status, due_on=day))
        elif kind == "attended":
            found.attended_ids.append(key)
        else:
            found.to_authorise = key
    read.sort(key=lambda r: (r.sign_by is None, r.sign_by, r.pk))
    found.records_mine, found.records_others = split_records(
        read[: 3 * limit],
        person_id=person_id,
        supervisee_ids=supervisee_ids,
        today=today,
        limit=limit,
    )
    found.actions = sorted(found.actions, key=lambda a: (a.due_on, a.pk))[:ACTIONS_COUNTED]
    return found


@prepared
def _home_deadline_rows(
    *,
    person_id: int,
    supervisee_ids: list[int],
    today: dt.date,
    authorising: bool,
    led_agency_ids: list[int],
    report_pairs: list[tuple[int, int]],
) -> QuerySet[Any]:
    none_int = Value(None, output_field=IntegerField())
    none_str = Value(None, output_field=CharField())
    none_day = Value(None, output_field=DateField())
    records = labelled(
        SessionRecord.objects.live().filter(
            records_to_sign_scope(person_id, supervisee_ids=supervisee_ids, today=today)
        ),
        "record",
        key=F("pk"),
        status=F("status"),
        day=F("sign_by"),
        supervisor=F("session__supervisor_id"),
        supervisee=F("session__supervisee_id"),
    )
    parts = [
        labelled(
            Action.objects.live().filter(owner_id=person_id, status=ActionStatus.OPEN),
            "action",
            key=F("pk"),
            status=F("status"),
            day=F("due_on"),
            supervisor=none_int,
            supervisee=none_int,
        ),
        labelled(
            SessionAttendance.objects.filter(person_id=person_id),
            "attended",
            key=F("session_id"),
            status=none_str,
            day=none_day,
            supervisor=none_int,
            supervisee=none_int,
        ),
    ]
    if authorising:
        to_authorise = Decision.objects.live().filter(
            decisions_to_authorise_q(
                person_id=person_id, led_agency_ids=led_agency_ids, report_pairs=report_pairs
            )
        )
        parts.append(
            labelled(
                Person.objects.filter(pk=person_id),
                "authorise",
                key=_Counted(to_authorise.order_by().values("pk")),
                status=none_str,
                day=none_day,
                supervisor=none_int,
                supervisee=none_int,
            )
        )
    return records.union(*parts, all=True)
