"""Sessions, records, case discussions, decisions and actions for each relationship."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from oversight.children.models import AgencyInvolvement, Child, LegalStatus
from oversight.contracts.models import SessionType
from oversight.core.demo import DemoContext, bulk_insert
from oversight.core.workdays import add_working_days
from oversight.people.models import (
    Membership,
    SupervisionRelationship,
)

from ..models import (
    Action,
    ActionFollowUp,
    ActionStatus,
    AgendaItem,
    CaseDiscussion,
    Decision,
    FollowUpOutcome,
    RagRating,
    RecordStatus,
    Session,
    SessionChild,
    SessionRecord,
    SessionStatus,
)
from .common import BULK, _at, _decision, _pick, _working
from .groups import _groups, _management_oversight
from .phrases import (
    ACTIONS,
    AGENDA,
    AMENDMENTS,
    ANALYSIS,
    CANCEL_REASONS,
    DECISIONS,
    DROP_REASONS,
    ENGAGEMENT,
    EXPERIENCE,
    LEARNING,
    NEEDS,
    PLANNING,
    PLANS,
    REFLECTION,
    REFUSAL,
    RISKS,
    TRAJECTORIES,
    WELLBEING,
)
from .reflection import discussion_reflection
from .seeds import discussion_outcomes, record_times_and_review

BATCH_RELATIONSHIPS = 250


@dataclass
class _Batch:
    sessions: list[Session] = field(default_factory=list)
    reschedules: list[tuple[Session, Session]] = field(default_factory=list)
    # (session, record kwargs, plan) where plan drives discussions/actions
    records: list[tuple[Session, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    attendance: list[tuple[Session, list[int], set[int]]] = field(default_factory=list)
    agenda: list[tuple[Session, int, str]] = field(default_factory=list)
    chosen: list[tuple[Session, int, int]] = field(default_factory=list)


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
    bulk_insert(Child, children, batch_size=BULK)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("supervision")
    today = ctx.today
    years = ctx.size["years"]
    horizon = today - dt.timedelta(days=365 * years)
    large = ctx.at_scale
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
    # Children another agency holds, which the supervisee's agency is involved with: they are
    # discussed in this agency's supervision too, each agency rating them as it sees them
    # (issue 13 item 8).
    for involvement in (
        AgencyInvolvement.objects.on(today)
        .exclude(case_reference="")
        .filter(held_elsewhere=True, allocated_worker__isnull=False)
        .exclude(child__legal_status=LegalStatus.CLOSED)
        .select_related("child")
        .order_by("id")
    ):
        assert involvement.allocated_worker_id is not None
        children_of[involvement.allocated_worker_id].append(involvement.child)
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

    partner_trajectories: dict[tuple[int, int], str] = {}

    def trajectory(child: Child, rich: bool, index: int, supervisee: int | None = None) -> str:
        if supervisee is not None and child.allocated_practitioner_id != supervisee:
            # Another agency's view of the child, which may differ from the holding agency's.
            key = (child.pk, supervisee)
            if key not in partner_trajectories:
                partner_trajectories[key] = rng.choice(["improving", "steady", "worsening"])
            return partner_trajectories[key]
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
        # Large scale: about four-weekly, as many agencies book it, for five years' volume.
        day += dt.timedelta(days=interval + (rng.randint(-6, 2) if large else rng.randint(-4, 6)))


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
    bulk_insert(Session, batch.sessions, batch_size=BULK)
    for original, moved in batch.reschedules:
        moved.rescheduled_from_id = original.pk
    Session.objects.bulk_update([m for _, m in batch.reschedules], ["rescheduled_from"], BULK)
    bulk_insert(
        AgendaItem,
        [
            AgendaItem(session=s, added_by_id=p, text=t, created_by_id=p, modified_by_id=p)
            for s, p, t in batch.agenda
        ],
        batch_size=BULK,
    )
    bulk_insert(
        SessionChild,
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
        record_times_and_review(record, rich=rich)
        records.append(record)
    bulk_insert(SessionRecord, records, batch_size=BULK)
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
            path = trajectory(child, rich, index, supervisee)
            rating = _rag(path, rag_counts[child.pk], rng)
            rag_counts[child.pk] += 1
            discussion = CaseDiscussion(
                record=record,
                agency_id=session.agency_id,
                child_id=child.pk,
                discussed_on=held,
                rag_rating=rating,
                identified_needs=_pick(rng, NEEDS),
                risks=_pick(rng, RISKS),
                family_engagement=_pick(rng, ENGAGEMENT),
                plan_and_contributions=_pick(rng, PLANS),
                plan_amendment=_pick(rng, AMENDMENTS) if rating != RagRating.GREEN else "",
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
            discussion_outcomes(discussion, rich=rich, index=index)
            discussion_reflection(discussion, rich=rich, index=index)
            discussions.append(discussion)
            if rng.random() < (0.5 if rich else 0.2) or rating == RagRating.RED:
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
    bulk_insert(CaseDiscussion, discussions, batch_size=BULK)
    bulk_insert(Action, actions, batch_size=BULK)
    Action.objects.bulk_update(
        saved_changes, ["status", "completed_on", "dropped_reason", "due_on"], BULK
    )
    bulk_insert(ActionFollowUp, [f for f in follow_ups if f.action.pk is not None], batch_size=BULK)
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
                actor_id=discussion.created_by_id,  # type: ignore[arg-type]
                day=discussion.discussed_on,
                text=text,
                why=why,
                case_discussion=discussion,
            )
        )
    bulk_insert(Decision, decisions, batch_size=BULK)
    totals["decisions"] += len(decisions)
