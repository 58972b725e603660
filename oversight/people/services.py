"""Writes about people and organisation. Each service validates, locks what it changes,
stamps it (core.services tracked_*) and writes the audit log (seed 001 "Recording")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from oversight.core.models import AuditAction, TrackedModel
from oversight.core.services import (
    RequestOrigin,
    StaleEditError,
    audit_event_record,
    tracked_archive,
    tracked_create,
    tracked_update,
)

from .models import (
    PARTNERSHIP_ROLES,
    Agency,
    ContactLevel,
    LineManagement,
    Membership,
    Nation,
    NewStarter,
    Partnership,
    Person,
    RoleAssignment,
    StaffGroup,
    SupervisionRelationship,
    Team,
    TrainingRecord,
)

T = TypeVar("T", bound=TrackedModel)

AGENCY_FIELDS = frozenset({"name", "sector", "nation"})
TEAM_FIELDS = frozenset({"name"})
PERSON_FIELDS = frozenset({"username", "email", "given_name", "family_name"})
MEMBERSHIP_FIELDS = frozenset(
    {
        "team",
        "staff_group",
        "job_title",
        "employee_number",
        "contact_level",
        "new_starter",
        "new_starter_until",
        "starts_on",
        "ends_on",
    }
)


def _create(obj: T, *, actor: Person, origin: RequestOrigin | None) -> T:
    tracked_create(obj, by=actor)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=obj, origin=origin)
    return obj


def _apply(obj: models.Model, changes: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    allowed = set(allowed)
    changed = []
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        if getattr(obj, name) != value:
            changed.append(name)
        setattr(obj, name, value)
    return sorted(changed)


def _update(
    obj: T,
    *,
    actor: Person,
    changes: dict[str, Any],
    allowed: Iterable[str],
    expected_version: int | None,
    origin: RequestOrigin | None,
) -> T:
    changed = _apply(obj, changes, allowed)
    tracked_update(obj, by=actor, expected_version=expected_version)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=obj,
        origin=origin,
        detail={"fields": changed},
    )
    return obj


def _end(obj: T, *, actor: Person, ends_on: dt.date, origin: RequestOrigin | None, what: str) -> T:
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if current.ends_on is not None and current.ends_on <= ends_on:
        raise ValidationError({"ends_on": f"This {what} has already ended."})
    if ends_on < current.starts_on:
        raise ValidationError({"ends_on": "The end date must be on or after the start date."})
    obj.ends_on = ends_on  # type: ignore[attr-defined]
    tracked_update(obj, by=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=obj,
        origin=origin,
        detail={"ended_on": ends_on.isoformat()},
    )
    return obj


# --- Agencies, teams and staff groups ------------------------------------------------------


@transaction.atomic
def agency_create(
    *,
    actor: Person,
    name: str,
    sector: str,
    nation: str = Nation.ENGLAND,
    partnership: Partnership | None = None,
    origin: RequestOrigin | None = None,
) -> Agency:
    """Add an agency to the partnership (issue 2 "Organisation"); ``nation`` decides which
    bank holidays are non-working days for its deadlines."""
    if partnership is None:
        partnership = Partnership.objects.order_by("pk").first()
        if partnership is None:
            raise ValidationError("Set up the partnership before adding agencies.")
    name = name.strip()
    if Agency.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "An agency with this name already exists."})
    agency = Agency(partnership=partnership, name=name, sector=sector, nation=nation)
    return _create(agency, actor=actor, origin=origin)


@transaction.atomic
def agency_update(
    *,
    actor: Person,
    agency: Agency,
    changes: dict[str, Any],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> Agency:
    name = str(changes.get("name", agency.name)).strip()
    if Agency.objects.filter(name__iexact=name).exclude(pk=agency.pk).exists():
        raise ValidationError({"name": "An agency with this name already exists."})
    return _update(
        agency,
        actor=actor,
        changes=changes,
        allowed=AGENCY_FIELDS,
        expected_version=expected_version,
        origin=origin,
    )


def _unique_in_agency(model: type[models.Model], agency: Agency, name: str, pk: Any) -> None:
    if model._default_manager.filter(agency=agency, name__iexact=name).exclude(pk=pk).exists():
        label = model._meta.verbose_name
        raise ValidationError({"name": f"This agency already has a {label} with this name."})


@transaction.atomic
def team_create(
    *, actor: Person, agency: Agency, name: str, origin: RequestOrigin | None = None
) -> Team:
    name = name.strip()
    _unique_in_agency(Team, agency, name, None)
    return _create(Team(agency=agency, name=name), actor=actor, origin=origin)


@transaction.atomic
def team_update(
    *,
    actor: Person,
    team: Team,
    changes: dict[str, Any],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> Team:
    _unique_in_agency(Team, team.agency, str(changes.get("name", team.name)).strip(), team.pk)
    return _update(
        team,
        actor=actor,
        changes=changes,
        allowed=TEAM_FIELDS,
        expected_version=expected_version,
        origin=origin,
    )


@transaction.atomic
def staff_group_create(
    *, actor: Person, agency: Agency, name: str, origin: RequestOrigin | None = None
) -> StaffGroup:
    """A staff group an agency sets supervision policy for (seed 004 Appendix IV)."""
    name = name.strip()
    _unique_in_agency(StaffGroup, agency, name, None)
    return _create(StaffGroup(agency=agency, name=name), actor=actor, origin=origin)


# --- People -------------------------------------------------------------------------------


def _check_person_unique(username: str, email: str, pk: Any) -> None:
    errors: dict[str, str] = {}
    others = Person.objects.exclude(pk=pk)
    if others.filter(username__iexact=username).exists():
        errors["username"] = "Someone already has this username."
    if others.filter(email__iexact=email).exists():
        errors["email"] = "Someone already has this email address."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_create(
    *,
    actor: Person,
    given_name: str,
    family_name: str,
    email: str,
    username: str = "",
    origin: RequestOrigin | None = None,
) -> Person:
    """Add someone who will sign in. They set their own password through "forgotten your
    password" — nobody else ever knows it."""
    email = email.strip().lower()
    username = (username or email).strip()
    _check_person_unique(username, email, None)
    person = Person(username=username, email=email, given_name=given_name, family_name=family_name)
    person.set_unusable_password()
    person.full_clean()
    person.save()
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=person, origin=origin)
    return person


