"""Reads about staff standards (issue 15 items 5 and 6): an agency's minimum requirements for
its supervisors and who falls short of them (seed 004 "Supervision Standards": "each agency
will identify the minimum requirements for their supervisors including training, experience
and qualification"), and safeguarding children training for all staff by staff group (seed
002, Working Together)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from .models import (
    Agency,
    Membership,
    Person,
    Qualification,
    Role,
    RoleAssignment,
    SupervisionRelationship,
    SupervisorException,
    SupervisorRequirements,
    TrainingKind,
    TrainingRecord,
)

# How far ahead a lead is warned that safeguarding training is about to expire.
EXPIRING_WITHIN_DAYS = 60


def requirements_for(agency_id: int) -> SupervisorRequirements | None:
    """The agency's minimum requirements, or None while it has not set them."""
    return SupervisorRequirements.objects.live().filter(agency_id=agency_id).first()


def _years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def shortfalls(
    requirements: SupervisorRequirements | None,
    *,
    training: Iterable[TrainingRecord],
    qualifications: Iterable[Qualification],
    on: dt.date,
) -> list[str]:
    """What a person lacks against the requirements on ``on``, in plain words; empty when
    they meet them (or the agency has set none)."""
    if requirements is None:
        return []
    missing: list[str] = []
    course = requirements.training_course.strip().lower()
    courses = [
        t
        for t in training
        if t.kind == TrainingKind.SUPERVISOR
        and t.completed_on <= on
        and (not course or t.course.strip().lower() == course)
    ]
    named = f"{requirements.training_course.strip()} course" if course else "supervisor training"
    if not courses:
        missing.append(f"No record of the {named}" if course else "No supervisor training recorded")
    elif requirements.training_must_be_in_date and not any(t.is_valid_on(on) for t in courses):
        missing.append(f"Their {named} has expired")
    held = [q for q in qualifications if q.awarded_on <= on]
    wanted = requirements.qualification.strip().lower()
    if wanted and not any(q.name.strip().lower() == wanted for q in held):
        missing.append(f"No record of the qualification {requirements.qualification.strip()}")
    if requirements.experience_years:
        first = min((q.awarded_on for q in held), default=None)
        years = _years_between(first, on) if first else 0
        if years < requirements.experience_years:
            missing.append(
                f"{years} year{'s' if years != 1 else ''} of qualified experience; the agency "
                f"asks for {requirements.experience_years}"
            )
    return missing


def person_shortfalls(*, person: Person, agency: Agency, on: dt.date) -> list[str]:
    return shortfalls(
        requirements_for(agency.pk),
        training=TrainingRecord.objects.live().filter(person=person),
        qualifications=Qualification.objects.live().filter(person=person),
        on=on,
    )


def exception_in_force(
    *, person_id: int, agency_id: int, on: dt.date
) -> SupervisorException | None:
    for exception in SupervisorException.objects.live().filter(
        supervisor_id=person_id, agency_id=agency_id, granted_on__lte=on
    ):
        if exception.is_in_force_on(on):
            return exception
    return None


def unexcepted_shortfalls(
    *, agency_id: int, person_ids: Iterable[int], on: dt.date
) -> dict[int, list[str]]:
    """For the supervisor picker: what each of these people lacks against the agency's
    requirements on ``on``, leaving out anyone with an exception in force. A fixed number of
    queries however many people."""
    requirements = requirements_for(agency_id)
    if requirements is None:
        return {}
    ids = list(person_ids)
    training: dict[int, list[TrainingRecord]] = defaultdict(list)
    for record in TrainingRecord.objects.live().filter(person_id__in=ids):
        training[record.person_id].append(record)
    qualifications: dict[int, list[Qualification]] = defaultdict(list)
    for qualification in Qualification.objects.live().filter(person_id__in=ids):
        qualifications[qualification.person_id].append(qualification)
    excepted = {
        e.supervisor_id
        for e in SupervisorException.objects.live().filter(
            agency_id=agency_id, supervisor_id__in=ids
        )
        if e.is_in_force_on(on)
    }
    found = {
        pk: shortfalls(
            requirements, training=training[pk], qualifications=qualifications[pk], on=on
        )
        for pk in ids
        if pk not in excepted
    }
    return {pk: missing for pk, missing in found.items() if missing}


@dataclass
class SupervisorStanding:
    person: Person
    shortfalls: list[str]
    exception: SupervisorException | None
    supervisees: int = 0

    @property
    def falls_short(self) -> bool:
        return bool(self.shortfalls)


