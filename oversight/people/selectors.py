"""Reads about people and organisation, each returning querysets that already join what the
page shows, plus the per-request access profile that rules.py decides access from."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router
from django.db.models import CharField, Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone

from oversight.core.models import OutgoingEmail

from .about_you import about_you
from .models import (
    Agency,
    LineManagement,
    Membership,
    Person,
    Role,
    RoleAssignment,
    StaffGroup,
    StaffImport,
    SupervisionRelationship,
    Team,
    TrainingKind,
    TrainingRecord,
)


@dataclass(frozen=True)
class AccessProfile:
    """What a signed-in person holds today: roles by agency and current relationships."""

    person_id: int | None
    roles: frozenset[tuple[str, int | None]] = frozenset()
    member_agency_ids: frozenset[int] = frozenset()
    supervisee_ids: frozenset[int] = frozenset()
    report_ids: frozenset[int] = frozenset()
    # the person's own current supervisors (who may be asked for an urgent discussion)
    supervisor_ids: frozenset[int] = frozenset()
    # (person, agency of the relationship): whom the person supervises and line-manages where
    supervisee_pairs: frozenset[tuple[int, int]] = frozenset()
    report_pairs: frozenset[tuple[int, int]] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def has_role(self, role: str, agency_id: int | None = None) -> bool:
        if agency_id is None:
            return any(r == role for r, _ in self.roles)
        return (role, agency_id) in self.roles

    def agencies_with_role(self, role: str) -> set[int]:
        return {a for r, a in self.roles if r == role and a is not None}

    @property
    def is_administrator(self) -> bool:
        return self.has_role(Role.ADMINISTRATOR)

    @property
    def is_partnership_auditor(self) -> bool:
        return self.has_role(Role.PARTNERSHIP_AUDITOR)

    @property
    def led_agency_ids(self) -> set[int]:
        """Agencies the person leads today: the lead role there and a post there (decision
        0002: a lead whose post in the agency ended no longer sees its records, even if the
        role was not ended with it)."""
        return self.agencies_with_role(Role.AGENCY_LEAD) & self.member_agency_ids

    @property
    def senior_managed_agency_ids(self) -> set[int]:
        """Agencies where the person is a senior manager today, with a post there (seed 004
        "Line management": senior managers hear of workload and resource shortfalls)."""
        return self.agencies_with_role(Role.SENIOR_MANAGER) & self.member_agency_ids


_ANONYMOUS = AccessProfile(person_id=None)


def _access_queryset(person_id: int, day: dt.date) -> QuerySet[Any]:
    """(kind, role, id, agency) rows: the person's roles, posts, supervisees, reports and
    supervisors on ``day``, as one UNION ALL of the same reads the rules always used: one
    round trip, not four (issue 17 item 1)."""

    def labelled(qs: QuerySet[Any], kind: str, role: Any, id_field: str) -> QuerySet[Any]:
        return (
            qs.order_by()
            .annotate(
                p_kind=Value(kind, output_field=CharField()),
                p_role=role,
                p_id=F(id_field),
                p_agency=F("agency_id"),
            )
            .values_list("p_kind", "p_role", "p_id", "p_agency")
        )

    blank = Value("", output_field=CharField())
    roles = labelled(
        RoleAssignment.objects.on(day).filter(person_id=person_id),
        "role",
        Cast("role", CharField()),
        "agency_id",
    )
    return roles.union(
        labelled(
            Membership.objects.on(day).filter(person_id=person_id), "member", blank, "agency_id"
        ),
        labelled(
            SupervisionRelationship.objects.on(day).filter(supervisor_id=person_id),
            "supervisee",
            blank,
            "supervisee_id",
        ),
        labelled(
            LineManagement.objects.on(day).filter(manager_id=person_id),
            "report",
            blank,
            "report_id",
        ),
        labelled(
            SupervisionRelationship.objects.on(day).filter(supervisee_id=person_id),
            "supervisor",
            blank,
            "supervisor_id",
        ),
        all=True,
    )


# Stand-ins the access query is compiled with once, then swapped for the person and the day.
_ANY_PERSON = -917_263_548
_ANY_DAY = dt.date(1901, 2, 3)


@functools.cache
def _access_sql(alias: str) -> tuple[str, tuple[Any, ...]]:
    """The access query's SQL, compiled once per process and database: every signed-in page
    runs it, and building and compiling it in the ORM cost five times what running it did
    (issue 17 item 1; decision 0026)."""
    queryset = _access_queryset(_ANY_PERSON, _ANY_DAY)
    sql, params = queryset.query.get_compiler(using=alias).as_sql()
    day = connections[alias].ops.adapt_datefield_value(_ANY_DAY)
    if params.count(_ANY_PERSON) != 5 or params.count(day) != 10:
        raise AssertionError("the access query's parameters are not where it expects them")
    return sql, tuple(params)


def _access_rows(person_id: int, day: dt.date) -> list[tuple[str, str, Any, Any]]:
    alias = router.db_for_read(RoleAssignment)
    sql, params = _access_sql(alias)
    ops = connections[alias].ops
    any_day, on_day = ops.adapt_datefield_value(_ANY_DAY), ops.adapt_datefield_value(day)
    bound = [
        person_id if value == _ANY_PERSON else on_day if value == any_day else value
        for value in params
    ]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, bound)
        return [tuple(row) for row in cursor.fetchall()]


def access_profile(user: Any, *, on: dt.date | None = None) -> AccessProfile:
    """The viewer's access profile, computed once and kept on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _ANONYMOUS
    day = on or timezone.localdate()
    cache_key = f"_access_profile_{day.isoformat()}"
    cached = getattr(user, cache_key, None)
    if cached is not None:
        return cached
    # One read, not four (issue 17 item 1): every page asks for the profile first.
    rows = _access_rows(user.pk, day)
    profile = AccessProfile(
        person_id=user.pk,
        roles=frozenset((role, agency) for kind, role, agency, _ in rows if kind == "role"),
        member_agency_ids=frozenset(a for kind, _, a, _ in rows if kind == "member"),
        supervisee_ids=frozenset(a for kind, _, a, _ in rows if kind == "supervisee"),
        report_ids=frozenset(a for kind, _, a, _ in rows if kind == "report"),
        supervisor_ids=frozenset(a for kind, _, a, _ in rows if kind == "supervisor"),
        supervisee_pairs=frozenset((a, g) for kind, _, a, g in rows if kind == "supervisee"),
        report_pairs=frozenset((a, g) for kind, _, a, g in rows if kind == "report"),
    )
    setattr(user, cache_key, profile)
    return profile


