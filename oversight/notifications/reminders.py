"""Reminders on a schedule (issue 11 item 4). Each kind lists, for a day, who should be
reminded of what; ``reminders_send`` sends each at most once per item, kind and person
(once sent, never again; within a day the database's unique constraint decides even between
two schedulers running by mistake). A reminder whose day was missed (the scheduler was down)
is still sent within a week, once.

An evaluation round not yet answered is raised by assurance's own daily job as an event
(``events.evaluation_unanswered``): nothing may import assurance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from oversight.contracts.models import ContractStatus, SupervisionContract
from oversight.core.workdays import add_working_days, day_start
from oversight.people.models import Agency, Person, TrainingKind, TrainingRecord
from oversight.supervision.models import (
    UNSIGNED_STATUSES,
    Action,
    ActionStatus,
    Decision,
    RecordStatus,
    Session,
    SessionRecord,
    SessionStatus,
)

from .models import Kind, SentReminder
from .services import remind

CATCH_UP = dt.timedelta(days=7)


@dataclass(frozen=True)
class Due:
    person: Any
    kind: str
    about: Any
    reason: str
    path: str


def _date(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"


def sessions_soon(day: dt.date) -> Iterator[Due]:
    """A session in two days, to both people (and a group's attendees)."""
    sessions = (
        Session.objects.filter(
            status=SessionStatus.PLANNED,
            planned_start__gte=day_start(day + dt.timedelta(days=1)),
            planned_start__lt=day_start(day + dt.timedelta(days=3)),
        )
        .select_related("supervisor", "supervisee")
        .prefetch_related("attendances__person")
    )
    for session in sessions:
        when = timezone.localtime(session.planned_start)
        people = [session.supervisor, session.supervisee]
        people += [a.person for a in session.attendances.all()]
        for person in people:
            if person is not None:
                yield Due(
                    person,
                    Kind.SESSION_SOON,
                    session,
                    f"{session.get_session_type_display()} on {when:%A %-d %B at %H:%M}",
                    reverse("supervision:session_detail", args=[session.pk]),
                )


def _signer(record: SessionRecord) -> Any:
    session = record.session
    return session.supervisor if record.status == RecordStatus.DRAFT else session.supervisee


def _nations() -> set[str]:
    return set(Agency.objects.values_list("nation", flat=True)) or {"ENG"}


def records_to_sign(day: dt.date) -> Iterator[Due]:
    """A record not signed one working day before its sign-by date, and again when late."""
    tomorrow = {nation: add_working_days(day, 1, nation) for nation in _nations()}
    records = SessionRecord.objects.filter(status__in=UNSIGNED_STATUSES).filter(
        Q(sign_by__in=set(tomorrow.values())) | Q(sign_by__lt=day, sign_by__gte=day - CATCH_UP)
    )
    for record in records.select_related(
        "session__supervisor", "session__supervisee", "session__agency"
    ):
        signer = _signer(record)
        if signer is None or record.sign_by is None:
            continue
        when = _date(timezone.localtime(record.session.planned_start).date())
        path = reverse("supervision:record", args=[record.session_id])
        if record.sign_by < day:
            yield Due(
                signer,
                Kind.RECORD_OVERDUE,
                record,
                f"The record of supervision on {when} was due to be signed by "
                f"{_date(record.sign_by)}",
                path,
            )
        elif record.sign_by == tomorrow.get(record.session.agency.nation):
            yield Due(
                signer,
                Kind.RECORD_SIGN_BY,
                record,
                f"The record of supervision on {when} is to be signed by {_date(record.sign_by)}",
                path,
            )


def actions_due(day: dt.date) -> Iterator[Due]:
    """An action due in three days, and again when it is overdue."""
    actions = Action.objects.filter(status=ActionStatus.OPEN).filter(
        Q(due_on=day + dt.timedelta(days=3)) | Q(due_on__lt=day, due_on__gte=day - CATCH_UP)
    )
    for action in actions.select_related("owner", "origin_record"):
        # An action from management oversight (issue 15 item 1) links to its oversight record.
        path = (
            reverse("supervision:record", args=[action.origin_record.session_id])
            if action.origin_record is not None
            else reverse("supervision:oversight_detail", args=[action.origin_oversight_id])
        )
        if action.due_on < day:
            kind, reason = Kind.ACTION_OVERDUE, f"An action was due on {_date(action.due_on)}"
        else:
            kind, reason = Kind.ACTION_DUE, f"An action is due on {_date(action.due_on)}"
        yield Due(action.owner, kind, action, reason, path)


def contracts_for_review(day: dt.date) -> Iterator[Due]:
    """A contract due for review in 30 days, to both people."""
    contracts = SupervisionContract.objects.live().filter(
        status=ContractStatus.ACTIVE, review_due_on=day + dt.timedelta(days=30)
    )
    for contract in contracts.select_related("supervisor", "supervisee"):
        for person in (contract.supervisor, contract.supervisee):
            yield Due(
                person,
                Kind.CONTRACT_REVIEW,
                contract,
                f"Your supervision contract is due for review on {_date(contract.review_due_on)}",
                reverse("contracts:contract_detail", args=[contract.pk]),
            )


def decisions_due(day: dt.date) -> Iterator[Due]:
    """A decision due on the child's file today, to the person who made it."""
    decisions = Decision.objects.filter(recorded_on_file_at__isnull=True, file_due_on=day)
    for decision in decisions.select_related("decided_by"):
        yield Due(
            decision.decided_by,
            Kind.DECISION_DUE,
            decision,
            "A decision is due on the child’s file today",
            reverse("children:child_detail", args=[decision.child_id]),
        )


def training_expiring(day: dt.date) -> Iterator[Due]:
    """Supervisor training expiring in 30 days, unless a later course is recorded."""
    supervisor_training = TrainingRecord.objects.live().filter(kind=TrainingKind.SUPERVISOR)
    expiring = supervisor_training.filter(expires_on=day + dt.timedelta(days=30))
    renewed = set(
        supervisor_training.filter(person_id__in=expiring.values("person_id"))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=day + dt.timedelta(days=30)))
        .values_list("person_id", flat=True)
    )
    for record in expiring.select_related("person"):
        if record.person_id in renewed:
            continue
        yield Due(
            record.person,
            Kind.TRAINING_EXPIRING,
            record,
            f"Your supervisor training expires on {_date(record.expires_on)}",
            reverse("people:person_detail", args=[record.person_id]),
        )


