""" "About you" on the home page in one read (issue 17 item 1; decision 0024, fifth pass): the
person's posts, their supervision and line management both ways, roles, training (theirs and
their supervisees') and, for a lead, the open requests to change supervision, as a UNION ALL
of narrow reads with a kind column, each row made into the model the page already used.
Only the columns the page shows are read; a field not read loads on access (``from_db``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import router
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)

from oversight.core.prepared import prepared
from oversight.core.unions import labelled

from .models import (
    Agency,
    ChangeRequestStatus,
    LineManagement,
    Membership,
    Person,
    Role,
    RoleAssignment,
    SupervisionChangeRequest,
    SupervisionRelationship,
    Team,
    TrainingRecord,
)

M = TypeVar("M", bound=Model)

# Every kind fills the same columns, each of one type; a kind leaves out what it lacks.
_COLUMNS: dict[str, Any] = {
    "key": IntegerField(),
    "day": DateField(),
    "until": DateField(),
    "agency": IntegerField(),
    "agency_name": CharField(),
    "agency_gone": DateTimeField(),
    "first": IntegerField(),
    "second": IntegerField(),
    "given": CharField(),
    "family": CharField(),
    "username": CharField(),
    "text": CharField(),
    "more": CharField(),
}


def _kind(rows: QuerySet[Any], kind: str, **columns: Any) -> QuerySet[Any]:
    """``rows`` as one kind of About you's rows: every column, typed NULL where it has none."""
    unknown = set(columns) - set(_COLUMNS)
    if unknown:
        raise ValueError(f"not a column of About you: {unknown}")
    return labelled(
        rows,
        kind,
        **{
            name: columns.get(name, Value(None, output_field=output))
            for name, output in _COLUMNS.items()
        },
    )


def _instance(model: type[M], alias: str, **values: Any) -> M:
    """A model from the columns read; the fields not read are deferred."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(alias, names, [values[n] for n in names])


def _other(of: str, one: str, other: str, pk: int) -> Case:
    """The other party's ``of``: ``one``'s when ``other`` is the person, else ``other``'s."""
    return Case(When(**{f"{other}_id": pk}, then=F(f"{one}__{of}")), default=F(f"{other}__{of}"))


@dataclass
class AboutYou:
    memberships: list[Membership] = field(default_factory=list)
    supervision: list[SupervisionRelationship] = field(default_factory=list)
    management: list[LineManagement] = field(default_factory=list)
    roles: list[RoleAssignment] = field(default_factory=list)
    training: dict[int, list[TrainingRecord]] = field(default_factory=dict)
    # per agency led: open requests to change supervision
    change_requests: dict[int, int] = field(default_factory=dict)


def about_you(
    person: Person,
    *,
    on: dt.date,
    members: bool,
    supervision: bool,
    management: bool,
    roles_of: Collection[int] | None,
    training_of: Collection[int],
    led_agency_ids: Collection[int] = (),
) -> AboutYou:
    """What "About you" shows, in one read. ``members``, ``supervision``, ``management``:
    whether to read that kind (the access profile found some); ``roles_of``: the supervisees
    whose supervisor roles are read with the person's own (None: no roles read);
    ``training_of``: whose training is read; ``led_agency_ids``: where to count the open
    requests to change supervision."""
    pk = person.pk
    found = AboutYou(training={i: [] for i in training_of})
    asked = members or supervision or management or training_of or led_agency_ids
    if not asked and roles_of is None:
        return found
    rows = _about_you_rows(
        pk=pk,
        on=on,
        members=members,
        supervision=supervision,
        management=management,
        roles_of=None if roles_of is None else list(roles_of),
        training_of=list(training_of),
        led_agency_ids=list(led_agency_ids),
    )
    alias = router.db_for_read(Membership)
    agencies: dict[int, Agency] = {}

    def agency_of(row: dict[str, Any]) -> Agency | None:
        if row["agency"] is None:
            return None
        if row["agency"] not in agencies:
            agencies[row["agency"]] = _instance(
                Agency,
                alias,
                id=row["agency"],
                name=row["agency_name"],
                archived_at=row["agency_gone"],
            )
        return agencies[row["agency"]]

    def party(row: dict[str, Any], pid: int) -> Person:
        if pid == pk:
            return person
        return _instance(
            Person,
            alias,
            id=pid,
            given_name=row["given"],
            family_name=row["family"],
            username=row["username"],
        )

    def pair(row: dict[str, Any], model: type[M], one: str, other: str) -> M:
        """A supervision relationship or line management: ``one`` is the first person read,
        ``other`` the second."""
        made = _instance(
            model,
            alias,
            id=row["key"],
            agency_id=row["agency"],
            starts_on=row["day"],
            **{f"{one}_id": row["first"], f"{other}_id": row["second"]},
        )
        made.agency = agency_of(row)  # type: ignore[attr-defined]
        setattr(made, one, party(row, row["first"]))
        setattr(made, other, party(row, row["second"]))
        return made

    for kind, *values in rows:
        row = dict(zip(_COLUMNS, values, strict=True))
        if kind == "member":
            membership = _instance(
                Membership,
                alias,
                id=row["key"],
                person_id=pk,
                agency_id=row["agency"],
                team_id=row["first"],
                job_title=row["text"],
                new_starter=row["more"],
                new_starter_until=row["until"],
                starts_on=row["day"],
            )
            membership.agency = agency_of(row)  # type: ignore[assignment]
            membership.team = (
                _instance(Team, alias, id=row["first"], name=row["given"])
                if row["first"] is not None
                else None
            )
            found.memberships.append(membership)
        elif kind == "supervision":
            found.supervision.append(pair(row, SupervisionRelationship, "supervisor", "supervisee"))
        elif kind == "management":
            found.management.append(pair(row, LineManagement, "manager", "report"))
        elif kind == "role":
            role = _instance(
                RoleAssignment,
                alias,
                id=row["key"],
                person_id=row["first"],
                agency_id=row["agency"],
                role=row["text"],
            )
            role.agency = agency_of(row)
            found.roles.append(role)
        elif kind == "training":
            found.training[row["first"]].append(
                _instance(
                    TrainingRecord,
                    alias,
                    id=row["key"],
                    person_id=row["first"],
                    kind=row["text"],
                    completed_on=row["day"],
                    expires_on=row["until"],
                )
            )
        else:
            found.change_requests[row["agency"]] = found.change_requests.get(row["agency"], 0) + 1
    found.memberships.sort(key=lambda m: (m.agency.name, m.pk))
    found.supervision.sort(key=lambda r: (-r.starts_on.toordinal(), r.pk))
    found.management.sort(key=lambda r: (-r.starts_on.toordinal(), r.pk))
    found.roles.sort(key=lambda r: (r.person_id != pk, r.role, r.pk))
    return found