def supervisor_standings(*, agency: Agency, on: dt.date) -> list[SupervisorStanding]:
    """Everyone who holds the supervisor role in the agency, or supervises someone there, on
    ``on``, with what they lack and any exception in force: those who fall short first."""
    supervising: dict[int, int] = defaultdict(int)
    for supervisor_id in (
        SupervisionRelationship.objects.on(on)
        .filter(agency=agency)
        .values_list("supervisor_id", flat=True)
    ):
        supervising[supervisor_id] += 1
    role_holders = RoleAssignment.objects.on(on).filter(agency=agency, role=Role.SUPERVISOR)
    people = list(
        Person.objects.filter(
            Q(pk__in=role_holders.values("person_id")) | Q(pk__in=list(supervising))
        ).order_by("family_name", "given_name")
    )
    ids = [p.pk for p in people]
    training: dict[int, list[TrainingRecord]] = defaultdict(list)
    for record in TrainingRecord.objects.live().filter(person_id__in=ids):
        training[record.person_id].append(record)
    qualifications: dict[int, list[Qualification]] = defaultdict(list)
    for qualification in Qualification.objects.live().filter(person_id__in=ids):
        qualifications[qualification.person_id].append(qualification)
    exceptions: dict[int, SupervisorException] = {}
    for exception in (
        SupervisorException.objects.live()
        .filter(agency=agency, supervisor_id__in=ids)
        .select_related("granted_by")
    ):
        if exception.is_in_force_on(on):
            exceptions.setdefault(exception.supervisor_id, exception)
    requirements = requirements_for(agency.pk)
    rows = [
        SupervisorStanding(
            person=p,
            shortfalls=shortfalls(
                requirements,
                training=training[p.pk],
                qualifications=qualifications[p.pk],
                on=on,
            ),
            exception=exceptions.get(p.pk),
            supervisees=supervising.get(p.pk, 0),
        )
        for p in people
    ]
    return sorted(rows, key=lambda r: not r.falls_short)


# --- Safeguarding training for all staff (issue 15 item 6) ---------------------------------


class TrainingState:
    VALID = "valid"
    EXPIRING = "expiring"
    LAPSED = "lapsed"
    NONE = "none"


TRAINING_STATE_LABELS = {
    TrainingState.VALID: "In date",
    TrainingState.EXPIRING: f"Expires within {EXPIRING_WITHIN_DAYS} days",
    TrainingState.LAPSED: "Expired",
    TrainingState.NONE: "No training recorded",
}


def safeguarding_training_state(records: Iterable[TrainingRecord], on: dt.date) -> str:
    """'valid', 'expiring' (valid, but ends within EXPIRING_WITHIN_DAYS), 'lapsed' or
    'none', from a person's safeguarding children training records."""
    done = [r for r in records if r.kind == TrainingKind.SAFEGUARDING and r.completed_on <= on]
    if not done:
        return TrainingState.NONE
    valid = [r for r in done if r.is_valid_on(on)]
    if not valid:
        return TrainingState.LAPSED
    horizon = on + dt.timedelta(days=EXPIRING_WITHIN_DAYS)
    if all(r.expires_on is not None and r.expires_on <= horizon for r in valid):
        return TrainingState.EXPIRING
    return TrainingState.VALID


@dataclass
class StaffTrainingRow:
    person: Person
    job_title: str
    state: str
    latest: TrainingRecord | None

    @property
    def state_label(self) -> str:
        return TRAINING_STATE_LABELS[self.state]

    @property
    def is_compliant(self) -> bool:
        return self.state in (TrainingState.VALID, TrainingState.EXPIRING)


@dataclass
class GroupTraining:
    label: str
    rows: list[StaffTrainingRow] = field(default_factory=list)

    @property
    def staff(self) -> int:
        return len(self.rows)

    def count(self, state: str) -> int:
        return sum(r.state == state for r in self.rows)

    @property
    def in_date(self) -> int:
        return sum(r.is_compliant for r in self.rows)

    @property
    def expiring(self) -> int:
        return self.count(TrainingState.EXPIRING)

    @property
    def lapsed(self) -> int:
        return self.count(TrainingState.LAPSED)

    @property
    def missing(self) -> int:
        return self.count(TrainingState.NONE)

    @property
    def percent_in_date(self) -> int:
        return round(100 * self.in_date / self.staff) if self.staff else 0


NO_STAFF_GROUP = "No staff group"


def safeguarding_training_by_group(*, agency: Agency, on: dt.date) -> list[GroupTraining]:
    """Everyone with a post in the agency on ``on``, by staff group, with the state of their
    safeguarding children training (seed 002: all staff, not only supervisors)."""
    posts = list(
        Membership.objects.on(on)
        .filter(agency=agency, person__is_active=True)
        .select_related("person", "staff_group")
        .order_by("person__family_name", "person__given_name", "starts_on")
    )
    ids = {p.person_id for p in posts}
    training: dict[int, list[TrainingRecord]] = defaultdict(list)
    for record in (
        TrainingRecord.objects.live()
        .filter(person_id__in=ids, kind=TrainingKind.SAFEGUARDING)
        .order_by("-completed_on")
    ):
        training[record.person_id].append(record)
    groups: dict[str, GroupTraining] = {}
    seen: set[int] = set()
    for post in posts:
        if post.person_id in seen:
            continue
        seen.add(post.person_id)
        label = post.staff_group.name if post.staff_group else NO_STAFF_GROUP
        records = training[post.person_id]
        groups.setdefault(label, GroupTraining(label=label)).rows.append(
            StaffTrainingRow(
                person=post.person,
                job_title=post.job_title,
                state=safeguarding_training_state(records, on),
                latest=records[0] if records else None,
            )
        )
    return sorted(groups.values(), key=lambda g: (g.label == NO_STAFF_GROUP, g.label))
