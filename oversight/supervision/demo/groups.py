"""Reflective practice groups and management oversight records for the demo."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from oversight.children.models import Child
from oversight.contracts.models import SessionType
from oversight.core.demo import DemoContext, bulk_insert
from oversight.core.workdays import add_working_days
from oversight.people.models import (
    LineManagement,
    Role,
    RoleAssignment,
)

from ..models import (
    Decision,
    ManagementOversight,
    RecordStatus,
    Session,
    SessionAttendance,
    SessionRecord,
    SessionStatus,
)
from .common import BULK, _at, _decision, _working
from .phrases import (
    DECISIONS,
)


def _groups(
    ctx: DemoContext,
    rng: random.Random,
    horizon: dt.date,
    children_of: dict[int, list[Child]],
    totals: dict[str, int],
) -> None:
    """A reflective practice group each quarter per agency, led by its safeguarding lead:
    learning from child safeguarding practice reviews (seed 002, 003)."""
    today = ctx.today
    leads = dict(
        RoleAssignment.objects.live()
        .filter(role=Role.AGENCY_LEAD, agency__isnull=False)
        .values_list("agency_id", "person_id")
    )
    practitioners: dict[int, list[int]] = defaultdict(list)
    for agency_id, person_id in (
        RoleAssignment.objects.live()
        .filter(role=Role.PRACTITIONER, agency__isnull=False)
        .values_list("agency_id", "person_id")
        .order_by("person_id")
    ):
        practitioners[agency_id].append(person_id)
    sessions: list[tuple[Session, list[int], set[int]]] = []
    # Issue 13 item 6 (seed 002): each group also invites a practitioner of the next agency,
    # and the council's groups the health visitor persona; no extra random draws, so the rest
    # of the demo is unchanged.
    agency_order = sorted(leads)
    personas = ctx.shared.get("personas", {})
    health_visitor = personas.get("practitioner.health")
    council_lead = personas.get("lead.csc")
    day = horizon + dt.timedelta(days=30)
    reviews = ["CSPR: Child Q", "CSPR: Baby R – neglect", "Rapid review: Child S", "CSPR: Twins T"]
    n = 0
    while day <= today + dt.timedelta(days=45):
        for agency_id, lead_id in sorted(leads.items()):
            pool = practitioners.get(agency_id, [])
            if len(pool) < 3:
                continue
            invited = rng.sample(pool, min(len(pool), 6))
            when = _working(day + dt.timedelta(days=agency_id % 10))
            session = Session(
                session_type=SessionType.REFLECTIVE_GROUP,
                supervisor_id=lead_id,
                agency_id=agency_id,
                title=reviews[n % len(reviews)],
                learning_review=reviews[n % len(reviews)],  # seed 004 Introduction
                planned_start=_at(when, 13),
                duration_minutes=120,
                location="Training room",
                status=SessionStatus.HELD if when <= today else SessionStatus.PLANNED,
                held_on=when if when <= today else None,
                created_by_id=lead_id,
                modified_by_id=lead_id,
            )
            came = {p for p in invited if rng.random() < 0.8}
            guests: list[int] = []
            partner = agency_order[(agency_order.index(agency_id) + 1) % len(agency_order)]
            if partner != agency_id and practitioners.get(partner):
                guests.append(practitioners[partner][n % len(practitioners[partner])])
            if (
                health_visitor is not None
                and council_lead is not None
                and lead_id == council_lead.pk
                and health_visitor.pk not in guests
            ):
                guests.append(health_visitor.pk)
            guests = [g for g in guests if g not in invited]
            sessions.append((session, invited + guests, came | set(guests)))
        day += dt.timedelta(days=91)
        n += 1
    bulk_insert(Session, [s for s, _, _ in sessions], batch_size=BULK)
    bulk_insert(
        SessionAttendance,
        [
            SessionAttendance(session=s, person_id=p, attended=(p in came) if s.held_on else None)
            for s, invited, came in sessions
            for p in invited
        ],
        batch_size=BULK,
    )
    records = []
    for session, _, _ in sessions:
        if session.held_on is None:
            continue
        records.append(
            SessionRecord(
                session=session,
                agenda_notes=f"Learning from {session.title}.",
                learning_development="Professional curiosity; disguised compliance; hearing the "
                "child's voice; escalating when a plan drifts.",
                functions_served=["development", "support"],
                key_elements=["support_reflection", "professional_development"],
                status=RecordStatus.SIGNED,
                supervisor_signed_at=_at(session.held_on, 16),
                supervisor_signed_by_id=session.supervisor_id,
                sign_by=add_working_days(session.held_on, 5),
                created_by_id=session.supervisor_id,
                modified_by_id=session.supervisor_id,
            )
        )
    bulk_insert(SessionRecord, records, batch_size=BULK)
    totals["group sessions"] += len(sessions)


def _management_oversight(
    ctx: DemoContext,
    rng: random.Random,
    horizon: dt.date,
    children_of: dict[int, list[Child]],
    totals: dict[str, int],
    large: bool,
) -> None:
    """Line managers' oversight decisions about their reports' children (seed 004 Definition)."""
    today = ctx.today
    oversights: list[ManagementOversight] = []
    for line in LineManagement.objects.live().order_by("id").iterator():
        kids = children_of.get(line.report_id, [])
        if not kids:
            continue
        start = max(line.starts_on, horizon)
        span = (today - start).days
        if span <= 0:
            continue
        for _ in range(1 if large else rng.randint(1, 3)):
            child = rng.choice(kids)
            day = start + dt.timedelta(days=rng.randint(0, span))
            oversights.append(
                ManagementOversight(
                    child_id=child.pk,
                    agency_id=child.agency_id,
                    made_by_id=line.manager_id,
                    made_on=day,
                    summary=rng.choice(
                        [
                            "Case file audit before the review.",
                            "Allocation review after a police notification.",
                            "Case closure decision.",
                        ]
                    ),
                    created_by_id=line.manager_id,
                    modified_by_id=line.manager_id,
                    created_at=_at(day, 15),
                    modified_at=_at(day, 15),
                )
            )
    bulk_insert(ManagementOversight, oversights, batch_size=BULK)
    decisions = []
    for oversight in oversights:
        text, why = DECISIONS[rng.randrange(len(DECISIONS))]
        decisions.append(
            _decision(
                rng,
                today,
                child_id=oversight.child_id,
                agency_id=oversight.agency_id,
                actor_id=oversight.made_by_id,
                day=oversight.made_on,
                text=text,
                why=why,
                management_oversight=oversight,
            )
        )
    bulk_insert(Decision, decisions, batch_size=BULK)
    totals["management oversight records"] += len(oversights)