@prepared
def _about_you_rows(
    *,
    pk: int,
    on: dt.date,
    members: bool,
    supervision: bool,
    management: bool,
    roles_of: list[int] | None,
    training_of: list[int],
    led_agency_ids: list[int],
) -> QuerySet[Any]:
    """The UNION ALL of the kinds asked for, compiled once per shape (core.prepared)."""
    agency = {
        "agency": F("agency_id"),
        "agency_name": F("agency__name"),
        "agency_gone": F("agency__archived_at"),
    }
    parts = []
    if members:
        parts.append(
            _kind(
                Membership.objects.on(on).filter(person_id=pk),
                "member",
                key=F("pk"),
                day=F("starts_on"),
                until=F("new_starter_until"),
                first=F("team_id"),
                given=F("team__name"),
                text=F("job_title"),
                more=F("new_starter"),
                **agency,
            )
        )
    # Supervision and line management: two people either way round, with the other's name.
    pairs: list[tuple[bool, type[SupervisionRelationship | LineManagement], str, str, str]] = [
        (supervision, SupervisionRelationship, "supervision", "supervisor", "supervisee"),
        (management, LineManagement, "management", "manager", "report"),
    ]
    for wanted, model, kind, one, other in pairs:
        if wanted:
            parts.append(
                _kind(
                    model.objects.on(on).filter(Q(**{f"{one}_id": pk}) | Q(**{f"{other}_id": pk})),
                    kind,
                    key=F("pk"),
                    day=F("starts_on"),
                    first=F(f"{one}_id"),
                    second=F(f"{other}_id"),
                    given=_other("given_name", one, other, pk),
                    family=_other("family_name", one, other, pk),
                    username=_other("username", one, other, pk),
                    **agency,
                )
            )
    if roles_of is not None:
        parts.append(
            _kind(
                RoleAssignment.objects.on(on).filter(
                    Q(person_id=pk) | Q(person_id__in=roles_of, role=Role.SUPERVISOR)
                ),
                "role",
                key=F("pk"),
                first=F("person_id"),
                text=F("role"),
                **agency,
            )
        )
    if training_of:
        parts.append(
            _kind(
                TrainingRecord.objects.live().filter(person_id__in=training_of),
                "training",
                key=F("pk"),
                day=F("completed_on"),
                until=F("expires_on"),
                first=F("person_id"),
                text=F("kind"),
            )
        )
    if led_agency_ids:
        parts.append(
            _kind(
                SupervisionChangeRequest.objects.live().filter(
                    status=ChangeRequestStatus.OPEN,
                    relationship__agency_id__in=led_agency_ids,
                ),
                "change",
                key=F("pk"),
                agency=F("relationship__agency_id"),
            )
        )
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
