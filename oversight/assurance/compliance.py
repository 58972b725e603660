"""Compliance, one definition (issue 5 item 1). For each person with a post on a date:
the last supervision held (of the session types the agency's policy counts; a group only for
those who attended: seed 001 standard 3, issue 9 item 7), the next due by the policy in force
on that date (newly-qualified aware), days overdue; whether their contract is missing,
unsigned or due for review; records unsigned past their deadline; actions overdue; and for
supervisors whether their training is valid and whether they are supervised themselves
(seed 001 "Competence").

Set-based: a fixed number of queries for any number of people. Every assurance page, export
and test uses ``compliance_for``; nothing re-implements these rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import LessThan
from django.template.defaultfilters import pluralize

from oversight.contracts.models import (
    GROUP_SESSION_TYPES,
    OPEN_STATUSES,
    SupervisionContract,
    SupervisionPolicy,
)
from oversight.contracts.selectors import ContractStanding
from oversight.core.prepared import prepared
from oversight.core.unions import labelled
from oversight.core.workdays import day_start
from oversight.people.models import (
    Membership,
    SupervisionRelationship,
    TrainingKind,
    TrainingRecord,
)
from oversight.supervision.models import (
    Action,
    ActionStatus,
    Session,
    SessionAttendance,
    SessionRecord,
    SessionStatus,
)

# Up to this many people, queries name them; beyond it, they read the (few) rows that matter
# partnership-wide and keep those of the people in scope.
FEW_PEOPLE = 100


@dataclass
class PersonCompliance:
    person_id: int
    name: str
    agency_id: int
    agency_name: str
    team_id: int | None
    team_name: str
    staff_group_id: int | None
    staff_group_name: str
    new_starter: bool
    interval_days: int
    last_held_on: dt.date | None
    next_due_on: dt.date
    days_overdue: int
    has_supervisor: bool
    contract: ContractStanding
    records_unsigned_overdue: int = 0
    actions_overdue: int = 0
    is_supervisor: bool = False
    training: str | None = None  # "valid", "lapsed" or "none", for supervisors
    supervised_themselves: bool | None = None  # for supervisors

    @cached_property
    def issues(self) -> list[str]:
        """What is wrong, in the words the pages show; worked out when a page asks, not for
        each of a partnership's ten thousand rows that the kept figures only count."""
        return _issues(self)

    @property
    def supervised_within_interval(self) -> bool:
        return self.days_overdue == 0

    @property
    def contract_in_place(self) -> bool:
        return self.contract == ContractStanding.OK

    @property
    def is_compliant(self) -> bool:
        return not self.issues


def policy_from(
    policies: Iterable[SupervisionPolicy],
    *,
    agency_id: int,
    staff_group_id: int | None,
    on: dt.date,
) -> SupervisionPolicy:
    """The same choice as contracts.selectors.policy_in_force, made from policies already
    loaded: the staff group's latest version on ``on``, else the agency's, else the defaults."""
    group_policy = agency_policy = None
    for policy in sorted(policies, key=lambda p: (p.effective_from, p.pk or 0)):
        if policy.agency_id != agency_id or policy.effective_from > on:
            continue
        if staff_group_id and policy.staff_group_id == staff_group_id:
            group_policy = policy
        if policy.staff_group_id is None:
            agency_policy = policy
    return group_policy or agency_policy or SupervisionPolicy(agency_id=agency_id)


CONTRACT_RANK = {
    ContractStanding.MISSING: 0,
    ContractStanding.UNSIGNED: 1,
    ContractStanding.REVIEW_DUE: 2,
    ContractStanding.OK: 3,
}


def contract_standings_from(
    rows: Iterable[Any], ids: list[int], on: dt.date
) -> dict[int, ContractStanding]:
    """contracts.selectors.contract_standings, judged from the contracts that had started by
    ``on`` and not ended, read as plain values so that a whole partnership (20,000 contracts)
    costs one light read; the same rules, judged by SupervisionContract.is_in_force_on, and a
    test holds the two to the same answers."""
    standings = dict.fromkeys(ids, ContractStanding.MISSING)
    for contract in rows:
        standing = contract_standing_on(contract, on)
        if standing is None:
            continue
        current = standings.get(contract.supervisee_id, ContractStanding.MISSING)
        if CONTRACT_RANK[standing] > CONTRACT_RANK[current]:
            standings[contract.supervisee_id] = standing
    return standings


