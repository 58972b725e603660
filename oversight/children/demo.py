"""Demo children: a caseload for every practitioner in direct contact with children and
families, in every legal status with its history, allocations and review meetings (some
soon); escalations at each level, an urgent discussion request waiting, a confidentiality
disclosure and concerns about supervision. ``finish`` runs after the supervision demo has
recorded case discussions and evaluates drift for every child, so some children drift.

``ctx.shared["children"]`` is the list of children made (small scale: Child objects with pks;
large scale: the same, 50,000 of them, inserted in batches)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from oversight.core.demo import DemoContext, bulk_insert
from oversight.people.models import (
    Agency,
    ContactLevel,
    LineManagement,
    Membership,
    Person,
    Role,
    RoleAssignment,
    SupervisionRelationship,
)

from . import services
from .models import (
    CADENCE_STATUSES,
    AgencyInvolvement,
    Child,
    ChildAllocation,
    ChildStatus,
    DisclosureCategory,
    DriftFlag,
    DriftRule,
    DriftSettings,
    Escalation,
    EscalationLevel,
    EscalationStep,
    EscalationSubject,
    LawfulBasis,
    LegalStatus,
    QualityConcern,
    ReviewMeeting,
    ReviewMeetingKind,
    UrgentDiscussionRequest,
)

RICH_CASELOADS = {"practitioner.csc": 13, "practitioner.health": 11}

# Status paths, most recent last, with the share of children that follow each.
PATHS: list[tuple[list[str], int]] = [
    ([LegalStatus.CHILD_IN_NEED], 30),
    ([LegalStatus.EARLY_HELP, LegalStatus.CHILD_IN_NEED], 12),
    ([LegalStatus.CHILD_IN_NEED, LegalStatus.CHILD_PROTECTION], 15),
    ([LegalStatus.CHILD_PROTECTION], 6),
    ([LegalStatus.CHILD_IN_NEED, LegalStatus.CHILD_PROTECTION, LegalStatus.LOOKED_AFTER], 6),
    ([LegalStatus.LOOKED_AFTER], 8),
    ([LegalStatus.EARLY_HELP], 10),
    ([LegalStatus.CHILD_IN_NEED, LegalStatus.CLOSED], 8),
    ([LegalStatus.OTHER], 3),
]
# Every status appears in a rich caseload, in this order, before random paths take over.
ROTATION = [0, 2, 5, 6, 1, 4, 7, 3, 8]

INITIALS = "ABCDEFGHJKLMNPRSTW"
FAMILIES = [
    "Adams", "Begum", "Clarke", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morris", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts", "Smith",
    "Taylor", "Usman", "Vaughan", "Walker", "Young",
]  # fmt: skip


@dataclass
class Plan:
    """Children built in memory, then inserted in batches."""

    children: list[Child] = field(default_factory=list)
    statuses: list[list[tuple[str, dt.date, dt.date | None]]] = field(default_factory=list)
    allocations: list[list[tuple[Person, dt.date, dt.date | None, str]]] = field(
        default_factory=list
    )
    involved: list[list[int]] = field(default_factory=list)
    # Other agencies' own involvements (issue 13 item 8): (agency id, allocated worker).
    shared: list[list[tuple[int, Person]]] = field(default_factory=list)


# A fifth of the children in need (s17, protection plan, looked after) are known to two or
# three agencies, each with its own reference and worker (issue 13 item 8).
SHARED_SHARE = 0.2


def _direct_practitioners(day: dt.date) -> QuerySet[Membership]:
    practitioners = RoleAssignment.objects.on(day).filter(role=Role.PRACTITIONER)
    return (
        Membership.objects.on(day)
        .filter(
            contact_level=ContactLevel.DIRECT,
            person_id__in=practitioners.values("person_id"),
        )
        .select_related("person", "agency")
        .order_by("agency_id", "person_id")
    )


def _status_periods(
    rng: random.Random, path: list[str], today: dt.date
) -> list[tuple[str, dt.date, dt.date | None]]:
    """Dated periods for a path, the last one open; the latest status began 5–400 days ago."""
    current_start = today - dt.timedelta(days=rng.choice([5, 20, 45, 70, 85, 100, 130, 200, 400]))
    starts = [current_start]
    for _ in path[:-1]:
        starts.insert(0, starts[0] - dt.timedelta(days=rng.randint(60, 300)))
    periods: list[tuple[str, dt.date, dt.date | None]] = []
    for i, status in enumerate(path):
        end = starts[i + 1] - dt.timedelta(days=1) if i + 1 < len(path) else None
        periods.append((status, starts[i], end))
    return periods


def _meetings(
    rng: random.Random, child: Child, status: str, since: dt.date, today: dt.date
) -> list[ReviewMeeting]:
    """The review meetings the status brings, from its start to a few months ahead."""
    found: list[tuple[str, dt.date]] = []
    horizon = today + dt.timedelta(days=100)
    if status == LegalStatus.CHILD_IN_NEED:
        day = since + dt.timedelta(days=rng.randint(60, 95))
        while day <= horizon:
            found.append((ReviewMeetingKind.CIN_REVIEW, day))
            day += dt.timedelta(days=90)
    elif status == LegalStatus.CHILD_PROTECTION:
        found.append((ReviewMeetingKind.INITIAL_CP_CONFERENCE, since))
        review = since + dt.timedelta(days=90)
        while review <= horizon:
            found.append((ReviewMeetingKind.REVIEW_CP_CONFERENCE, review))
            review += dt.timedelta(days=180)
        core = since + dt.timedelta(days=10)
        while core <= horizon:
            found.append((ReviewMeetingKind.CORE_GROUP, core))
            core += dt.timedelta(days=42)
    elif status == LegalStatus.LOOKED_AFTER:
        for offset in (20, 110):
            found.append((ReviewMeetingKind.LOOKED_AFTER_REVIEW, since + dt.timedelta(days=offset)))
        day = since + dt.timedelta(days=290)
        while day <= horizon:
            found.append((ReviewMeetingKind.LOOKED_AFTER_REVIEW, day))
            day += dt.timedelta(days=180)
    earliest = today - dt.timedelta(days=400)
    return [
        ReviewMeeting(child=child, kind=kind, meets_on=on) for kind, on in found if on >= earliest
    ]


def _caseloads(rng: random.Random, people: int, total: int) -> list[int]:
    """Caseload sizes for ``people`` practitioners adding up to ``total`` (at least one each),
    uneven as real caseloads are."""
    if people == 0:
        return []
    base, extra = divmod(total, people)
    sizes = [max(1, base + (1 if i < extra else 0)) for i in range(people)]
    for _ in range(people):
        a, b = rng.randrange(people), rng.randrange(people)
        move = min(rng.randint(0, 3), sizes[a] - 1)
        sizes[a] -= move
        sizes[b] += move
    rng.shuffle(sizes)
    return sizes


def _plan_children(ctx: DemoContext, rng: random.Random) -> Plan:
    today = ctx.today
    members = list(_direct_practitioners(today))
    agencies: list[Agency] = ctx.shared.get("agencies") or list(Agency.objects.all())
    agency_ids = [a.pk for a in agencies]
    target = ctx.size["children"]
    rich = sum(RICH_CASELOADS.values())
    others = [m for m in members if m.person.username not in RICH_CASELOADS]
    caseloads = _caseloads(rng, len({m.person_id for m in others}), max(0, target - rich))
    weights = [w for _, w in PATHS]
    colleagues_in: dict[int, list[Person]] = {}
    for m in others:
        colleagues_in.setdefault(m.agency_id, []).append(m.person)
    practitioners_in: dict[int, list[Person]] = {}
    for m in members:
        practitioners_in.setdefault(m.agency_id, []).append(m.person)
    personas: dict[str, Person] = ctx.shared.get("personas", {})
    health = personas.get("practitioner.health")
    health_agency = next(
        (m.agency_id for m in members if health is not None and m.person_id == health.pk), None
    )
    plan = Plan()
    seen: set[int] = set()
    refs: dict[int, int] = {}
    for membership in members:
        person = membership.person
        if person.pk in seen:
            continue
        seen.add(person.pk)
        if person.username in RICH_CASELOADS:
            count = RICH_CASELOADS[person.username]
        else:
            count = caseloads.pop() if caseloads else 1
        colleagues = colleagues_in.get(membership.agency_id, [])
        for n in range(count):
            if person.username in RICH_CASELOADS and n < len(ROTATION):
                path = PATHS[ROTATION[n]][0]
            else:
                path = rng.choices([p for p, _ in PATHS], weights=weights)[0]
            periods = _status_periods(rng, path, today)
            agency_id = membership.agency_id
            refs[agency_id] = refs.get(agency_id, 0) + 1
            family = rng.choice(FAMILIES)
            status, since, _ = periods[-1]
            child = Child(
                agency_id=agency_id,
                case_reference=f"{membership.agency.name[:3].upper()}-{refs[agency_id]:06d}",
                display_name=f"Family {family[0]} – child {rng.choice(INITIALS)}",
                date_of_birth=today - dt.timedelta(days=rng.randint(60, 17 * 365)),
                legal_status=status,
                legal_status_since=since,
                allocated_practitioner=person if status != LegalStatus.CLOSED else None,
            )
            first_start = periods[0][1]
            allocations: list[tuple[Person, dt.date, dt.date | None, str]] = []
            handed_over = colleagues and rng.random() < 0.2
            if handed_over:
                previous = rng.choice(colleagues)
                if previous.pk != person.pk:
                    change = first_start + (today - first_start) / 2
                    allocations.append((previous, first_start, change - dt.timedelta(days=1), ""))
                    first_start = change
            if status != LegalStatus.CLOSED:
                allocations.append(
                    (
                        person,
                        first_start,
                        None,
                        "Reallocated at caseload review" if handed_over else "",
                    )
                )
            else:
                allocations.append((person, first_start, since - dt.timedelta(days=1), ""))
            plan.children.append(child)
            plan.statuses.append(periods)
            plan.allocations.append(allocations)
            shared: list[tuple[int, Person]] = []
            if status in CADENCE_STATUSES:
                partners = [a for a in practitioners_in if a != agency_id]
                forced = (
                    person.username == "practitioner.csc"
                    and health is not None
                    and health_agency not in (None, agency_id)
                    and n < 5
                )
                if forced and health is not None and health_agency is not None:
                    shared.append((health_agency, health))
                    partners.remove(health_agency)
                if partners and (forced or rng.random() < SHARED_SHARE):
                    for other in rng.sample(partners, k=min(len(partners), rng.choice([1, 1, 2]))):
                        if len(shared) < 2:
                            shared.append((other, rng.choice(practitioners_in[other])))
            plan.shared.append(shared)
            others_involved = [
                a for a in agency_ids if a != agency_id and a not in {a for a, _ in shared}
            ]
            plan.involved.append(
                rng.sample(others_involved, k=min(len(others_involved), rng.randint(0, 3)))
            )
    return plan


def _insert(ctx: DemoContext, rng: random.Random, plan: Plan) -> list[Child]:
    now = timezone.now()
    today = ctx.today
    for child in plan.children:
        child.created_at = child.modified_at = now
    bulk_insert(Child, plan.children, batch_size=2000)
    statuses: list[ChildStatus] = []
    allocations: list[ChildAllocation] = []
    meetings: list[ReviewMeeting] = []
    through = Child.agencies_involved.through
    involved: list[Any] = []
    involvements: list[AgencyInvolvement] = []
    expected: dict[int, list[int]] = {}  # meeting index -> agencies expected
    references: dict[int, int] = {}
    for child, periods, allocs, others, shared in zip(
        plan.children, plan.statuses, plan.allocations, plan.involved, plan.shared, strict=True
    ):
        involvements.append(
            AgencyInvolvement(
                child=child,
                agency_id=child.agency_id,
                case_reference=child.case_reference,
                allocated_worker=child.allocated_practitioner,
                starts_on=periods[0][1],
                held_elsewhere=False,
            )
        )
        since = periods[-1][1]
        for agency_id, worker in shared:
            references[agency_id] = references.get(agency_id, 0) + 1
            involvements.append(
                AgencyInvolvement(
                    child=child,
                    agency_id=agency_id,
                    case_reference=f"M{agency_id:02d}-{references[agency_id]:06d}",
                    allocated_worker=worker,
                    starts_on=since,
                    lawful_basis=(
                        LawfulBasis.CHILD_PROTECTION
                        if child.legal_status == LegalStatus.CHILD_PROTECTION
                        else LawfulBasis.SAFEGUARDING
                    ),
                    held_elsewhere=True,
                )
            )
        for status, start, end in periods:
            statuses.append(ChildStatus(child=child, status=status, starts_on=start, ends_on=end))
            found = _meetings(rng, child, status, start, today)
            if end is not None:
                found = [m for m in found if m.meets_on <= end]
            for meeting in found:
                if shared and meeting.meets_on >= since:
                    expected[len(meetings)] = [child.agency_id, *(a for a, _ in shared)]
                meetings.append(meeting)
        for practitioner, start, end, reason in allocs:
            allocations.append(
                ChildAllocation(
                    child=child,
                    practitioner=practitioner,
                    starts_on=start,
                    ends_on=end,
                    reason=reason,
                )
            )
        involved.extend(through(child_id=child.pk, agency_id=a) for a in others)
        involvements.extend(
            AgencyInvolvement(
                child=child, agency_id=a, starts_on=periods[0][1], held_elsewhere=True
            )
            for a in others
        )
    for rows in (statuses, allocations, meetings, involvements):
        for row in rows:
            row.created_at = row.modified_at = now
    bulk_insert(ChildStatus, statuses, batch_size=5000)
    bulk_insert(ChildAllocation, allocations, batch_size=5000)
    bulk_insert(ReviewMeeting, meetings, batch_size=5000)
    bulk_insert(through, involved, batch_size=5000)
    bulk_insert(AgencyInvolvement, involvements, batch_size=5000)
    meeting_agencies = ReviewMeeting.agencies_expected.through
    bulk_insert(
        meeting_agencies,
        [
            meeting_agencies(reviewmeeting_id=meetings[i].pk, agency_id=a)
            for i, agencies in expected.items()
            for a in agencies
        ],
        batch_size=5000,
    )
    ctx.log(f"  {sum(1 for s in plan.shared if s)} children known to two or three agencies")
    ctx.log(
        f"  {len(plan.children)} children, {len(statuses)} status periods, "
        f"{len(meetings)} review meetings"
    )
    return plan.children


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _backdate_escalation(escalation: Escalation, today: dt.date) -> None:
    """The services stamp when an escalation was raised, acknowledged and resolved with the
    clock; the demo raises them days ago, so its pages would say an escalation was raised
    today at a level that began weeks ago. Stamp each on the days its levels give."""
    steps = list(EscalationStep.objects.filter(escalation=escalation).order_by("started_on", "id"))
    Escalation.objects.filter(pk=escalation.pk).update(
        created_at=_at(steps[0].started_on, 9), modified_at=_at(steps[-1].started_on, 9)
    )
    for step in steps:
        if step.acknowledged_at is not None:
            acknowledged = min(step.started_on + dt.timedelta(days=1), step.ended_on or today)
            EscalationStep.objects.filter(pk=step.pk).update(
                acknowledged_at=_at(acknowledged, 11), created_at=_at(step.started_on, 9)
            )
        else:
            EscalationStep.objects.filter(pk=step.pk).update(created_at=_at(step.started_on, 9))
    if escalation.resolved_at is not None and steps[-1].ended_on is not None:
        Escalation.objects.filter(pk=escalation.pk).update(
            resolved_at=_at(steps[-1].ended_on, 15), modified_at=_at(steps[-1].ended_on, 15)
        )


def _supervisor_of(person: Person, day: dt.date) -> tuple[Person, Agency] | None:
    relationship = (
        SupervisionRelationship.objects.on(day)
        .filter(supervisee=person)
        .select_related("supervisor", "agency")
        .first()
    )
    return (relationship.supervisor, relationship.agency) if relationship else None


def _concerns(ctx: DemoContext, children: list[Child]) -> None:
    """Escalations at every level, an urgent request waiting, a disclosure, supervision
    concerns: the things a supervisor and an agency lead should see at once."""
    personas: dict[str, Person] = ctx.shared.get("personas", {})
    today = ctx.today
    csc = personas.get("practitioner.csc")
    health = personas.get("practitioner.health")
    if csc is None or health is None:
        return
    by_practitioner: dict[int, list[Child]] = {}
    for child in children:
        if child.allocated_practitioner_id:
            by_practitioner.setdefault(child.allocated_practitioner_id, []).append(child)
    csc_children = by_practitioner.get(csc.pk, [])
    health_children = by_practitioner.get(health.pk, [])
    csc_super = _supervisor_of(csc, today)
    health_super = _supervisor_of(health, today)
    if not csc_children or not health_children or not csc_super or not health_super:
        return
    csc_agency, health_agency = csc_super[1], health_super[1]
    DriftSettings.objects.get_or_create(agency=csc_agency)
    DriftSettings.objects.get_or_create(
        agency=health_agency, defaults={"consecutive_count": 3, "pre_review_working_days": 5}
    )

    escalations = [
        (csc, csc_agency, EscalationSubject.CHILD, csc_children[0], None, 0, 1,
         "The child protection plan has not changed in six months and the injuries continue.",
         "Raised at two core groups; asked the conference chair for an early review."),
        (csc, csc_agency, EscalationSubject.AGENCY_RESPONSE, csc_children[1], health_agency, 1, 6,
         "Health visiting has not shared the developmental assessment for three months.",
         "Emailed the named health visitor twice and raised it at core group."),
        (health, health_agency, EscalationSubject.CHILD, health_children[0], None, 2, 15,
         "Repeated neglect referrals are closed at the front door with no assessment.",
         "Discussed in supervision; referral resubmitted with a chronology."),
        (health, health_agency, EscalationSubject.AGENCY_RESPONSE, health_children[1], csc_agency,
         3, 30, "Disagreement about the threshold: we think the child is at risk of significant "
         "harm; social care have stepped down to early help.",
         "Supervisor and line manager spoke to the team manager; senior managers met."),
    ]  # fmt: skip
    for actor, agency, subject, child, about, levels, days_ago, reason, tried in escalations:
        started = today - dt.timedelta(days=days_ago)
        escalation = services.escalation_raise(
            actor=actor,
            agency=agency,
            subject=subject,
            child=child if child.agency_id == agency.pk else None,
            about_agency=about,
            reason=reason,
            what_was_tried=tried,
            today=started,
        )
        for level in range(levels):
            step_day = started + dt.timedelta(days=(level + 1) * max(1, days_ago // (levels + 1)))
            services.escalation_acknowledge(
                escalation=escalation,
                actor=csc_super[0] if agency == csc_agency else health_super[0],
                response="Acknowledged; agreed to raise it with the next level.",
            )
            services.escalation_escalate(
                escalation=escalation,
                actor=actor,
                reason="No change since the last response.",
                today=step_day,
            )
        _backdate_escalation(escalation, today)
    resolved = services.escalation_raise(
        actor=csc,
        agency=csc_agency,
        subject=EscalationSubject.CHILD,
        child=csc_children[2],
        reason="School attendance below 50% with no plan.",
        what_was_tried="Spoke to the school's designated safeguarding lead.",
        level=EscalationLevel.SUPERVISOR,
        today=today - dt.timedelta(days=40),
    )
    resolved = services.escalation_resolve(
        escalation=resolved,
        actor=csc_super[0],
        outcome="Attendance plan agreed with school and parents; reviewed at the next CIN review.",
        today=today - dt.timedelta(days=37),
    )
    _backdate_escalation(resolved, today)

    request = services.urgent_request_make(
        actor=csc,
        supervisor=csc_super[0],
        agency=csc_agency,
        child=csc_children[0],
        concern="Mother disclosed that her new partner has a conviction for violence and is "
        "living at the home. I need to talk through the response today.",
    )
    UrgentDiscussionRequest.objects.filter(pk=request.pk).update(
        requested_at=timezone.now() - dt.timedelta(hours=3, minutes=20)
    )

    nq = personas.get("practitioner.nq")
    nq_super = _supervisor_of(nq, today) if nq else None
    if nq is not None and nq_super is not None:
        services.disclosure_record(
            actor=nq_super[0],
            supervisee=nq,
            agency=nq_super[1],
            category=DisclosureCategory.UNSAFE_PRACTICE,
            reason="Statutory visits recorded as done that the family say did not happen.",
            what_is_needed="Review the last two months of visits on the case system and meet "
            "the practitioner with me this week.",
        )
        concern = services.quality_concern_raise(
            actor=nq,
            supervisor=nq_super[0],
            agency=nq_super[1],
            kind="frequency",
            description="Three fortnightly sessions in a row have been cancelled at short notice.",
        )
        # Raised before the one-to-one about it, six days ago.
        QualityConcern.objects.filter(pk=concern.pk).update(
            created_at=_at(today - dt.timedelta(days=10), 9)
        )
        services.quality_concern_one_to_one(
            concern=concern,
            actor=nq_super[0],
            met_on=today - dt.timedelta(days=6),
            outcome="Agreed protected time, but the next session was cancelled again.",
            resolved=False,
            expected_version=concern.version,
        )
    services.quality_concern_raise(
        actor=health,
        supervisor=health_super[0],
        agency=health_agency,
        kind="standard",
        description="Sessions are case-management checklists with no time for reflection.",
    )
    _resolved_concern(csc, csc_super[0], csc_agency, today)


def _resolved_concern(
    supervisee: Person, supervisor: Person, agency: Agency, today: dt.date
) -> None:
    """A concern resolved at a three-way meeting months ago, which the agency lead can still
    find with who agreed what (seed 001 "Quality Assurance")."""
    concern = services.quality_concern_raise(
        actor=supervisee,
        supervisor=supervisor,
        agency=agency,
        kind="both",
        description="Supervision has been monthly in name only: two sessions since March, "
        "each under half an hour and about caseload numbers.",
    )
    concern = services.quality_concern_one_to_one(
        concern=concern,
        actor=supervisor,
        met_on=today - dt.timedelta(days=113),
        outcome="Agreed to rebook, but the next two sessions were cancelled for court work.",
        resolved=False,
        expected_version=concern.version,
    )
    managers = [
        m.manager
        for m in LineManagement.objects.on(today)
        .filter(report_id__in=[supervisee.pk, supervisor.pk])
        .select_related("manager")
    ]
    services.quality_concern_three_way(
        concern=concern,
        actor=managers[0] if managers else supervisor,
        met_on=today - dt.timedelta(days=100),
        attendees=[supervisee, supervisor, *managers],
        agreed_outcomes="Ninety-minute sessions on the first Tuesday of each month, protected "
        "from court work; the team manager checks at each month end for three months.",
        expected_version=concern.version,
    )
    QualityConcern.objects.filter(pk=concern.pk).update(
        created_at=_at(today - dt.timedelta(days=120), 9),
        resolved_at=_at(today - dt.timedelta(days=100), 16),
    )


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("children")
    plan = _plan_children(ctx, rng)
    children = _insert(ctx, rng, plan)
    ctx.shared["children"] = children
    _concerns(ctx, children)


PAST_DRIFT_PER_MONTH = 8
PAST_DRIFT_DAYS_TO_RESOLVE = (2, 4, 6, 9, 14, 21, 35)


def _past_drift(ctx: DemoContext) -> None:
    """A year of drift caught and resolved before today, so the dashboards' drift question
    shows its 12-month line (issue 12 item 2): each month some children were flagged as not
    discussed often enough and a decision followed, most within the month. All are resolved
    before today, so nobody's list of open flags changes."""
    rng = ctx.rng_for("children:past-drift")
    children = list(
        Child.objects.live()
        .filter(legal_status__in=CADENCE_STATUSES, allocated_practitioner__isnull=False)
        .order_by("pk")
        .values_list("pk", "allocated_practitioner_id")
    )
    if len(children) < PAST_DRIFT_PER_MONTH:
        return
    flags = []
    month = ctx.today.replace(day=1)
    for _ in range(11):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        for child_id, practitioner_id in rng.sample(children, PAST_DRIFT_PER_MONTH):
            raised = month + dt.timedelta(days=rng.randrange(20))
            resolved = min(
                raised + dt.timedelta(days=rng.choice(PAST_DRIFT_DAYS_TO_RESOLVE)),
                ctx.today - dt.timedelta(days=1),
            )
            flags.append(
                DriftFlag(
                    child_id=child_id,
                    rule=DriftRule.OVERDUE,
                    reason="Not discussed within three months.",
                    raised_on=raised,
                    acknowledged_at=_at(resolved, 15),
                    acknowledged_by_id=practitioner_id,
                    decision="Discussed in supervision; the plan was reviewed.",
                    created_at=_at(raised, 7),
                    modified_at=_at(resolved, 15),
                )
            )
    bulk_insert(DriftFlag, flags)


def finish(ctx: DemoContext) -> None:
    """Evaluate drift for every child once the supervision demo has recorded discussions."""
    _past_drift(ctx)
    raised = 0
    for agency_id in Child.objects.order_by().values_list("agency_id", flat=True).distinct():
        raised += services.drift_evaluate_agency(agency_id=agency_id, today=ctx.today)
    shared = services.partnership_drift_evaluate(today=ctx.today)
    ctx.log(f"  {raised} drift flags raised, {len(shared)} across agencies")
