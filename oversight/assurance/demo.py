"""Demo assurance data: evaluation rounds with anonymous answers (seed 004 Appendix I),
quarterly wellbeing pulses and workforce figures (seed 004 "Assurance indicators"), and a
completed and an open record audit (seed 004 objective 2). Bulk inserts, so --scale large
(10,000 staff) stays quick."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from oversight.core.demo import DemoContext, bulk_insert
from oversight.people.models import Membership, SupervisionRelationship

from . import services
from .models import (
    CHECKLIST,
    STATEMENT_FIELDS,
    EvaluationParticipation,
    EvaluationResponse,
    EvaluationRound,
    EvaluationSettings,
    Grade,
    PulseParticipation,
    PulseResponse,
    PulseRole,
    WorkforceFigure,
)
from .periods import add_months, quarter_start, round_bounds

BATCH = 5000
MORE_OF = (
    "Time to reflect on the families that worry me",
    "Talking through neglect cases over time",
    "Help planning for families who do not engage",
    "",
    "",
)
LESS_OF = ("Going through the caseload list", "Cancelled sessions", "", "", "")


def _stamp(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("assurance")
    today = ctx.today
    agencies = ctx.shared["agencies"]
    personas = ctx.shared["personas"]
    large = ctx.at_scale

    # The health agency asks every three months; the rest keep the default six.
    health = personas["lead.health"]
    health_agency = next(
        a for a in agencies if Membership.objects.filter(person=health, agency=a).exists()
    )
    EvaluationSettings.objects.create(agency=health_agency, interval_months=3)
    interval = {a.pk: 3 if a.pk == health_agency.pk else 6 for a in agencies}

    current = list(
        SupervisionRelationship.objects.on(today).values_list(
            "agency_id", "supervisor_id", "supervisee_id"
        )
    )
    rounds_back = 4 if large else 3
    rounds: dict[tuple[int, dt.date], EvaluationRound] = {}
    for agency in agencies:
        for back in range(rounds_back):
            day = add_months(today, -interval[agency.pk] * back)
            opens, closes = round_bounds(day, interval[agency.pk])
            rounds[(agency.pk, opens)] = EvaluationRound(
                agency=agency, opens_on=opens, closes_on=closes
            )
    bulk_insert(EvaluationRound, rounds.values(), batch_size=BATCH)

    keen = personas["supervisor.csc"].pk
    skipped = personas["practitioner.csc"].pk
    responses: list[EvaluationResponse] = []
    participations: list[EvaluationParticipation] = []
    for (agency_id, opens), round_ in rounds.items():
        is_current = round_.is_open_on(today)
        answered_on = min(today, opens + dt.timedelta(days=20))
        for a_id, supervisor_id, supervisee_id in current:
            if a_id != agency_id or (is_current and supervisee_id == skipped):
                continue
            chance = 0.4 if is_current else 0.75
            if supervisor_id == keen and not is_current:
                chance = 1.0
            if rng.random() > chance:
                continue
            mood = rng.random()
            answers = {
                name: "yes" if rng.random() < 0.55 + 0.4 * mood else rng.choice(["no", "maybe"])
                for name in STATEMENT_FIELDS
            }
            stamp = _stamp(answered_on)
            responses.append(
                EvaluationResponse(
                    round=round_,
                    supervisor_id=supervisor_id,
                    more_of=rng.choice(MORE_OF),
                    less_of=rng.choice(LESS_OF),
                    created_at=stamp,
                    modified_at=stamp,
                    **answers,
                )
            )
            participations.append(
                EvaluationParticipation(
                    round=round_,
                    respondent_id=supervisee_id,
                    supervisor_id=supervisor_id,
                    created_by_id=supervisee_id,
                    modified_by_id=supervisee_id,
                    created_at=stamp,
                    modified_at=stamp,
                )
            )
    rng.shuffle(responses)  # no order to match against participations
    bulk_insert(EvaluationResponse, responses, batch_size=BATCH)
    bulk_insert(EvaluationParticipation, participations, batch_size=BATCH)

    staff: dict[int, list[int]] = defaultdict(list)
    for agency_id, person_id in Membership.objects.on(today).values_list("agency_id", "person_id"):
        staff[agency_id].append(person_id)
    quarters = [add_months(quarter_start(today), -3 * n) for n in range(8)]
    # Seed 004 indicator 1 (issue 15 item 16): supervisors' answers are kept apart; in the
    # demo they report a little more stress than the people they supervise.
    supervising = set(
        SupervisionRelationship.objects.on(today).values_list("agency_id", "supervisor_id")
    )
    pulses: list[PulseResponse] = []
    pulse_marks: list[PulseParticipation] = []
    figures: list[WorkforceFigure] = []
    lead_csc_agency = next(
        a
        for a in agencies
        if Membership.objects.filter(person=personas["lead.csc"], agency=a).exists()
    )
    for agency in agencies:
        people = staff[agency.pk]
        trend = rng.uniform(-0.08, 0.08)
        for n, quarter in enumerate(quarters):
            stamp = _stamp(min(today, quarter + dt.timedelta(days=30)))
            for person_id in people:
                if quarter == quarters[0] and person_id in {p.pk for p in personas.values()}:
                    continue  # personas are prompted for this quarter's pulse
                if rng.random() > 0.5:
                    continue
                role = (
                    PulseRole.SUPERVISOR
                    if (agency.pk, person_id) in supervising
                    else PulseRole.SUPERVISEE
                )
                base = 3 + trend * n + (0.4 if role == PulseRole.SUPERVISOR else 0)
                pulses.append(
                    PulseResponse(
                        agency=agency,
                        quarter_start=quarter,
                        role=role,
                        stress=_scale(rng.gauss(base, 1)) if rng.random() < 0.95 else None,
                        resilience=_scale(rng.gauss(6 - base, 1)),
                        reflection=_scale(rng.gauss(6 - base + 0.3, 1))
                        if rng.random() < 0.9
                        else None,
                        created_at=stamp,
                        modified_at=stamp,
                    )
                )
                pulse_marks.append(
                    PulseParticipation(
                        agency=agency,
                        quarter_start=quarter,
                        respondent_id=person_id,
                        created_by_id=person_id,
                        modified_by_id=person_id,
                        created_at=stamp,
                        modified_at=stamp,
                    )
                )
            if quarter == quarters[0] or (agency.pk == lead_csc_agency.pk and n == 1):
                continue  # the current quarter, and the lead's last one, are still to enter
            funded = max(6, round(len(people) * rng.uniform(1.05, 1.2)))
            vacant = min(funded, round(funded * max(0.0, rng.gauss(0.1 + trend * n, 0.03))))
            days = Decimal(round((funded - vacant) * rng.uniform(1.5, 3.5), 1))
            figures.append(
                WorkforceFigure(
                    agency=agency,
                    quarter_start=quarter,
                    funded_posts=funded,
                    vacant_posts=vacant,
                    sickness_days_lost=days,
                    work_related_sickness_days_lost=Decimal(
                        round(float(days) * rng.uniform(0.2, 0.4), 1)
                    ),
                )
            )
    bulk_insert(PulseResponse, pulses, batch_size=BATCH)
    bulk_insert(PulseParticipation, pulse_marks, batch_size=BATCH)
    bulk_insert(WorkforceFigure, figures, batch_size=BATCH)
    ctx.shared["assurance_agencies"] = {"csc": lead_csc_agency, "health": health_agency}
    ctx.log(
        f"  {len(responses)} evaluation responses in {len(rounds)} rounds, {len(pulses)} pulses, "
        f"{len(figures)} workforce figures"
    )


def _scale(value: float) -> int:
    return max(1, min(5, round(value)))


def finish(ctx: DemoContext) -> None:
    """Record audits need the supervision records, and the trend's month-end snapshots every
    post and session, so both come after every app built. The trend starts kept, as the daily
    task would leave it."""
    started = time.monotonic()
    kept = services.figures_backfill(today=ctx.today)
    ctx.log(f"  {kept} daily compliance snapshots in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    points = services.trend_points_backfill(today=ctx.today)
    ctx.log(f"  {points} days' points of trends and cadence in {time.monotonic() - started:.0f} s")
    rng = ctx.rng_for("assurance-audit")
    today = ctx.today
    auditor = ctx.shared["personas"]["auditor"]
    found = ctx.shared.get("assurance_agencies", {})
    made = 0
    for key, complete in (("csc", True), ("health", False)):
        agency = found.get(key)
        if agency is None:
            continue
        try:
            audit = services.record_audit_draw(
                actor=auditor,
                agency=agency,
                title=f"{agency.name} record audit, {today:%B %Y}",
                period_start=add_months(today, -6),
                period_end=today,
                per_stratum=4,
                seed=ctx.seed,
                on=today,
            )
        except Exception:
            continue
        items = list(audit.items.all())
        for n, item in enumerate(items):
            if not complete and n >= len(items) // 2:
                break
            grades: dict[str, str] = {
                name: rng.choices(
                    [Grade.MET.value, Grade.PARTLY.value, Grade.NOT_MET.value], [6, 3, 1]
                )[0]
                for name, _ in CHECKLIST
            }
            services.audited_record_grade(
                actor=auditor,
                item=item,
                grades=grades,
                notes="Plan and risks clear; reflection on the family's engagement is thin."
                if grades["reflection_evidenced"] != Grade.MET
                else "Child-focused and reflective.",
                expected_version=item.version,
            )
        if complete:
            audit.refresh_from_db()
            services.record_audit_complete(
                actor=auditor,
                audit=audit,
                findings="Most records are child-focused with RAG ratings given. Records are "
                "often signed after the deadline, and reflection is not always evidenced.",
                actions_for_agency="Remind supervisors of the five-working-day signing "
                "deadline; add a reflection prompt to team briefings.",
                expected_version=audit.version,
            )
        made += 1
    ctx.log(f"  {made} record audits")
    _multi_agency_audit(ctx, auditor, rng)


def _multi_agency_audit(ctx: DemoContext, auditor: Any, rng: Any) -> None:
    """Issue 13 item 5: the auditor's completed multi-agency audit of children known to two or
    more agencies, each agency's part and the working graded (seed 004 objective 2)."""
    from django.core.exceptions import ValidationError

    today = ctx.today
    try:
        audit = services.multi_agency_audit_draw(
            actor=auditor,
            title=f"Multi-agency audit, {today:%B %Y}",
            period_start=add_months(today, -6),
            period_end=today,
            per_stratum=3,
            seed=ctx.seed,
            on=today,
        )
    except ValidationError:
        ctx.log("  no multi-agency audit: no child known to two agencies was rated")
        return
    weights = [6, 3, 1]
    choices = [Grade.MET.value, Grade.PARTLY.value, Grade.NOT_MET.value]
    for item in audit.items.all():
        services.audited_record_grade(
            actor=auditor,
            item=item,
            grades={name: rng.choices(choices, weights)[0] for name, _ in item.checklist},
            notes="",
            expected_version=item.version,
        )
    for sampled in audit.children.all():
        parts = list(sampled.parts.all())
        working = rng.choices(choices, [3, 4, 3])[0]
        services.audited_child_grade(
            actor=auditor,
            item=sampled,
            part_grades={p.pk: rng.choices(choices, weights)[0] for p in parts},
            part_notes={},
            working=working,
            notes="The agencies rated the child differently and no one challenged it."
            if working != Grade.MET
            else "Information shared at the core group; one plan.",
            expected_version=sampled.version,
        )
    audit.refresh_from_db()
    services.record_audit_complete(
        actor=auditor,
        audit=audit,
        findings="Each agency's own records are sound, but divergent ratings were seldom "
        "challenged between agencies.",
        actions_for_agency="Use the escalation route when agencies' ratings differ.",
        expected_version=audit.version,
    )
    ctx.log(f"  1 multi-agency audit of {audit.children.count()} children")
