"""Demo partnership, people half: agencies of every sector, teams, staff groups, posts,
supervision and line-management with history, roles, and supervisor training (one lapsed).

Deterministic: the same --seed and --today give the same people. At ``--scale large`` the same
code builds 12 agencies and 10,000 staff with bulk inserts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from oversight.core.demo import DemoContext, SignIn, bulk_insert

from .models import (
    Agency,
    ChangeRequestStatus,
    ContactLevel,
    LineManagement,
    Membership,
    NewStarter,
    Partnership,
    Person,
    Qualification,
    Role,
    RoleAssignment,
    Sector,
    StaffGroup,
    StaffImport,
    StaffImportState,
    SupervisionChangeRequest,
    SupervisionRelationship,
    SupervisorException,
    SupervisorRequirements,
    Team,
    TrainingKind,
    TrainingRecord,
)

GIVEN = """
Amira Ben Chloe Dev Ella Femi Grace Hamza Isla Jack Kiran Leah Mohammed Nadia Owen Priya
Quinn Rosa Sam Tariq Una Vikram Wendy Yusuf Zara Aisha Callum Darcy Eamon Fatima Gareth
Hannah Imran Joanna Kwame Lucy Marek Niamh Oliver Pooja Rhys Sian Tom Uzma Victoria Will
Xander Yasmin Zoe Alfie Bethan Connor Divya Erin Farah George Harriet Ifeoma Jamal
""".split()  # noqa: SIM905
FAMILY = """
Adeyemi Brennan Campbell Dhillon Evans Fraser Gallagher Hughes Iqbal Jones Kowalski
Lewis Morgan Nwosu O'Brien Patel Quigley Roberts Shah Thompson Usman Vaughan Walsh Xu
Young Zielinski Ahmed Baker Clarke Davies Ellis Foster Green Hall Ibrahim Jackson Khan
Lloyd Murphy Nolan Owusu Price Rahman Singh Taylor Varga Wilson Yates Begum Chowdhury
""".split()  # noqa: SIM905


@dataclass(frozen=True)
class AgencySpec:
    name: str
    sector: str
    domain: str
    teams: tuple[str, ...]
    staff_groups: tuple[tuple[str, str, str], ...]  # (group, practitioner job title, contact)
    lead_title: str
    supervisor_title: str
    manager_title: str
    share: float  # of the partnership's staff


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "Northshire County Council Children's Services",
        Sector.CHILDRENS_SOCIAL_CARE,
        "northshire-cs.example",
        ("Assessment Team North", "Family Safeguarding Team", "Children in Care Team"),
        (
            ("Social workers", "Social worker", ContactLevel.DIRECT),
            ("Family support workers", "Family support worker", ContactLevel.DIRECT),
        ),
        "Principal social worker",
        "Practice supervisor",
        "Team manager",
        0.30,
    ),
    AgencySpec(
        "Northshire Community Health NHS Trust",
        Sector.HEALTH,
        "northshire-health.example",
        ("Health Visiting East", "Health Visiting West", "School Nursing"),
        (
            ("Health visitors", "Health visitor", ContactLevel.DIRECT),
            ("School nurses", "School nurse", ContactLevel.DIRECT),
        ),
        "Named nurse for safeguarding children",
        "Safeguarding supervisor",
        "Locality team leader",
        0.25,
    ),
    AgencySpec(
        "Northshire Police",
        Sector.POLICE,
        "northshire-police.example",
        ("Child Abuse Investigation Unit", "Public Protection Referral Unit"),
        (
            ("Investigators", "Detective constable", ContactLevel.DIRECT),
            ("Referral staff", "Public protection officer", ContactLevel.INDIRECT),
        ),
        "Detective chief inspector, public protection",
        "Detective sergeant",
        "Detective inspector",
        0.12,
    ),
    AgencySpec(
        "Riverside Academy Trust",
        Sector.EDUCATION,
        "riverside-academies.example",
        ("Riverside Primary", "Riverside High"),
        (
            (
                "Designated safeguarding leads",
                "Deputy designated safeguarding lead",
                ContactLevel.DIRECT,
            ),
            ("Pastoral staff", "Pastoral support worker", ContactLevel.DIRECT),
        ),
        "Trust safeguarding lead",
        "Designated safeguarding lead",
        "Head of year",
        0.12,
    ),
    AgencySpec(
        "Little Acorns Early Years",
        Sector.EARLY_YEARS,
        "little-acorns.example",
        ("Acorn Nursery", "Oak Children's Centre"),
        (("Early years practitioners", "Early years practitioner", ContactLevel.DIRECT),),
        "Safeguarding manager",
        "Room leader",
        "Nursery manager",
        0.08,
    ),
    AgencySpec(
        "Brightpath Youth Charity",
        Sector.VOLUNTARY,
        "brightpath.example",
        ("Detached Youth Work", "Family Mentoring"),
        (
            ("Youth workers", "Youth worker", ContactLevel.DIRECT),
            ("Volunteers", "Volunteer mentor", ContactLevel.DIRECT),
        ),
        "Head of safeguarding",
        "Senior youth worker",
        "Project manager",
        0.08,
    ),
    AgencySpec(
        "Northshire Junior Football League",
        Sector.SPORT,
        "njfl.example",
        ("Club Welfare",),
        (("Club welfare officers", "Club welfare officer", ContactLevel.INDIRECT),),
        "League welfare officer",
        "Senior welfare officer",
        "Club secretary",
        0.05,
    ),
)
LARGE_EXTRA = (
    ("Southvale Borough Council Children's Services", Sector.CHILDRENS_SOCIAL_CARE),
    ("Southvale Hospitals NHS Foundation Trust", Sector.HEALTH),
    ("Northshire Probation Service", Sector.OTHER),
    ("Northshire Further Education College", Sector.EDUCATION),
    ("Haven Domestic Abuse Service", Sector.VOLUNTARY),
)

TEAMS_PER_HEAD = 10  # at large scale: a head of service over about ten team managers

# Named sign-ins: (username, role label, agency index or None, description)
PERSONAS = (
    ("admin", "Administrator", None, "Manages agencies, people, relationships and training"),
    ("auditor", "Partnership auditor", None, "Sees partnership-wide figures, not personal records"),
    ("lead.csc", "Agency safeguarding lead", 0, "Principal social worker, children's services"),
    ("lead.health", "Agency safeguarding lead", 1, "Named nurse, community health"),
    ("supervisor.csc", "Safeguarding supervisor", 0, "Practice supervisor with six supervisees"),
    (
        "supervisor.health",
        "Safeguarding supervisor",
        1,
        "Health visitors' supervisor; training lapsed",
    ),
    ("manager.csc", "Line manager", 0, "Team manager, Assessment Team North"),
    (
        "senior.csc",
        "Senior manager",
        0,
        "Head of service: answers workload and resource shortfalls",
    ),
    ("practitioner.csc", "Practitioner", 0, "Social worker, supervised by supervisor.csc"),
    ("practitioner.nq", "Practitioner (newly qualified)", 0, "Newly qualified social worker"),
    ("practitioner.health", "Practitioner", 1, "Health visitor with a caseload of families"),
)


def built() -> bool:
    """The database already holds a partnership (core.demo.demo_built, for seed_demo)."""
    return Partnership.objects.exists()


def sign_ins() -> list[SignIn]:
    """The personas' sign-ins when the demo was built earlier (core.demo.demo_sign_ins)."""
    return persona_sign_ins()