def safeguarding_training_expiring(day: dt.date) -> Iterator[Due]:
    """Safeguarding children training expiring in 30 days, unless a later course is recorded:
    every member of staff needs it in date (seed 002, Working Together; issue 15 item 6)."""
    safeguarding = TrainingRecord.objects.live().filter(kind=TrainingKind.SAFEGUARDING)
    expiring = safeguarding.filter(expires_on=day + dt.timedelta(days=30))
    renewed = set(
        safeguarding.filter(person_id__in=expiring.values("person_id"))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=day + dt.timedelta(days=30)))
        .values_list("person_id", flat=True)
    )
    for record in expiring.select_related("person"):
        if record.person_id in renewed:
            continue
        yield Due(
            record.person,
            Kind.SAFEGUARDING_TRAINING_EXPIRING,
            record,
            f"Your safeguarding children training expires on {_date(record.expires_on)}",
            reverse("people:person_detail", args=[record.person_id]),
        )


def children_due(day: dt.date) -> Iterator[Due]:
    """A child due for discussion in 14 days, and a child whose review meeting's window opens
    today with nothing yet discussed for it (seed 004 objective 4), to the allocated
    practitioner. The child is not named in the email: the link shows who."""
    from oversight.children.cadence import DUE_SOON_DAYS
    from oversight.children.models import Child
    from oversight.children.selectors import child_rows

    rows = child_rows(
        Child.objects.live().filter(allocated_practitioner__isnull=False), today=day, lean=True
    )
    due_rows = [
        row
        for row in rows
        if row.cadence.due_on == day + dt.timedelta(days=DUE_SOON_DAYS)
        or row.cadence.review_window_opens_on == day
    ]
    people = Person.objects.in_bulk({row.child.allocated_practitioner_id for row in due_rows})
    for row in due_rows:
        person = people.get(row.child.allocated_practitioner_id)
        child = Child(pk=row.child.pk)
        path = reverse("children:child_detail", args=[row.child.pk])
        if row.cadence.review_window_opens_on == day and row.cadence.review_due_on:
            yield Due(
                person,
                Kind.CHILD_BEFORE_REVIEW,
                child,
                "A child allocated to you has a review meeting on "
                f"{_date(row.cadence.review_due_on)}: discuss them in supervision before it",
                path,
            )
        elif row.cadence.due_on:
            yield Due(
                person,
                Kind.CHILD_DISCUSSION_DUE,
                child,
                "A child allocated to you is due for discussion in supervision by "
                f"{_date(row.cadence.due_on)}",
                path,
            )


KINDS: list[Callable[[dt.date], Iterator[Due]]] = [
    sessions_soon,
    records_to_sign,
    actions_due,
    contracts_for_review,
    decisions_due,
    training_expiring,
    safeguarding_training_expiring,
    children_due,
]


def reminders_send(*, day: dt.date | None = None) -> int:
    """Send the day's reminders; returns how many were sent."""
    day = day or timezone.localdate()
    due = [item for kind in KINDS for item in kind(day)]
    sent_before = {
        (person_id, kind, about_type, about_id)
        for person_id, kind, about_type, about_id in SentReminder.objects.filter(
            day__gte=day - CATCH_UP - dt.timedelta(days=31),
            kind__in={item.kind for item in due},
        ).values_list("person_id", "kind", "about_type", "about_id")
    }
    sent = 0
    for item in due:
        if item.person is None:
            continue
        key = (item.person.pk, item.kind, item.about._meta.label_lower, str(item.about.pk))
        if key in sent_before or not isinstance(item.person, Person):
            continue
        if remind(
            person=item.person,
            kind=item.kind,
            reason=item.reason,
            path=item.path,
            about=item.about,
            day=day,
        ):
            sent += 1
        sent_before.add(key)
    return sent
