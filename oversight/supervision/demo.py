"""Demo history for supervision (issue 3 item 10): for every supervision relationship, sessions
about monthly (fortnightly for newly-qualified staff) across the demo's years — some cancelled
with or without notice, some missed, some moved — records mostly signed, a few not (one past its
deadline), case discussions whose RAG ratings tell a story (some stuck on amber, some sliding
from green to red, so drift shows), decisions on the child's file on time, late or not yet,
actions followed up, open and overdue; reflective practice groups on a practice review; and
management oversight records. supervisor.csc and practitioner.csc get the richest history.

Everything is written with bulk_create in batches of relationships, so "large" (about 600,000
sessions over five years) stays feasible: per row there is only arithmetic and a random draw."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from oversight.children.models import Child, LegalStatus
from oversight.contracts.models import SessionType
from oversight.core.demo import DemoContext
from oversight.core.workdays import add_working_days
from oversight.people.models import (
    LineManagement,
    Membership,
    Role,
    RoleAssignment,
    SupervisionRelationship,
)

from .models import (
    Action,
    ActionFollowUp,
    ActionStatus,
    AgendaItem,
    CaseDiscussion,
    Decision,
    FollowUpOutcome,
    ManagementOversight,
    RecordStatus,
    Session,
    SessionAttendance,
    SessionChild,
    SessionRecord,
    SessionStatus,
)

BATCH_RELATIONSHIPS = 250
BULK = 2000

NEEDS = [
    "Consistent routines and school attendance; dental care overdue.",
    "Speech and language assessment; nursery place not taken up.",
    "Emotional support after witnessing domestic abuse.",
    "Safe sleep arrangements for the baby; mother's low mood.",
    "Supervision when out in the evenings; links to older peers.",
    "Adequate food and warm clothing; home conditions poor.",
]
RISKS = [
    "Neglect: repeated concerns over two years, not improving.",
    "Domestic abuse by mother's partner; he still visits.",
    "Criminal exploitation: seen with older youths, missing episodes.",
    "Parental substance misuse affecting supervision of the children.",
    "Disguised compliance: appointments kept, change not seen at home.",
    "Father's mental health; threats made in a crisis.",
]
ENGAGEMENT = [
    "Mother engages well and has made small changes.",
    "Parents attend meetings but little change at home.",
    "Father refuses home visits; mother engages when he is away.",
    "Family engaging with early help worker; capacity for change good.",
]
PLANS = [
    "Child in need plan: school, health visitor and family support worker.",
    "Core group every six weeks; police share domestic abuse notifications.",
    "Early help plan with school nurse and housing.",
    "Child protection plan; CAMHS referral; youth worker twice weekly.",
]
AMENDMENTS = [
    "Escalate to a strategy discussion if no change by the review; tell the core group by email.",
    "Ask for an early review meeting; share the chronology with school and health.",
    "",
    "",
]
REFUSAL = [
    "",
    "If parents decline, discuss with the safeguarding lead and record the threshold reasoning.",
    "",
]
EXPERIENCE = [
    "Visit went as planned; the children were quiet and watchful.",
    "Mother was defensive; the home was cleaner than usual.",
    "I was surprised how little the child spoke when father was present.",
]
REFLECTION = [
    "I felt uneasy and rushed; I noticed I avoided asking about the partner.",
    "I felt hopeful, then wondered if I was being shown what I wanted to see.",
]
ANALYSIS = [
    "The pattern of improvement before reviews suggests disguised compliance.",
    "Needs are long-standing; the risk is cumulative neglect, not one incident.",
]
PLANNING = [
    "Unannounced visit; speak to the child alone; check with school attendance officer.",
    "Share concerns at the core group; ask health for growth records.",
]
DECISIONS = [
    (
        "Request a strategy discussion",
        "Escalating concerns: repeated neglect with no sustained change over three months.",
    ),
    ("Step down to early help", "Sustained improvement over six months; family asking for it."),
    ("Hold an early review meeting", "Drift: plan not progressing and amber for three months."),
    ("Refer to CAMHS", "Low mood and self-harm disclosed to the school nurse."),
]
ACTIONS = [
    "Speak to the child alone at the next visit",
    "Share the chronology with the school and health visitor",
    "Book the safeguarding supervision training refresher",
    "Chase the police domestic abuse notification",
    "Update the child's plan and send it to the core group",
    "Read the CSPR briefing on disguised compliance",
]
AGENDA = [
    "Family T: no change since the review – am I missing something?",
    "My caseload and how I am managing",
    "Training: I would like to do the neglect toolkit course",
]
LEARNING = [
    "Use the neglect toolkit before the next review.",
    "Reflect on professional curiosity: what we are not being told.",
    "Shadow a colleague at a strategy discussion.",
]
CANCEL_REASONS = [
    "Court hearing for another family",
    "Sickness",
    "Urgent child protection visit",
    "Training day clash",
]
DROP_REASONS = ["Case closed", "No longer needed after the core group", "Overtaken by events"]
WELLBEING = [
    "A difficult visit has stayed with them; sleeping badly this week.",
    "Feeling more confident; workload heavy but manageable.",
    "",
]
TRAJECTORIES = {
    "improving": ["red", "amber", "amber", "green"],
    "stuck": ["amber"],
    "worsening": ["green", "green", "amber", "amber", "red"],
    "steady": ["green"],
}


@dataclass
class _Batch:
    sessions: list[Session] = field(default_factory=list)
    reschedules: list[tuple[Session, Session]] = field(default_factory=list)
    # (session, record kwargs, plan) where plan drives discussions/actions
    records: list[tuple[Session, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    attendance: list[tuple[Session, list[int], set[int]]] = field(default_factory=list)
    agenda: list[tuple[Session, int, str]] = field(default_factory=list)
    chosen: list[tuple[Session, int, int]] = field(default_factory=list)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _working(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _pick(rng: random.Random, items: list[str]) -> str:
    return items[rng.randrange(len(items))]


def _rag(trajectory: str, n: int, rng: random.Random) -> str:
    if trajectory == "mixed":
        return rng.choice(["green", "amber", "red"])
    steps = TRAJECTORIES[trajectory]
    return steps[min(n, len(steps) - 1)]


def _ensure_children(ctx: DemoContext, supervisee_ids: Iterable[int]) -> None:
    """The children app builds the register first; if it has not (an older database), give
    each supervisee a few children so records have families to discuss."""
    if Child.objects.exists():
        return
    rng = ctx.rng_for("supervision-children")
    agency_of = dict(
        Membership.objects.filter(person_id__in=list(supervisee_ids)).values_list(
            "person_id", "agency_id"
        )
    )
    children = []
    for n, (person_id, agency_id) in enumerate(sorted(agency_of.items())):
        for k in range(3):
            children.append(
                Child(
                    agency_id=agency_id,
                    case_reference=f"SUP-{n:05d}-{k}",
                    display_name=f"Family {chr(65 + (n + k) % 26)}{n % 97} – child {k + 1}",
                    legal_status=rng.choice(
                        [
                            LegalStatus.CHILD_IN_NEED,
                            LegalStatus.CHILD_PROTECTION,
                            LegalStatus.EARLY_HELP,
                        ]
                    ),
                    allocated_practitioner_id=person_id,
                )
            )
    Child.objects.bulk_create(children, batch_size=BULK)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("supervision")
    today = ctx.today
    years = ctx.size["years"]
    horizon = today - dt.timedelta(days=365 * years)
    large = ctx.scale == "large"
    personas = ctx.shared.get("personas", {})
    rich_pair = (
        getattr(personas.get("supervisor.csc"), "pk", None),
        getattr(personas.get("practitioner.csc"), "pk", None),
    )

    relationships = list(
        SupervisionRelationship.objects.live()
        .filter(starts_on__lte=today)
        .select_related("agency")
        .order_by("id")
    )
    _ensure_children(ctx, {r.supervisee_id for r in relationships})
    children_of: dict[int, list[Child]] = defaultdict(list)
    for child in (
        Child.objects.live()
        .filter(allocated_practitioner__isnull=False)
        .exclude(legal_status=LegalStatus.CLOSED)
        .order_by("id")
    ):
        children_of[child.allocated_practitioner_id].append(child)
    new_starters = set(
        Membership.objects.live()
        .exclude(new_starter="")
        .filter(new_starter_until__gte=horizon)
        .values_list("person_id", flat=True)
    )
    trajectories: dict[int, str] = {}
    rag_counts: dict[int, int] = defaultdict(int)
    # Open actions per supervisee, carried from one relationship to the next (handover).
    open_actions: dict[int, list[Action]] = defaultdict(list)
    totals: dict[str, int] = defaultdict(int)

    def trajectory(child: Child, rich: bool, index: int) -> str:
        if child.pk not in trajectories:
            if rich and index < 2:
                trajectories[child.pk] = ("stuck", "worsening")[index]
            else:
                trajectories[child.pk] = rng.choices(
                    ["steady", "improving", "stuck", "worsening", "mixed"], [3, 3, 2, 1, 1]
                )[0]
        return trajectories[child.pk]

    for start in range(0, len(relationships), BATCH_RELATIONSHIPS):
        batch = _Batch()
        for rel in relationships[start : start + BATCH_RELATIONSHIPS]:
            _plan_relationship(
                ctx, rng, rel, batch, horizon, new_starters, rich_pair, children_of, large
            )
        _write(
            ctx, rng, batch, trajectory, rag_counts, open_actions, totals, rich_pair, children_of
        )
    _groups(ctx, rng, horizon, children_of, totals)
    _management_oversight(ctx, rng, horizon, children_of, totals, large)
    ctx.log(
        "  " + ", ".join(f"{n} {k}" for k, n in sorted(totals.items())) + " (supervision history)"
    )


def _plan_relationship(
    ctx: DemoContext,
    rng: random.Random,
    rel: SupervisionRelationship,
    batch: _Batch,
    horizon: dt.date,
    new_starters: set[int],
    rich_pair: tuple[int | None, int | None],
    children_of: dict[int, list[Child]],
    large: bool,
) -> None:
    today = ctx.today
    rich = (rel.supervisor_id, rel.supervisee_id) == rich_pair
    interval = 21 if rich else (14 if rel.supervisee_id in new_starters else 30)
    first = max(rel.starts_on, horizon) + dt.timedelta(days=rng.randint(2, interval))
    last = min(rel.ends_on or today + dt.timedelta(days=40), today + dt.timedelta(days=40))
    day = first
    held_dates: list[dt.date] = []
    planned_future = False
    while day <= last:
        day = _working(day)
        hour = rng.choice((9, 10, 11, 13, 14, 15))
        session = Session(
            session_type=SessionType.ONE_TO_ONE,
            supervisor_id=rel.supervisor_id,
            supervisee_id=rel.supervisee_id,
            agency_id=rel.agency_id,
            planned_start=_at(day, hour),
            duration_minutes=90 if rich else rng.choice((60, 60, 90)),
            location=rng.choice(("Meeting room 2", "Quiet room, first floor", "")),
            video_link="" if rng.random() < 0.8 else "https://meet.example.org/supervision",
            created_by_id=rel.supervisor_id,
            modified_by_id=rel.supervisor_id,
            created_at=_at(day - dt.timedelta(days=21), 9),
            modified_at=_at(day, 9),
        )
        batch.sessions.append(session)
        if day > today:
            if planned_future:
                batch.sessions.pop()
                break
            planned_future = True
            if rich or rng.random() < 0.3:
                for text in AGENDA[: 3 if rich else 1]:
                    batch.agenda.append((session, rel.supervisee_id, text))
                for child in children_of.get(rel.supervisee_id, [])[:2]:
                    batch.chosen.append((session, child.pk, rel.supervisee_id))
            day += dt.timedelta(days=interval)
            continue
        roll = rng.random()
        if not rich and roll < 0.05:
            session.status = SessionStatus.CANCELLED
            session.cancelled_by_id = rng.choice((rel.supervisor_id, rel.supervisee_id))
            session.cancelled_at = _at(day - dt.timedelta(days=rng.choice((0, 1, 3, 7))), 8)
            session.notice_given = rng.random() < 0.7
            session.cancellation_reason = _pick(rng, CANCEL_REASONS)
            day += dt.timedelta(days=rng.randint(7, 14))
            continue
        if not rich and roll < 0.08:
            session.status = SessionStatus.DID_NOT_ATTEND
            day += dt.timedelta(days=rng.randint(7, 14))
            continue
        if roll < 0.11 or (rich and len(held_dates) == 2):
            session.status = SessionStatus.RESCHEDULED
            session.cancelled_by_id = rel.supervisee_id
            session.cancelled_at = _at(day - dt.timedelta(days=2), 8)
            session.notice_given = True
            session.cancellation_reason = _pick(rng, CANCEL_REASONS)
            moved_day = _working(day + dt.timedelta(days=rng.randint(2, 6)))
            if moved_day > today:
                session.status = SessionStatus.CANCELLED
                day = moved_day
                continue
            moved = Session(
                session_type=session.session_type,
                supervisor_id=rel.supervisor_id,
                supervisee_id=rel.supervisee_id,
                agency_id=rel.agency_id,
                planned_start=_at(moved_day, hour),
                duration_minutes=session.duration_minutes,
                location=session.location,
                created_by_id=rel.supervisee_id,
                modified_by_id=rel.supervisor_id,
                created_at=session.cancelled_at,
                modified_at=_at(moved_day, 9),
            )
            batch.sessions.append(moved)
            batch.reschedules.append((session, moved))
            session, day = moved, moved_day
        session.status = SessionStatus.HELD
        session.held_on = day
        held_dates.append(day)
        batch.records.append(
            (
                session,
                {"last_session_on": held_dates[-2] if len(held_dates) > 1 else None},
                {"rich": rich, "rel": rel, "interval": interval},
            )
        )
        day += dt.timedelta(days=interval + rng.randint(-4, 6))


def _write(
    ctx: DemoContext,
    rng: random.Random,
    batch: _Batch,
    trajectory: Any,
    rag_counts: dict[int, int],
    open_actions: dict[int, list[Action]],
    totals: dict[str, int],
    rich_pair: tuple[int | None, int | None],
    children_of: dict[int, list[Child]],
) -> None:
    today = ctx.today
    Session.objects.bulk_create(batch.sessions, batch_size=BULK)
    for original, moved in batch.reschedules:
        moved.rescheduled_from_id = original.pk
    Session.objects.bulk_update([m for _, m in batch.reschedules], ["rescheduled_from"], BULK)
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(session=s, added_by_id=p, text=t, created_by_id=p, modified_by_id=p)
            for s, p, t in batch.agenda
        ],
        batch_size=BULK,
    )
    SessionChild.objects.bulk_create(
        [
            SessionChild(session=s, child_id=c, added_by_id=p, created_by_id=p, modified_by_id=p)
            for s, c, p in batch.chosen
        ],
        batch_size=BULK,
    )
    totals["sessions"] += len(batch.sessions)

    records: list[SessionRecord] = []
    nation = "ENG"
    overdue_given = False
    for session, extra, plan in batch.records:
        held = session.held_on
        assert held is not None
        rich = plan["rich"]
        sign_by = add_working_days(held, 5, nation)
        age = (today - held).days
        status = RecordStatus.SIGNED
        if age <= 6:
            status = rng.choice((RecordStatus.DRAFT, RecordStatus.AWAITING_SUPERVISEE))
        elif rich and 7 <= age <= 40 and not overdue_given:
            status, overdue_given = RecordStatus.AWAITING_SUPERVISEE, True
        elif rng.random() < 0.01:
            status = RecordStatus.AWAITING_SUPERVISEE
        record = SessionRecord(
            session=session,
            last_session_on=extra["last_session_on"],
            agenda_notes="; ".join(rng.sample(AGENDA, 2)),
            learning_development=_pick(rng, LEARNING),
            next_session_on=held + dt.timedelta(days=plan["interval"]),
            functions_served=sorted(
                rng.sample(["management", "support", "development", "mediation"], rng.randint(1, 3))
            ),
            key_elements=sorted(
                rng.sample(
                    ["support_reflection", "quality_assurance", "professional_development"],
                    rng.randint(1, 2),
                )
            ),
            emotional_impact=WELLBEING[rng.randrange(2)] if rich else _pick(rng, WELLBEING),
            support_offered="Reflective space in the next session; EAP details shared."
            if rng.random() < 0.3
            else "",
            status=status,
            sign_by=sign_by,
            created_by_id=session.supervisor_id,
            modified_by_id=session.supervisor_id,
            created_at=_at(held, 17),
            modified_at=_at(held, 17),
        )
        if status != RecordStatus.DRAFT:
            record.supervisor_signed_at = _at(held + dt.timedelta(days=rng.randint(0, 2)), 16)
            record.supervisor_signed_by_id = session.supervisor_id
        if status == RecordStatus.SIGNED:
            record.supervisee_signed_at = _at(held + dt.timedelta(days=rng.randint(1, 4)), 12)
            record.supervisee_signed_by_id = session.supervisee_id
            if rng.random() < 0.05:
                record.supervisee_comment = "I do not agree the case is improving: see my notes."
        records.append(record)
    SessionRecord.objects.bulk_create(records, batch_size=BULK)
    totals["records"] += len(records)

    discussions: list[CaseDiscussion] = []
    decision_plans: list[tuple[CaseDiscussion, int]] = []
    actions: list[Action] = []
    follow_ups: list[ActionFollowUp] = []
    changed_actions: list[Action] = []
    for record, (session, _, plan) in zip(records, batch.records, strict=True):
        rich = plan["rich"]
        held = session.held_on
        assert held is not None
        supervisee = session.supervisee_id or 0
        kids = children_of.get(supervisee, [])
        chosen = (
            kids[:3] if rich else rng.sample(kids, min(len(kids), rng.choice((0, 1, 1, 2, 2, 3))))
        )
        for index, child in enumerate(chosen):
            path = trajectory(child, rich, index)
            rating = _rag(path, rag_counts[child.pk], rng)
            rag_counts[child.pk] += 1
            discussion = CaseDiscussion(
                record=record,
                child_id=child.pk,
                discussed_on=held,
                rag_rating=rating,
                identified_needs=_pick(rng, NEEDS),
                risks=_pick(rng, RISKS),
                family_engagement=_pick(rng, ENGAGEMENT),
                plan_and_contributions=_pick(rng, PLANS),
                plan_amendment=_pick(rng, AMENDMENTS) if rating != "green" else "",
                refusal_action=_pick(rng, REFUSAL),
                experience=_pick(rng, EXPERIENCE) if rich or rng.random() < 0.4 else "",
                reflection=_pick(rng, REFLECTION) if rich or rng.random() < 0.3 else "",
                analysis=_pick(rng, ANALYSIS) if rich or rng.random() < 0.3 else "",
                action_planning=_pick(rng, PLANNING) if rich or rng.random() < 0.4 else "",
                created_by_id=session.supervisor_id,
                modified_by_id=session.supervisor_id,
                created_at=record.created_at,
                modified_at=record.created_at,
            )
            discussions.append(discussion)
            if rng.random() < (0.5 if rich else 0.2) or rating == "red":
                decision_plans.append((discussion, session.agency_id))
        # Follow up what was open from the last session, then agree new actions.
        still_open: list[Action] = []
        for action in open_actions.pop(supervisee, []):
            outcome = rng.choices(
                [FollowUpOutcome.DONE, FollowUpOutcome.CARRIED_FORWARD, FollowUpOutcome.DROPPED],
                [65, 20, 15],
            )[0]
            follow = ActionFollowUp(
                action=action,
                record=record,
                outcome=outcome,
                created_by_id=session.supervisor_id,
                modified_by_id=session.supervisor_id,
                created_at=record.created_at,
                modified_at=record.created_at,
            )
            if outcome == FollowUpOutcome.DONE:
                action.status, action.completed_on = ActionStatus.DONE, held
            elif outcome == FollowUpOutcome.DROPPED:
                action.status = ActionStatus.DROPPED
                action.dropped_reason = follow.note = _pick(rng, DROP_REASONS)
            else:
                follow.new_due_on = action.due_on = held + dt.timedelta(days=14)
                still_open.append(action)
            follow_ups.append(follow)
            changed_actions.append(action)
        new_actions = []
        for n in range(rng.randint(2, 3) if rich else rng.randint(0, 2)):
            about = rng.choice(chosen) if chosen and rng.random() < 0.6 else None
            due = held + dt.timedelta(days=2 if rich and n == 0 else rng.choice((7, 14, 21, 28)))
            action = Action(
                origin_record=record,
                description=_pick(rng, ACTIONS),
                owner_id=supervisee if rng.random() < 0.8 else session.supervisor_id,
                due_on=due,
                child_id=about.pk if about else None,
                created_by_id=session.supervisor_id,
                modified_by_id=session.supervisor_id,
                created_at=record.created_at,
                modified_at=record.created_at,
            )
            actions.append(action)
            new_actions.append(action)
        open_actions[supervisee] = still_open + new_actions
    # Actions from earlier batches are already stored; this batch's are inserted as they end.
    saved_changes = [a for a in changed_actions if a.pk is not None]
    CaseDiscussion.objects.bulk_create(discussions, batch_size=BULK)
    Action.objects.bulk_create(actions, batch_size=BULK)
    Action.objects.bulk_update(
        saved_changes, ["status", "completed_on", "dropped_reason", "due_on"], BULK
    )
    ActionFollowUp.objects.bulk_create(
        [f for f in follow_ups if f.action.pk is not None], batch_size=BULK
    )
    totals["case discussions"] += len(discussions)
    totals["actions"] += len(actions)

    decisions = []
    for discussion, agency_id in decision_plans:
        text, why = DECISIONS[rng.randrange(len(DECISIONS))]
        decisions.append(
            _decision(
                rng,
                today,
                child_id=discussion.child_id,
                agency_id=agency_id,
                by=discussion.created_by_id,  # type: ignore[arg-type]
                day=discussion.discussed_on,
                text=text,
                why=why,
                case_discussion=discussion,
            )
        )
    Decision.objects.bulk_create(decisions, batch_size=BULK)
    totals["decisions"] += len(decisions)


def _decision(
    rng: random.Random,
    today: dt.date,
    *,
    child_id: int,
    agency_id: int,
    by: int,
    day: dt.date,
    text: str,
    why: str,
    **links: Any,
) -> Decision:
    immediate = rng.random() < 0.05
    due = day if immediate else add_working_days(day, 2)
    decision = Decision(
        child_id=child_id,
        agency_id=agency_id,
        decided_on=day,
        decided_by_id=by,
        decision=text,
        rationale=why,
        variation_from_procedure="Review brought forward outside procedure timescales."
        if rng.random() < 0.1
        else "",
        immediate_concern=immediate,
        file_due_on=due,
        created_by_id=by,
        modified_by_id=by,
        created_at=_at(day, 17),
        modified_at=_at(day, 17),
        **links,
    )
    roll = rng.random()
    if (today - day).days <= 2:
        lag = None if roll < 0.6 else 0
    else:
        lag = 0 if roll < 0.82 else rng.randint(1, 6) if roll < 0.95 else None
    if lag is not None:
        recorded = (
            due + dt.timedelta(days=lag) if lag > 0 else day + dt.timedelta(days=rng.randint(0, 1))
        )
        recorded = min(recorded, today)
        decision.recorded_on_file_at = _at(recorded, 15)
        decision.recorded_on_file_by_id = by
        decision.case_system_reference = f"CS-{rng.randint(100000, 999999)}"
    return decision


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
                planned_start=_at(when, 13),
                duration_minutes=120,
                location="Training room",
                status=SessionStatus.HELD if when <= today else SessionStatus.PLANNED,
                held_on=when if when <= today else None,
                created_by_id=lead_id,
                modified_by_id=lead_id,
            )
            came = {p for p in invited if rng.random() < 0.8}
            sessions.append((session, invited, came))
        day += dt.timedelta(days=91)
        n += 1
    Session.objects.bulk_create([s for s, _, _ in sessions], batch_size=BULK)
    SessionAttendance.objects.bulk_create(
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
    SessionRecord.objects.bulk_create(records, batch_size=BULK)
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
    ManagementOversight.objects.bulk_create(oversights, batch_size=BULK)
    decisions = []
    for oversight in oversights:
        text, why = DECISIONS[rng.randrange(len(DECISIONS))]
        decisions.append(
            _decision(
                rng,
                today,
                child_id=oversight.child_id,
                agency_id=oversight.agency_id,
                by=oversight.made_by_id,
                day=oversight.made_on,
                text=text,
                why=why,
                management_oversight=oversight,
            )
        )
    Decision.objects.bulk_create(decisions, batch_size=BULK)
    totals["management oversight records"] += len(oversights)