def person_agency_ids(person: Person, *, on: dt.date | None = None) -> set[int]:
    day = on or timezone.localdate()
    prefetched = getattr(person, "current_memberships", None)
    if prefetched is not None:
        return {m.agency_id for m in prefetched}
    return set(Membership.objects.on(day).filter(person=person).values_list("agency_id", flat=True))


def _current_membership_prefetch(day: dt.date) -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.on(day).select_related("agency", "team", "staff_group"),
        to_attr="current_memberships",
    )


def people_visible_to(user: Any, *, on: dt.date | None = None) -> QuerySet[Person]:
    """People whose personal details the viewer may see (see rules.can_view_person)."""
    day = on or timezone.localdate()
    profile = access_profile(user, on=day)
    people = Person.objects.all()
    if not profile.is_administrator:
        scope = Q(pk=profile.person_id) | Q(pk__in=profile.supervisee_ids | profile.report_ids)
        if profile.led_agency_ids:
            scope |= Q(
                pk__in=Membership.objects.on(day)
                .filter(agency_id__in=profile.led_agency_ids)
                .values("person_id")
            )
        people = people.filter(scope)
    return people.prefetch_related(_current_membership_prefetch(day)).order_by(
        "family_name", "given_name"
    )


def person_detail(*, person_id: int, on: dt.date | None = None) -> Person:
    """A person with their posts, roles and training, their supervision and line management
    history and whom they supervise and manage today. Each relationship is read once for both
    directions (issue 17 item 1), then split. Raises ``Person.DoesNotExist``."""
    day = on or timezone.localdate()
    person = Person.objects.prefetch_related(
        _current_membership_prefetch(day),
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.on(day).select_related("agency"),
            to_attr="current_roles",
        ),
        Prefetch(
            "training_records",
            queryset=TrainingRecord.objects.live().order_by("-completed_on"),
            to_attr="training",
        ),
    ).get(pk=person_id)
    current = Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    supervision = list(
        SupervisionRelationship.objects.live()
        .filter(Q(supervisee_id=person_id) | (Q(supervisor_id=person_id) & current))
        .select_related("supervisor", "supervisee", "agency")
        .order_by("-starts_on", "pk")
    )
    management = list(
        LineManagement.objects.live()
        .filter(Q(report_id=person_id) | (Q(manager_id=person_id) & current))
        .select_related("manager", "report", "agency")
        .order_by("-starts_on", "pk")
    )
    found: Any = person
    found.supervision_history = [r for r in supervision if r.supervisee_id == person_id]
    found.current_supervisees = sorted(
        (r for r in supervision if r.supervisor_id == person_id and r.is_current_on(day)),
        key=lambda r: r.supervisee.family_name,
    )
    found.line_management_history = [r for r in management if r.report_id == person_id]
    found.current_reports = sorted(
        (r for r in management if r.manager_id == person_id and r.is_current_on(day)),
        key=lambda r: r.report.family_name,
    )
    return person