def persona_sign_ins() -> list[SignIn]:
    existing = set(
        Person.objects.filter(username__in=[p[0] for p in PERSONAS]).values_list(
            "username", flat=True
        )
    )
    return [
        SignIn(role, username, description)
        for username, role, _, description in PERSONAS
        if username in existing
    ]


class _Names:
    def __init__(self, ctx: DemoContext) -> None:
        self.rng = ctx.rng_for("people.names")
        self.used: set[str] = {p[0] for p in PERSONAS}

    def next(self) -> tuple[str, str, str]:
        given, family = self.rng.choice(GIVEN), self.rng.choice(FAMILY)
        base = f"{given}.{family}".lower().replace("'", "")
        username, n = base, 1
        while username in self.used:
            n += 1
            username = f"{base}{n}"
        self.used.add(username)
        return given, family, username


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("people")
    today = ctx.today
    names = _Names(ctx)
    partnership = Partnership.objects.create(name="Northshire Safeguarding Children Partnership")
    specs = list(AGENCIES)
    if ctx.at_scale:
        for name, sector in LARGE_EXTRA:
            base = (
                next(s for s in AGENCIES if s.sector == sector)
                if sector != Sector.OTHER
                else AGENCIES[2]
            )
            specs.append(
                AgencySpec(
                    name,
                    sector,
                    name.split()[0].lower() + ".example",
                    base.teams,
                    base.staff_groups,
                    base.lead_title,
                    base.supervisor_title,
                    base.manager_title,
                    base.share,
                )
            )
    total_share = sum(s.share for s in specs)
    staff_total = ctx.size["people"] - 2  # less the administrator and the auditor

    people: list[Person] = []
    memberships: list[Membership] = []
    supervision: list[SupervisionRelationship] = []
    management: list[LineManagement] = []
    roles: list[RoleAssignment] = []
    training: list[TrainingRecord] = []
    personas: dict[str, Person] = {}

    def new_person(domain: str, username: str | None = None) -> Person:
        given, family, generated = names.next()
        if username:
            given, family = {
                "admin": ("Alex", "Morgan"),
                "auditor": ("Bernadette", "Okafor"),
                "lead.csc": ("Catherine", "Doyle"),
                "lead.health": ("Deepa", "Raman"),
                "supervisor.csc": ("Ewan", "Fletcher"),
                "supervisor.health": ("Grace", "Holloway"),
                "manager.csc": ("Harvey", "Ince"),
                "senior.csc": ("Rosalind", "Quayle"),
                "practitioner.csc": ("Jess", "Kumar"),
                "practitioner.nq": ("Liam", "Marsh"),
                "practitioner.health": ("Nina", "Osei"),
            }[username]
        username = username or generated
        person = Person(
            username=username,
            email=f"{username}@{domain}",
            given_name=given,
            family_name=family,
            password=ctx.password_hash,
        )
        people.append(person)
        if username in {p[0] for p in PERSONAS}:
            personas[username] = person
        return person

    def years_ago(low: float, high: float) -> dt.date:
        return today - dt.timedelta(days=int(rng.uniform(low, high) * 365))

    # Supervision relationships reach back across the demo's years, so that at large scale
    # five years of monthly sessions (about 600,000) exist for the benchmark.
    years = ctx.size["years"]
    large = ctx.at_scale
    history_days = (200, 900) if years <= 3 else (365 * (years - 1), 365 * years + 120)
    senior_since = (1.0, 3.0) if years <= 3 else (years - 1.0, years + 2.0)
    practitioner_since = (1.0, 15.0) if years <= 3 else (2.5, 15.0)

    agencies: list[Agency] = []
    leads: list[tuple[Person, Agency, dt.date]] = []
    # Objects are created in memory first and bulk-inserted below; these lists hold the links.
    plan: list[tuple[str, Any, Any, dict[str, Any]]] = []
    for index, spec in enumerate(specs):
        agency = Agency.objects.create(partnership=partnership, name=spec.name, sector=spec.sector)
        agencies.append(agency)
        size = max(6, round(staff_total * spec.share / total_share))
        # At large scale an agency has many teams of about fifteen, each with its manager, and
        # heads of service between the managers and the lead, as real services are organised.
        n_teams = max(len(spec.teams), round(size / 15)) if large else len(spec.teams)
        teams = [
            Team.objects.create(
                agency=agency,
                name=spec.teams[t % len(spec.teams)]
                + (f" {t // len(spec.teams) + 1}" if t >= len(spec.teams) else ""),
            )
            for t in range(n_teams)
        ]
        groups = {
            g: StaffGroup.objects.create(agency=agency, name=g) for g, _, _ in spec.staff_groups
        }
        n_supervisors = max(1, size // 8)
        n_managers = len(teams)
        n_heads = -(-n_managers // TEAMS_PER_HEAD) if large else 0
        n_practitioners = max(2, size - 1 - n_supervisors - n_managers - n_heads)

        lead = new_person(spec.domain, {0: "lead.csc", 1: "lead.health"}.get(index))
        lead_since = years_ago(4, 12)
        leads.append((lead, agency, lead_since))
        plan.append(
            (
                "member",
                lead,
                agency,
                {"title": spec.lead_title, "team": None, "group": None, "since": lead_since},
            )
        )
        plan.append(("role", lead, agency, {"role": Role.AGENCY_LEAD}))
        plan.append(("role", lead, agency, {"role": Role.SUPERVISOR}))
        plan.append(("training", lead, None, {"lapsed": False}))

        heads: list[Person] = []
        for _ in range(n_heads):
            head = new_person(spec.domain)
            heads.append(head)
            head_since = years_ago(3, 12)
            plan.append(
                (
                    "member",
                    head,
                    agency,
                    {"title": "Head of service", "team": None, "group": None, "since": head_since},
                )
            )
            plan.append(("role", head, agency, {"role": Role.LINE_MANAGER}))
            plan.append(("role", head, agency, {"role": Role.SUPERVISOR}))
            plan.append(("training", head, None, {"lapsed": False}))
            for kind in ("supervise", "manage"):
                plan.append(
                    (
                        kind,
                        lead,
                        head,
                        {"agency": agency, "since": max(head_since, years_ago(*senior_since))},
                    )
                )

        def add_managers(
            agency: Agency, spec: AgencySpec, index: int, teams: list[Team], seniors: list[Person]
        ) -> list[Person]:
            """One manager per team, supervised and managed by the senior above them."""
            added = []
            for t, team in enumerate(teams):
                mgr = new_person(spec.domain, "manager.csc" if (index, t) == (0, 0) else None)
                added.append(mgr)
                mgr_since = years_ago(2, 9)
                plan.append(
                    (
                        "member",
                        mgr,
                        agency,
                        {
                            "title": spec.manager_title,
                            "team": team,
                            "group": None,
                            "since": mgr_since,
                        },
                    )
                )
                plan.append(("role", mgr, agency, {"role": Role.LINE_MANAGER}))
                if large:  # team managers supervise their team's practice supervisors
                    plan.append(("role", mgr, agency, {"role": Role.SUPERVISOR}))
                    plan.append(("training", mgr, None, {"lapsed": False}))
                plan.append(
                    (
                        "supervise",
                        seniors[t // TEAMS_PER_HEAD % len(seniors)],
                        mgr,
                        {"agency": agency, "since": max(mgr_since, years_ago(*senior_since))},
                    )
                )
                plan.append(
                    (
                        "manage",
                        seniors[t // TEAMS_PER_HEAD % len(seniors)],
                        mgr,
                        {"agency": agency, "since": max(mgr_since, years_ago(*senior_since))},
                    )
                )
            return added

        seniors = heads or [lead]
        managers = add_managers(agency, spec, index, teams, seniors) if large else []
        supervisors = []
        for s in range(n_supervisors):
            username = {(0, 0): "supervisor.csc", (1, 0): "supervisor.health"}.get((index, s))
            sup = new_person(spec.domain, username)
            supervisors.append(sup)
            sup_since = years_ago(2, 10)
            group = list(groups.values())[s % len(groups)]
            plan.append(
                (
                    "member",
                    sup,
                    agency,
                    {
                        "title": spec.supervisor_title,
                        "team": teams[s % len(teams)],
                        "group": group,
                        "since": sup_since,
                    },
                )
            )
            plan.append(("role", sup, agency, {"role": Role.SUPERVISOR}))
            senior = managers[s % len(teams)] if large else lead
            plan.append(
                (
                    "supervise",
                    senior,
                    sup,
                    {"agency": agency, "since": max(sup_since, years_ago(*senior_since))},
                )
            )
            plan.append(
                (
                    "manage",
                    senior,
                    sup,
                    {"agency": agency, "since": max(sup_since, years_ago(*senior_since))},
                )
            )
            # One supervisor's training has lapsed, so the partnership can see what that looks like.
            plan.append(("training", sup, None, {"lapsed": username == "supervisor.health"}))

        if not large:
            managers = add_managers(agency, spec, index, teams, seniors)

        for p in range(n_practitioners):
            username = {
                (0, 0): "practitioner.csc",
                (0, 1): "practitioner.nq",
                (1, 0): "practitioner.health",
            }.get((index, p))
            prac = new_person(spec.domain, username)
            group_name, title, contact = spec.staff_groups[p % len(spec.staff_groups)]
            team_index = p % len(teams)
            newly = username == "practitioner.nq" or (username is None and rng.random() < 0.1)
            since = (
                today - dt.timedelta(days=rng.randint(30, 150))
                if newly
                else years_ago(*practitioner_since)
            )
            plan.append(
                (
                    "member",
                    prac,
                    agency,
                    {
                        "title": title,
                        "team": teams[team_index],
                        "group": groups[group_name],
                        "contact": contact,
                        "since": since,
                        "new_starter": NewStarter.NEWLY_QUALIFIED if newly else NewStarter.NO,
                        "new_starter_until": since + dt.timedelta(days=365) if newly else None,
                    },
                )
            )
            plan.append(("role", prac, agency, {"role": Role.PRACTITIONER}))
            supervisor = supervisors[p % len(supervisors)]
            start = max(since, today - dt.timedelta(days=rng.randint(*history_days)))
            if username == "practitioner.csc":
                # A supervision handover: a previous supervisor left four months ago.
                plan.append(
                    (
                        "handover",
                        lead,
                        prac,
                        {
                            "agency": agency,
                            "to": supervisor,
                            "since": today - dt.timedelta(days=500),
                            "changed": today - dt.timedelta(days=120),
                        },
                    )
                )
            else:
                plan.append(("supervise", supervisor, prac, {"agency": agency, "since": start}))
            plan.append(("manage", managers[team_index], prac, {"agency": agency, "since": start}))

    # Seed 004 "Line management": the children's services' senior manager, kept informed of
    # workload and resource shortfalls (issue 15 item 3). Supervised by its lead.
    senior = new_person(specs[0].domain, "senior.csc")
    head_since_on = today - dt.timedelta(days=4 * 365)
    plan.append(
        (
            "member",
            senior,
            agencies[0],
            {"title": "Head of service", "team": None, "group": None, "since": head_since_on},
        )
    )
    plan.append(("role", senior, agencies[0], {"role": Role.SENIOR_MANAGER}))
    plan.append(("supervise", leads[0][0], senior, {"agency": agencies[0], "since": head_since_on}))
    admin = new_person("northshire-partnership.example", "admin")
    auditor = new_person("northshire-partnership.example", "auditor")
    bulk_insert(Person, people, batch_size=1000)
    plan.append(("role", admin, None, {"role": Role.ADMINISTRATOR, "since": years_ago(1, 2)}))
    plan.append(
        ("role", auditor, None, {"role": Role.PARTNERSHIP_AUDITOR, "since": years_ago(1, 2)})
    )
    # The administrator and the auditor work for the partnership, not an agency: no post, so
    # they are not counted among any agency's staff due supervision.

    # Leads are supervised too (seed 001 "Competence": supervisors receive supervision): each
    # agency's safeguarding lead by the lead of the next agency in the partnership, as named
    # and designated professionals supervise one another across agencies.
    for n, (lead, agency, lead_since) in enumerate(leads):
        if len(leads) < 2:
            break
        peer = leads[(n + 1) % len(leads)][0]
        since = max(lead_since, today - dt.timedelta(days=rng.randint(*history_days)))
        plan.append(("supervise", peer, lead, {"agency": agency, "since": since}))

    handovers: list[tuple[SupervisionRelationship, SupervisionRelationship]] = []
    for kind, a, b, extra in plan:
        if kind == "member":
            memberships.append(
                Membership(
                    person=a,
                    agency=b,
                    team=extra["team"],
                    staff_group=extra["group"],
                    job_title=extra["title"],
                    contact_level=extra.get("contact", ContactLevel.DIRECT),
                    starts_on=extra["since"],
                    new_starter=extra.get("new_starter", NewStarter.NO),
                    new_starter_until=extra.get("new_starter_until"),
                    employee_number=f"E{len(memberships) + 10000}",
                )
            )
        elif kind == "role":
            roles.append(
                RoleAssignment(
                    person=a,
                    agency=b,
                    role=extra["role"],
                    starts_on=extra.get("since", today - dt.timedelta(days=400)),
                )
            )
        elif kind == "supervise":
            supervision.append(
                SupervisionRelationship(
                    supervisor=a, supervisee=b, agency=extra["agency"], starts_on=extra["since"]
                )
            )
        elif kind == "manage":
            management.append(
                LineManagement(
                    manager=a, report=b, agency=extra["agency"], starts_on=extra["since"]
                )
            )
        elif kind == "handover":
            old = SupervisionRelationship(
                supervisor=a,
                supervisee=b,
                agency=extra["agency"],
                starts_on=extra["since"],
                ends_on=extra["changed"] - dt.timedelta(days=1),
            )
            new = SupervisionRelationship(
                supervisor=extra["to"],
                supervisee=b,
                agency=extra["agency"],
                starts_on=extra["changed"],
                handover_notes="Three-way handover held with the outgoing supervisor: open "
                "actions and two children on child protection plans handed over.",
            )
            handovers.append((old, new))
        elif kind == "training":
            completed = today - dt.timedelta(days=rng.randint(60, 900))
            if extra["lapsed"]:
                completed = today - dt.timedelta(days=3 * 365 + 40)
            training.append(
                TrainingRecord(
                    person=a,
                    course="Safeguarding supervision skills (multi-agency, level 4)",
                    completed_on=completed,
                    expires_on=completed + dt.timedelta(days=3 * 365),
                )
            )

    bulk_insert(Membership, memberships, batch_size=1000)
    bulk_insert(RoleAssignment, roles, batch_size=1000)
    bulk_insert(SupervisionRelationship, supervision, batch_size=1000)
    bulk_insert(LineManagement, management, batch_size=1000)
    bulk_insert(TrainingRecord, training, batch_size=1000)
    for old, new in handovers:
        old.save()
        new.handover_from = old
        new.save()

    _staff_imports(personas["admin"], today)
    _standards(ctx, agencies, memberships)
    ctx.shared.update(partnership=partnership, agencies=agencies, personas=personas)
    ctx.sign_ins.extend(persona_sign_ins())
    ctx.log(f"  {len(people)} people in {len(agencies)} agencies")


def _staff_imports(admin: Person, today: dt.date) -> None:
    """The administrator's last staff import (issue 10 item 9), listed on the import page:
    refused, each bad row named with its reason, nothing imported."""
    moment = dt.datetime.combine(today - dt.timedelta(days=3), dt.time(9, 30), tzinfo=dt.UTC)
    StaffImport.objects.create(
        created_by=admin,
        modified_by=admin,
        filename="new-starters-autumn.csv",
        state=StaffImportState.REFUSED,
        rows_total=14,
        rows_done=14,
        errors=[
            "Row 6: agency Northshire Childrens Services is not an agency in the partnership",
            "Row 11: supervisor_email j.okoro@northshire.example is not a person in the file "
            "or the system",
        ],
        created_at=moment,
        started_at=moment,
        finished_at=moment,
    )


SUPERVISION_COURSE = "Safeguarding supervision skills (multi-agency, level 4)"
STANDARDS_PERSONAS = (
    "admin",
    "lead.csc",
    "lead.health",
    "supervisor.health",
    "practitioner.nq",
    "practitioner.health",
)
SAFEGUARDING_COURSE = "Safeguarding children (level 3)"


def _standards(ctx: DemoContext, agencies: list[Agency], memberships: list[Membership]) -> None:
    """Issue 15 items 5, 6 and 9 in use: children's services and community health have set
    minimum requirements for their supervisors (seed 004), and community health's lead has let
    supervisor.health go on supervising while their lapsed training is renewed; every member
    of staff has safeguarding children training, some of it expired or about to (seed 002);
    practitioner.health has asked for a change of supervisor, waiting for lead.health, and an
    earlier request in children's services was declined with a reason."""
    rng = ctx.rng_for("people.standards")
    today = ctx.today
    people = {p.username: p for p in Person.objects.filter(username__in=STANDARDS_PERSONAS)}
    admin = people.get("admin")
    stamp = {"created_by": admin, "modified_by": admin}

    # Item 6: safeguarding children training for everyone with a post.
    training: list[TrainingRecord] = []
    seen: set[int] = set()
    fixed = {"practitioner.csc": "valid", "practitioner.nq": "none", "practitioner.health": "soon"}
    for membership in memberships:
        person = membership.person
        if person.pk in seen:
            continue
        seen.add(person.pk)
        state = (
            fixed.get(person.username)
            or rng.choices(["valid", "soon", "lapsed", "none"], weights=[80, 8, 7, 5])[0]
        )
        if state == "none":
            continue
        expires = {
            "valid": today + dt.timedelta(days=rng.randint(90, 900)),
            "soon": today + dt.timedelta(days=rng.randint(5, 50)),
            "lapsed": today - dt.timedelta(days=rng.randint(10, 300)),
        }[state]
        training.append(
            TrainingRecord(
                person_id=person.pk,
                kind=TrainingKind.SAFEGUARDING,
                course=SAFEGUARDING_COURSE,
                completed_on=expires - dt.timedelta(days=3 * 365),
                expires_on=expires,
                **stamp,
            )
        )
    bulk_insert(TrainingRecord, training, batch_size=1000)

    # Item 5: minimum requirements for supervisors in the first two agencies.
    if len(agencies) < 2 or not {"lead.csc", "lead.health"} <= set(people):
        return
    csc, health = agencies[0], agencies[1]
    SupervisorRequirements.objects.create(
        agency=csc,
        training_course=SUPERVISION_COURSE,
        experience_years=3,
        qualification="Social work degree",
        **stamp,
    )
    SupervisorRequirements.objects.create(
        agency=health, training_course="", experience_years=2, **stamp
    )
    # Qualifications: children's services' supervisors and leads are social workers, one of
    # them qualified too recently to supervise; health's are nurses.
    qualifications: list[Qualification] = []
    senior = RoleAssignment.objects.filter(
        agency__in=[csc, health], role__in=[Role.SUPERVISOR, Role.AGENCY_LEAD]
    ).select_related("person")
    recent_done = False
    for assignment in senior.order_by("agency_id", "person__family_name"):
        is_csc = assignment.agency_id == csc.pk
        years = rng.randint(5, 20)
        named = assignment.person.username in {p[0] for p in PERSONAS}
        if is_csc and not recent_done and not named:
            recent_done, years = True, 1
        qualifications.append(
            Qualification(
                person_id=assignment.person_id,
                name="Social work degree" if is_csc else "Registered nurse (adult or child)",
                awarded_on=today - dt.timedelta(days=years * 365 + rng.randint(0, 200)),
                **stamp,
            )
        )
    bulk_insert(Qualification, qualifications, batch_size=1000)
    if "supervisor.health" in people:
        SupervisorException.objects.create(
            agency=health,
            supervisor=people["supervisor.health"],
            reason="Refresher course booked for next month; the named nurse reviews her "
            "supervision records until then.",
            shortfalls=["Their supervisor training has expired"],
            granted_by=people["lead.health"],
            granted_on=today - dt.timedelta(days=12),
            review_by=today + dt.timedelta(days=45),
            created_by=people["lead.health"],
            modified_by=people["lead.health"],
        )

    # Item 9: requests to change supervision.
    def current(username: str) -> SupervisionRelationship | None:
        person = people.get(username)
        return (
            SupervisionRelationship.objects.filter(supervisee=person, ends_on__isnull=True).first()
            if person
            else None
        )

    asked = current("practitioner.health")
    if asked is not None:
        SupervisionChangeRequest.objects.create(
            relationship=asked,
            requested_by=people["practitioner.health"],
            reason="My supervisor is also my line manager's deputy and I find it hard to raise "
            "workload worries in supervision. I would like a supervisor from another locality.",
            created_by=people["practitioner.health"],
            modified_by=people["practitioner.health"],
        )
    declined = current("practitioner.nq")
    if declined is not None:
        SupervisionChangeRequest.objects.create(
            relationship=declined,
            requested_by=declined.supervisor,
            reason="Sessions keep clashing with my duty days.",
            status=ChangeRequestStatus.DECLINED,
            decided_by=people["lead.csc"],
            decided_on=today - dt.timedelta(days=20),
            decision_reason="Agreed at a three-way meeting to move sessions to Thursday "
            "mornings instead; the supervision continues.",
            created_by=declined.supervisor,
            modified_by=people["lead.csc"],
        )