@transaction.atomic
def person_update(
    *,
    actor: Person,
    person: Person,
    changes: dict[str, Any],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> Person:
    current = Person.objects.select_for_update().only("version").get(pk=person.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()
    if "email" in changes:
        changes = {**changes, "email": str(changes["email"]).strip().lower()}
    changed = _apply(person, changes, PERSON_FIELDS)
    _check_person_unique(person.username, person.email, person.pk)
    person.version = current.version + 1
    person.full_clean()
    person.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=person,
        origin=origin,
        detail={"fields": changed},
    )
    return person


@transaction.atomic
def person_deactivate(
    *,
    actor: Person,
    person: Person,
    reason: str,
    ends_on: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> Person:
    """Someone leaves: they can no longer sign in, and their posts, roles and relationships
    end on ``ends_on`` (default today). Their records stay for audit."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this account is being closed."})
    if actor.pk == person.pk:
        raise ValidationError("You cannot close your own account.")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        raise ValidationError("This account is already closed.")
    day = ends_on or timezone.localdate()
    open_rows: list[tuple[type[Any], Q]] = [
        (Membership, Q(person=person)),
        (RoleAssignment, Q(person=person)),
        (SupervisionRelationship, Q(supervisor=person) | Q(supervisee=person)),
        (LineManagement, Q(manager=person) | Q(report=person)),
    ]
    ended = 0
    for model, who in open_rows:
        for row in (
            model.objects.live().filter(who).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
        ):
            row.ends_on = max(day, row.starts_on)
            tracked_update(row, by=actor)
            ended += 1
    person.is_active = False
    person.version += 1
    person.save(update_fields=["is_active", "version"])
    audit_event_record(
        actor=actor,
        action=AuditAction.ARCHIVE,
        target=person,
        origin=origin,
        detail={"reason": reason, "ended_on": day.isoformat(), "rows_ended": ended},
    )
    return person


# --- Posts --------------------------------------------------------------------------------


@transaction.atomic
def membership_create(
    *,
    actor: Person,
    person: Person,
    agency: Agency,
    job_title: str,
    starts_on: dt.date,
    team: Team | None = None,
    staff_group: StaffGroup | None = None,
    employee_number: str = "",
    contact_level: str = ContactLevel.DIRECT,
    new_starter: str = NewStarter.NO,
    new_starter_until: dt.date | None = None,
    ends_on: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> Membership:
    """A post in an agency; a person may hold posts in several agencies (issue 2)."""
    membership = Membership(
        person=person,
        agency=agency,
        team=team,
        staff_group=staff_group,
        job_title=job_title,
        employee_number=employee_number,
        contact_level=contact_level,
        new_starter=new_starter,
        new_starter_until=new_starter_until if new_starter else None,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return _create(membership, actor=actor, origin=origin)


@transaction.atomic
def membership_update(
    *,
    actor: Person,
    membership: Membership,
    changes: dict[str, Any],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> Membership:
    if "new_starter" in changes and not changes["new_starter"]:
        changes = {**changes, "new_starter_until": None}
    return _update(
        membership,
        actor=actor,
        changes=changes,
        allowed=MEMBERSHIP_FIELDS,
        expected_version=expected_version,
        origin=origin,
    )


@transaction.atomic
def membership_end(
    *,
    actor: Person,
    membership: Membership,
    ends_on: dt.date,
    origin: RequestOrigin | None = None,
) -> Membership:
    return _end(membership, actor=actor, ends_on=ends_on, origin=origin, what="post")


# --- Supervision and line management ------------------------------------------------------

R = TypeVar("R", SupervisionRelationship, LineManagement)


def _relationship_start(
    model: type[R],
    *,
    actor: Person,
    senior_field: str,
    junior_field: str,
    senior: Person,
    junior: Person,
    agency: Agency,
    starts_on: dt.date,
    handover_notes: str,
    origin: RequestOrigin | None,
    labels: tuple[str, str],
) -> R:
    """Seed 001 "Supervisor responsibilities": when a relationship changes, a handover is
    arranged. The junior's current relationship in the agency ends the day before and the new
    one records which it took over from, with the handover notes."""
    senior_label, junior_label = labels
    if senior.pk == junior.pk:
        raise ValidationError({senior_field: f"A person cannot be their own {senior_label}."})
    if not senior.is_active or not junior.is_active:
        raise ValidationError("Both people must have an open account.")
    if not Membership.objects.on(starts_on).filter(person=junior, agency=agency).exists():
        raise ValidationError(
            {"agency": f"The {junior_label} has no post in {agency} on that date."}
        )
    ongoing = list(
        model.objects.live()
        .select_for_update()
        .filter(**{junior_field: junior}, agency=agency)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    )
    if any(r.starts_on >= starts_on for r in ongoing):
        raise ValidationError(
            {
                "starts_on": f"The {junior_label} already has a {senior_label} in this agency "
                "from this date or later. End or change that one instead."
            }
        )
    if any(getattr(r, f"{senior_field}_id") == senior.pk for r in ongoing):
        raise ValidationError(
            {senior_field: f"This is already the {junior_label}'s current {senior_label}."}
        )
    previous = max(ongoing, key=lambda r: r.starts_on, default=None)
    for old in ongoing:
        old.ends_on = starts_on - dt.timedelta(days=1)
        tracked_update(old, by=actor)
        audit_event_record(
            actor=actor,
            action=AuditAction.CHANGE,
            target=old,
            origin=origin,
            detail={"ended_on": old.ends_on.isoformat(), "handover": True},
        )
    relationship = model(
        **{senior_field: senior, junior_field: junior},
        agency=agency,
        starts_on=starts_on,
        handover_from=previous,
        handover_notes=handover_notes.strip(),
    )
    return _create(relationship, actor=actor, origin=origin)


@transaction.atomic
def supervision_relationship_start(
    *,
    actor: Person,
    supervisor: Person,
    supervisee: Person,
    agency: Agency,
    starts_on: dt.date,
    handover_notes: str = "",
    origin: RequestOrigin | None = None,
) -> SupervisionRelationship:
    return _relationship_start(
        SupervisionRelationship,
        actor=actor,
        senior_field="supervisor",
        junior_field="supervisee",
        senior=supervisor,
        junior=supervisee,
        agency=agency,
        starts_on=starts_on,
        handover_notes=handover_notes,
        origin=origin,
        labels=("safeguarding supervisor", "supervisee"),
    )


@transaction.atomic
def supervision_relationship_end(
    *,
    actor: Person,
    relationship: SupervisionRelationship,
    ends_on: dt.date,
    origin: RequestOrigin | None = None,
) -> SupervisionRelationship:
    return _end(relationship, actor=actor, ends_on=ends_on, origin=origin, what="supervision")


@transaction.atomic
def line_management_start(
    *,
    actor: Person,
    manager: Person,
    report: Person,
    agency: Agency,
    starts_on: dt.date,
    handover_notes: str = "",
    origin: RequestOrigin | None = None,
) -> LineManagement:
    return _relationship_start(
        LineManagement,
        actor=actor,
        senior_field="manager",
        junior_field="report",
        senior=manager,
        junior=report,
        agency=agency,
        starts_on=starts_on,
        handover_notes=handover_notes,
        origin=origin,
        labels=("line manager", "report"),
    )


@transaction.atomic
def line_management_end(
    *,
    actor: Person,
    relationship: LineManagement,
    ends_on: dt.date,
    origin: RequestOrigin | None = None,
) -> LineManagement:
    return _end(relationship, actor=actor, ends_on=ends_on, origin=origin, what="line management")


# --- Roles and training -------------------------------------------------------------------


@transaction.atomic
def role_assign(
    *,
    actor: Person,
    person: Person,
    role: str,
    starts_on: dt.date,
    agency: Agency | None = None,
    origin: RequestOrigin | None = None,
) -> RoleAssignment:
    """Give someone a role: per agency, or partnership-wide for auditor and administrator."""
    if role in PARTNERSHIP_ROLES:
        agency = None
    Person.objects.select_for_update().filter(pk=person.pk).exists()
    if (
        RoleAssignment.objects.live()
        .filter(person=person, role=role, agency=agency)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .exists()
    ):
        raise ValidationError({"role": "This person already holds this role there."})
    assignment = RoleAssignment(person=person, role=role, agency=agency, starts_on=starts_on)
    return _create(assignment, actor=actor, origin=origin)


@transaction.atomic
def role_end(
    *,
    actor: Person,
    assignment: RoleAssignment,
    ends_on: dt.date,
    origin: RequestOrigin | None = None,
) -> RoleAssignment:
    return _end(assignment, actor=actor, ends_on=ends_on, origin=origin, what="role")


@transaction.atomic
def training_record_add(
    *,
    actor: Person,
    person: Person,
    course: str,
    completed_on: dt.date,
    expires_on: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> TrainingRecord:
    """Supervisor training (seed 001 Competence); lapsed once ``expires_on`` has passed."""
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The completion date must be today or earlier."})
    record = TrainingRecord(
        person=person, course=course.strip(), completed_on=completed_on, expires_on=expires_on
    )
    return _create(record, actor=actor, origin=origin)


@transaction.atomic
def training_record_archive(
    *,
    actor: Person,
    record: TrainingRecord,
    reason: str,
    origin: RequestOrigin | None = None,
) -> TrainingRecord:
    tracked_archive(record, by=actor, reason=reason)
    return record