def supervisor_training_status(person: Person, *, on: dt.date | None = None) -> str:
    """'valid', 'lapsed' or 'none' — a supervisor whose training has lapsed is shown as such."""
    day = on or timezone.localdate()
    records = getattr(person, "training", None)
    if records is None:
        records = list(TrainingRecord.objects.live().filter(person=person))
    # Safeguarding children training for all staff is not supervisor training (issue 15 item 6).
    records = [r for r in records if r.kind == TrainingKind.SUPERVISOR]
    if not records:
        return "none"
    return "valid" if any(r.is_valid_on(day) for r in records) else "lapsed"


def agencies_list() -> QuerySet[Agency]:
    return (
        Agency.objects.live()
        .select_related("partnership")
        .prefetch_related(Prefetch("teams", queryset=Team.objects.live().order_by("name")))
    )


def agency_detail(*, agency_id: int) -> Agency:
    return agencies_list().prefetch_related("staff_groups").get(pk=agency_id)


def team_members(team: Team, *, on: dt.date | None = None) -> QuerySet[Membership]:
    day = on or timezone.localdate()
    return (
        Membership.objects.on(day)
        .filter(team=team)
        .select_related("person", "staff_group")
        .prefetch_related(
            Prefetch(
                "person__memberships",
                queryset=Membership.objects.on(day),
                to_attr="current_memberships",
            )
        )
        .order_by("person__family_name", "person__given_name")
    )


# A line manager may have hundreds of reports: the home page names the first few and links on.
HOME_LIST_LENGTH = 20


def home_summary(person: Person, *, on: dt.date | None = None) -> dict[str, Any]:
    """What the home page shows a person about themselves and those they are responsible for:
    only what "About you" shows, in one read (issue 17 item 1; ``about_you``): posts,
    supervision relationships both ways, line management both ways, roles (the person's own
    and their supervisees' supervisor roles), training (their own and their supervisees') and,
    for a lead, the open requests to change supervision their panel counts."""
    day = on or timezone.localdate()
    profile = access_profile(person, on=day)
    pk = person.pk
    # The access profile made the same reads (posts, supervision both ways, roles) as ids: a
    # kind it found none of is not read again; the rest is one read (issue 17 item 1).
    posts = profile.member_agency_ids
    supervisee_ids = sorted(profile.supervisee_ids)
    read_roles = bool(supervisee_ids) or any(
        a is not None and a not in posts for _, a in profile.roles
    )
    found = about_you(
        person,
        on=day,
        members=bool(posts),
        supervision=bool(profile.supervisee_ids or profile.supervisor_ids),
        management=bool(posts or profile.report_ids),
        roles_of=supervisee_ids if read_roles else None,
        training_of=[pk, *supervisee_ids],
        led_agency_ids=profile.led_agency_ids,
    )
    memberships = found.memberships
    current_supervisors = [r for r in found.supervision if r.supervisee_id == pk]
    supervisees = sorted(
        (r for r in found.supervision if r.supervisor_id == pk),
        key=lambda r: (r.supervisee.family_name, r.pk),
    )
    current_managers = [r for r in found.management if r.report_id == pk]
    reports = [r for r in found.management if r.manager_id == pk]
    agencies: dict[int | None, Agency] = {m.agency_id: m.agency for m in memberships}
    if read_roles:
        role_rows = found.roles
    else:
        # With no supervisees, only the person's own roles are shown: the access profile
        # read them, and their agencies are their posts' (issue 17 item 1).
        role_rows = [
            RoleAssignment(person_id=pk, role=role, agency=agencies.get(agency))
            for role, agency in sorted(profile.roles, key=lambda r: (r[0], r[1] or 0))
        ]
    roles = [r for r in role_rows if r.person_id == pk]
    # A practitioner needs no supervisor training; a supervisor without it is shown as such
    # (001 Competence).
    supervising = {r.person_id for r in role_rows if r.person_id != pk}
    # The agencies led, from the roles just read (their agencies joined): no read of its own.
    led_agencies = sorted(
        {r.agency for r in roles if r.agency is not None and r.agency_id in profile.led_agency_ids},
        key=lambda a: (a.name, a.pk),
    )
    records = found.training
    for relationship in supervisees:
        relationship.supervisee.training = records[relationship.supervisee_id]  # type: ignore[attr-defined]
    person.training = records[pk]  # type: ignore[attr-defined]
    supervisee_rows = []
    for r in supervisees:
        status: str | None = supervisor_training_status(r.supervisee, on=day)
        if status == "none" and r.supervisee_id not in supervising:
            status = None
        supervisee_rows.append((r, status))
    return {
        "person": person,
        "memberships": memberships,
        "supervisors": current_supervisors,
        "line_managers": current_managers,
        "supervisees": supervisees,
        "supervisee_rows": supervisee_rows,
        "reports": reports,
        "roles": roles,
        "led_agencies": led_agencies,
        # per agency led, the open requests to change supervision (people's lead panel)
        "change_requests": found.change_requests,
        "training_status": supervisor_training_status(person, on=day),
        "profile": profile,
        "home_list_length": HOME_LIST_LENGTH,
        "home_list_slice": f":{HOME_LIST_LENGTH}",
    }