def contract_standing_on(contract: Any, on: dt.date) -> ContractStanding | None:
    """One contract's standing on ``on`` (a contract that has started and not ended), or None
    when it says nothing that day. Shared by ``contract_standings_of`` and the day-by-day
    sweep of ``snapshots`` (issue 17 item 2), so the two cannot drift apart."""
    if SupervisionContract.is_in_force_on(contract, on):
        return ContractStanding.REVIEW_DUE if contract.review_due_on <= on else ContractStanding.OK
    if contract.status in OPEN_STATUSES or (
        contract.signed_on is not None and contract.signed_on > on
    ):
        return ContractStanding.UNSIGNED
    return None


def training_status(records: list[tuple[dt.date, dt.date | None]], on: dt.date) -> str:
    """'valid', 'lapsed' or 'none' (as people.selectors.supervisor_training_status)."""
    started = [(done, expires) for done, expires in records if done <= on]
    if not started:
        return "none"
    return "valid" if any(expires is None or on <= expires for _, expires in started) else "lapsed"


POST_FIELDS = (
    "person_id",
    "person__given_name",
    "person__family_name",
    "person__username",
    "agency_id",
    "agency__name",
    "team_id",
    "team__name",
    "staff_group_id",
    "staff_group__name",
    "starts_on",
    "new_starter",
    "new_starter_until",
)


def memberships_in_scope(
    *,
    on: dt.date,
    agency_ids: Iterable[int] | None = None,
    person_ids: Iterable[int] | None = None,
    also_person_ids: Iterable[int] | None = None,
) -> QuerySet[Membership]:
    """Posts held on ``on`` in ``agency_ids`` and by ``person_ids`` (either may be None: no
    limit), with every post of ``also_person_ids`` added."""
    scope = Q()
    if agency_ids is not None:
        scope &= Q(agency_id__in=list(agency_ids))
    if person_ids is not None:
        scope &= Q(person_id__in=list(person_ids))
    if also_person_ids is not None and scope:
        scope |= Q(person_id__in=list(also_person_ids))
    return Membership.objects.on(on).filter(scope)


def compliance_for(
    *,
    on: dt.date,
    agency_ids: Iterable[int] | None = None,
    person_ids: Iterable[int] | None = None,
    also_person_ids: Iterable[int] | None = None,
) -> list[PersonCompliance]:
    """One row per post held on ``on`` in the given agencies (or by the given people), and
    every post of ``also_person_ids`` (a lead's home reads their agencies and their own
    people in one pass, issue 17 item 1; a row does not depend on the rest of the scope).
    Three queries whatever the number of people (issue 17 item 1: a home page reads at most
    20): the policies, the posts with each person's own figures (``_figures``), and their
    contracts and unsigned records (``_contracts_and_unsigned_query``)."""
    reads: dict[str, Any] = {
        "on": on,
        "agency_ids": None if agency_ids is None else list(agency_ids),
        "person_ids": None if person_ids is None else list(person_ids),
        "also_person_ids": None if also_person_ids is None else list(also_person_ids),
    }
    policies: list[SupervisionPolicy] = _policies_in_scope(**reads)
    after_on = day_start(on + dt.timedelta(days=1))
    counted = _counted_session_types(policies)
    held_as = {session_type: f"held_{session_type}" for session_type in counted}
    posts = [
        SimpleNamespace(**values)
        for values in _posts_with_figures(**reads, after_on=after_on, session_types=counted)
    ]
    if not posts:
        return []
    ids = sorted({m.person_id for m in posts})
    contract_rows, unsigned = _contracts_and_unsigned_from(
        _contracts_and_unsigned_rows(**reads, after_on=after_on, ids=ids), ids
    )
    contracts = contract_standings_from(contract_rows, ids, on)

    chosen: dict[tuple[int, int | None], SupervisionPolicy] = {}
    rows = []
    for post in posts:
        scope = (post.agency_id, post.staff_group_id)
        policy = chosen.get(scope)
        if policy is None:
            policy = chosen[scope] = policy_from(
                policies, agency_id=post.agency_id, staff_group_id=post.staff_group_id, on=on
            )
        new_starter = Membership.is_new_starter_on(post, on)  # type: ignore[arg-type]
        interval = policy.new_starter_interval_days if new_starter else policy.interval_days
        held = (getattr(post, held_as[t]) for t in policy.counted_session_types or ())
        last = max((d for d in held if d is not None), default=None)
        next_due = (last or post.starts_on) + dt.timedelta(days=interval)
        overdue = max(0, (on - next_due).days)
        row = PersonCompliance(
            person_id=post.person_id,
            name=f"{post.person__given_name} {post.person__family_name}".strip()
            or post.person__username,
            agency_id=post.agency_id,
            agency_name=post.agency__name,
            team_id=post.team_id,
            team_name=post.team__name or "No team",
            staff_group_id=post.staff_group_id,
            staff_group_name=post.staff_group__name or "No staff group",
            new_starter=new_starter,
            interval_days=interval,
            last_held_on=last,
            next_due_on=next_due,
            days_overdue=overdue,
            has_supervisor=post.supervised,
            contract=contracts[post.person_id],
            records_unsigned_overdue=unsigned.get(post.person_id, 0),
            actions_overdue=post.actions_overdue,
        )
        if post.supervises:
            row.is_supervisor = True
            row.training = post.training
            row.supervised_themselves = post.supervised
        rows.append(row)
    return rows