def person_admin_detail(*, person_id: int) -> Person:
    """Everything an administrator manages about a person, current and past."""
    return Person.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.live()
            .select_related("agency", "team", "staff_group")
            .order_by("-starts_on"),
            to_attr="all_memberships",
        ),
        Prefetch(
            "supervisions_received",
            queryset=SupervisionRelationship.objects.live()
            .select_related("supervisor", "agency", "handover_from__supervisor")
            .order_by("-starts_on"),
            to_attr="supervision_history",
        ),
        Prefetch(
            "line_managers",
            queryset=LineManagement.objects.live()
            .select_related("manager", "agency", "handover_from__manager")
            .order_by("-starts_on"),
            to_attr="line_management_history",
        ),
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.live().select_related("agency").order_by("-starts_on"),
            to_attr="all_roles",
        ),
        Prefetch(
            "training_records",
            queryset=TrainingRecord.objects.live().order_by("-completed_on"),
            to_attr="training",
        ),
    ).get(pk=person_id)


def people_for_administration(*, search: str = "", on: dt.date | None = None) -> QuerySet[Person]:
    day = on or timezone.localdate()
    people = Person.objects.all()
    for term in search.split():
        people = people.filter(
            Q(given_name__icontains=term)
            | Q(family_name__icontains=term)
            | Q(username__icontains=term)
            | Q(email__icontains=term)
        )
    return people.prefetch_related(_current_membership_prefetch(day)).order_by(
        "family_name", "given_name"
    )


def agencies_for_administration() -> QuerySet[Agency]:
    return (
        Agency.objects.live()
        .annotate(
            people_count=Count(
                "memberships",
                filter=Q(memberships__archived_at__isnull=True)
                & Q(memberships__starts_on__lte=timezone.localdate())
                & (
                    Q(memberships__ends_on__isnull=True)
                    | Q(memberships__ends_on__gte=timezone.localdate())
                ),
                distinct=True,
            )
        )
        .prefetch_related(
            Prefetch("teams", queryset=Team.objects.live().order_by("name")),
            Prefetch("staff_groups", queryset=StaffGroup.objects.live().order_by("name")),
        )
        .order_by("name")
    )


def organisation_counts() -> dict[str, int]:
    day = timezone.localdate()
    return {
        "agencies": Agency.objects.live().count(),
        "teams": Team.objects.live().count(),
        "people": Person.objects.filter(is_active=True).count(),
        "supervision": SupervisionRelationship.objects.on(day).count(),
        "line_management": LineManagement.objects.on(day).count(),
    }


def staff_imports_recent(*, limit: int = 5) -> QuerySet[StaffImport]:
    """The latest staff imports, newest first, with who uploaded them (one query); the file's
    text is not read."""
    return (
        StaffImport.objects.live()
        .defer("content", "errors", "counts")
        .select_related("created_by")
        .order_by("-created_at", "-id")[:limit]
    )


def last_invitation(person: Person) -> OutgoingEmail | None:
    """The latest invitation email to this person (issue 11 item 1), for the administrator."""
    from .invitations import INVITATION_PURPOSE

    return OutgoingEmail.objects.about(person).filter(purpose=INVITATION_PURPOSE).first()