# compliance_for's three reads, each compiled once per shape (core.prepared; decision 0029):
# the scope's shape is which of its lists are given and how long they are.


@prepared
def _policies_in_scope(
    *,
    on: dt.date,
    agency_ids: list[int] | None,
    person_ids: list[int] | None,
    also_person_ids: list[int] | None,
) -> QuerySet[SupervisionPolicy]:
    in_scope = memberships_in_scope(
        on=on, agency_ids=agency_ids, person_ids=person_ids, also_person_ids=also_person_ids
    )
    return (
        SupervisionPolicy.objects.live()
        .filter(agency_id__in=in_scope.values("agency_id"), effective_from__lte=on)
        .order_by()  # policy_from puts them in order
    )


@prepared(shaped=("session_types",))
def _posts_with_figures(
    *,
    on: dt.date,
    after_on: dt.datetime,
    agency_ids: list[int] | None,
    person_ids: list[int] | None,
    also_person_ids: list[int] | None,
    session_types: tuple[str, ...],
) -> QuerySet[Any]:
    in_scope = memberships_in_scope(
        on=on, agency_ids=agency_ids, person_ids=person_ids, also_person_ids=also_person_ids
    )
    figures = _figures(on, after_on, session_types)
    return (
        in_scope.annotate(**figures)
        .order_by("agency__name", "person__family_name", "person__given_name", "pk")
        .values(*POST_FIELDS, *figures)
    )


@prepared
def _contracts_and_unsigned_rows(
    *,
    on: dt.date,
    after_on: dt.datetime,
    agency_ids: list[int] | None,
    person_ids: list[int] | None,
    also_person_ids: list[int] | None,
    ids: list[int],
) -> QuerySet[Any]:
    in_scope = memberships_in_scope(
        on=on, agency_ids=agency_ids, person_ids=person_ids, also_person_ids=also_person_ids
    )
    return _contracts_and_unsigned_query(in_scope.values("person_id"), ids, on, after_on)


def _counted_session_types(policies: list[SupervisionPolicy]) -> tuple[str, ...]:
    """The session types a policy in scope counts (a post whose agency has no policy in force
    follows the defaults)."""
    counted = {t for policy in policies for t in policy.counted_session_types or ()}
    counted |= set(SupervisionPolicy().counted_session_types or ())
    return tuple(sorted(counted))


def _figures(on: dt.date, after_on: dt.datetime, session_types: tuple[str, ...]) -> dict[str, Any]:
    """Each person's own figures on ``on``, as subqueries on a post's person: one index
    step (or a few) per person for each, so a page pays for its own people only. Whether
    they are supervised and supervise; the actions they own that were overdue then; for a
    supervisor, their training, as ``training_status`` judges it; and the last session held
    of each type a policy in scope counts (``_last_held``), with the name each is read as."""
    relationships = SupervisionRelationship.objects.on(on)
    owned = Action.objects.live().filter(
        owner_id=OuterRef("person_id"), due_on__lt=on, created_at__lt=after_on
    )

    def counted(actions: QuerySet[Action]) -> Coalesce:
        return Coalesce(
            Subquery(actions.order_by().values("owner_id").annotate(n=Count("pk")).values("n")),
            0,
        )

    # Still open, or done only after ``on``: two counts, each one index step per person
    # (owner, status, due), rather than one OR that builds a bitmap per person.
    overdue = counted(owned.filter(status=ActionStatus.OPEN)) + counted(
        owned.filter(status=ActionStatus.DONE, completed_on__gt=on)
    )
    trained = TrainingRecord.objects.live().filter(
        person_id=OuterRef("person_id"), kind=TrainingKind.SUPERVISOR, completed_on__lte=on
    )
    held = _last_held(on, session_types)
    return {
        "supervised": Exists(relationships.filter(supervisee_id=OuterRef("person_id"))),
        "supervises": Exists(relationships.filter(supervisor_id=OuterRef("person_id"))),
        "actions_overdue": overdue,
        "training": Case(
            When(
                Exists(trained.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))),
                then=Value("valid"),
            ),
            When(Exists(trained), then=Value("lapsed")),
            default=Value("none"),
        ),
        **{f"held_{session_type}": last for session_type, last in held.items()},
    }


def _contracts_and_unsigned_query(
    people: QuerySet[Any], ids: list[int], on: dt.date, after_on: dt.datetime
) -> QuerySet[Any]:
    """The contracts of ``people`` that had started by ``on`` and not ended (judged by
    ``contract_standings_from``), and the records of ``ids`` unsigned past their deadline on
    ``on`` (``after_on``: the start of the next day, a timestamp range rather than a date
    cast, so that the indexes on supervisee_signed_at, status and completed_on serve any
    date), as supervisee or supervisor: two kinds of row, one UNION ALL."""
    past_deadline = SessionRecord.objects.live().filter(session__held_on__lte=on, sign_by__lt=on)
    unsigned_then = Q(supervisee_signed_at__isnull=True) | Q(supervisee_signed_at__gte=after_on)
    if len(ids) > FEW_PEOPLE:
        # Unsigned records are few whatever the partnership's size: read them all from the
        # record side (an index scan) rather than join every session of these people.
        parts = [unsigned_past_deadline_on(past_deadline.filter(unsigned_then), on)]
    else:
        # A handful of people is read from their own sessions: the period index would walk
        # every record unsigned that day, partnership-wide, to find theirs. "Unsigned then"
        # is two reads, each from its own index: still unsigned (record_unsigned_by_session,
        # the record's row not read) and signed only after ``on`` (none, for today).
        theirs = past_deadline.filter(
            Q(session__supervisee_id__in=ids) | Q(session__supervisor_id__in=ids)
        )
        parts = [
            theirs.filter(supervisee_signed_at__isnull=True),
            theirs.filter(supervisee_signed_at__gte=after_on),
        ]
    contracts = (
        SupervisionContract.objects.live()
        .filter(supervisee_id__in=people, starts_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    )
    no_date = Value(None, output_field=DateField())
    return labelled(
        contracts,
        "contract",
        supervisee=F("supervisee_id"),
        supervisor=Value(None, output_field=IntegerField()),
        status=F("status"),
        signed_on=F("signed_on"),
        ended_on=F("ended_on"),
        review_due_on=F("review_due_on"),
    ).union(
        *(
            labelled(
                records,
                "unsigned",
                supervisee=F("session__supervisee_id"),
                supervisor=F("session__supervisor_id"),
                status=Value(None, output_field=CharField()),
                signed_on=no_date,
                ended_on=no_date,
                review_due_on=no_date,
            )
            for records in parts
        ),
        all=True,
    )


def _contracts_and_unsigned_from(
    rows: Iterable[Any], ids: list[int]
) -> tuple[list[SimpleNamespace], dict[int, int]]:
    contract_rows = []
    unsigned: dict[int, int] = defaultdict(int)
    in_scope = set(ids)
    for kind, supervisee_id, supervisor_id, status, signed_on, ended_on, review_due_on in rows:
        if kind == "contract":
            contract_rows.append(
                SimpleNamespace(
                    supervisee_id=supervisee_id,
                    status=status,
                    signed_on=signed_on,
                    ended_on=ended_on,
                    review_due_on=review_due_on,
                )
            )
            continue
        for person_id in (supervisee_id, supervisor_id):
            if person_id in in_scope:
                unsigned[person_id] += 1
    return contract_rows, unsigned


def unsigned_past_deadline_on(records: QuerySet[Any], on: dt.date) -> QuerySet[Any]:
    """On PostgreSQL, narrow ``records`` (already filtered to "past its deadline and not
    signed by the supervisee on ``on``") by the same rule written as the period each record
    spent unsigned past its deadline, ``(sign_by, day signed)``, which contains ``on``. A GiST
    index holds that period (supervision migration 0011, decision 0025), so a past date reads
    only the records unsigned then, not every record signed since (issue 17 item 3). The two
    conditions say the same thing; elsewhere the first alone is used."""
    if connection.vendor != "postgresql":
        return records
    from django.contrib.postgres.fields import DateRangeField

    signed_day = Cast(
        Func(Value(settings.TIME_ZONE), F("supervisee_signed_at"), function="timezone"),
        DateField(),
    )
    # Signed on or before the deadline: the empty period (sign_by, sign_by).
    upper = Case(When(LessThan(signed_day, F("sign_by")), then=F("sign_by")), default=signed_day)
    period = Func(
        F("sign_by"), upper, Value("()"), function="daterange", output_field=DateRangeField()
    )
    return (
        records.filter(sign_by__isnull=False)
        .alias(unsigned_period=period)
        .filter(unsigned_period__contains=on)
    )


def _last_held(on: dt.date, session_types: tuple[str, ...]) -> dict[str, Subquery]:
    """Per session type that a policy in scope counts, the last session of that type a post's
    person held on or before ``on``: as the supervisee and, for a group, as one who attended
    (marked as attended: "did not attend" and not yet recorded do not count; seed 001
    standard 3, issue 9 item 7). The policy of each post then picks the types that count.

    A 1:1's is read from the index on held sessions by (supervisee, type, held_on): one step
    back from ``on`` per person and type (issue 17 item 3), not a scan of every session
    held; a group's from the person's attendances."""
    group_types = set(GROUP_SESSION_TYPES)
    held = Session.objects.live().filter(
        status=SessionStatus.HELD, held_on__lte=on, supervisee_id=OuterRef("person_id")
    )
    attended = SessionAttendance.objects.filter(
        person_id=OuterRef("person_id"),
        attended=True,
        session__archived_at__isnull=True,
        session__status=SessionStatus.HELD,
        session__held_on__lte=on,
    )
    return {
        session_type: Subquery(
            attended.filter(session__session_type=session_type)
            .order_by("-session__held_on")
            .values("session__held_on")[:1]
        )
        if session_type in group_types
        else Subquery(
            held.filter(session_type=session_type).order_by("-held_on").values("held_on")[:1]
        )
        for session_type in session_types
    }


def _issues(row: PersonCompliance) -> list[str]:
    issues = []
    if not row.has_supervisor:
        issues.append("No safeguarding supervisor")
    if row.days_overdue:
        days = row.days_overdue
        issues.append(f"Supervision overdue by {days} day{pluralize(days)}")
    if row.has_supervisor and row.contract != ContractStanding.OK:
        issues.append(ContractStanding(row.contract).label)
    if row.records_unsigned_overdue:
        records = row.records_unsigned_overdue
        issues.append(f"{records} record{pluralize(records)} unsigned past the deadline")
    if row.actions_overdue:
        actions = row.actions_overdue
        issues.append(f"{actions} action{pluralize(actions)} overdue")
    if row.is_supervisor and row.training != "valid":
        issues.append(
            "Supervisor training lapsed" if row.training == "lapsed" else "No supervisor training"
        )
    if row.is_supervisor and not row.supervised_themselves:
        issues.append("Supervisor not supervised")
    return issues


@dataclass
class GroupCompliance:
    """Counts for a group of posts (an agency, team or staff group). Shown only through
    suppression.suppress / percent."""

    label: str
    people: int = 0
    within_interval: int = 0
    overdue: int = 0
    contract_in_place: int = 0
    records_unsigned_overdue: int = 0
    actions_overdue: int = 0
    supervisors: int = 0
    supervisors_trained: int = 0
    supervisors_supervised: int = 0


def summarise(rows: Iterable[PersonCompliance], key: Any, label: Any) -> list[GroupCompliance]:
    """Group rows by ``key(row)`` (labelled ``label(row)``), in label order."""
    groups: dict[Any, GroupCompliance] = {}
    for row in rows:
        group = groups.setdefault(key(row), GroupCompliance(label=label(row)))
        group.people += 1
        group.within_interval += row.supervised_within_interval
        group.overdue += not row.supervised_within_interval
        group.contract_in_place += row.contract_in_place
        group.records_unsigned_overdue += row.records_unsigned_overdue
        group.actions_overdue += row.actions_overdue
        if row.is_supervisor:
            group.supervisors += 1
            group.supervisors_trained += row.training == "valid"
            group.supervisors_supervised += bool(row.supervised_themselves)
    return sorted(groups.values(), key=lambda g: g.label)


def total(rows: Iterable[PersonCompliance], label: str = "All staff") -> GroupCompliance:
    found = summarise(rows, key=lambda r: 0, label=lambda r: label)
    return found[0] if found else GroupCompliance(label=label)
