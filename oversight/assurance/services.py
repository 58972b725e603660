"""Writes for assurance: evaluation answers and pulses (anonymous), workforce figures, the
agency's evaluation frequency, and record audits (sample, grade, complete)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from oversight.core.bulk import rows_insert
from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    StaleEditError,
    audit_event_record,
    tracked_create,
    tracked_edit,
    tracked_update,
)
from oversight.people.models import Agency, SupervisionRelationship

from .compliance import compliance_for
from .models import (
    SNAPSHOT_FIELDS,
    STATEMENT_FIELDS,
    AuditedAgencyPart,
    AuditedChild,
    AuditedRecord,
    AuditStatus,
    ComplianceSnapshot,
    EvaluationParticipation,
    EvaluationResponse,
    EvaluationRound,
    EvaluationSettings,
    Grade,
    PulseParticipation,
    PulseResponse,
    PulseRole,
    RecordAudit,
    WorkforceFigure,
)
from .periods import quarter_start, round_bounds
from .snapshots import GROUPINGS, DayFigures, compliance_sweep, figures_of

ALREADY_ANSWERED = "You have already evaluated this supervision in this round."
PULSE_ALREADY = "You have already answered the wellbeing pulse this quarter."


def _day_stamp(day: dt.date) -> dt.datetime:
    """Anonymous rows carry only the day, so their time cannot be matched to a participation."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def evaluation_interval(agency_id: int) -> int:
    found = EvaluationSettings.objects.live().filter(agency_id=agency_id).first()
    return found.interval_months if found else 6


def evaluation_round_for(*, agency_id: int, on: dt.date) -> EvaluationRound:
    """The agency's round holding ``on``, made when first needed."""
    opens, closes = round_bounds(on, evaluation_interval(agency_id))
    found = EvaluationRound.objects.filter(agency_id=agency_id, opens_on__lte=on, closes_on__gte=on)
    existing = found.order_by("-opens_on").first()
    if existing is not None:
        return existing
    return EvaluationRound.objects.get_or_create(
        agency_id=agency_id, opens_on=opens, defaults={"closes_on": closes}
    )[0]


@transaction.atomic
def evaluation_settings_update(
    *, actor: Any, agency: Agency, interval_months: int, origin: RequestOrigin | None = None
) -> EvaluationSettings:
    if not 1 <= interval_months <= 24:
        raise ValidationError({"interval_months": "Enter a number of months from 1 to 24."})
    found = EvaluationSettings.objects.select_for_update().filter(agency=agency).first()
    if found is None:
        found = EvaluationSettings(agency=agency, interval_months=interval_months)
        tracked_create(found, actor=actor)
    else:
        found.interval_months = interval_months
        tracked_update(found, actor=actor)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=found, origin=origin)
    return found


@transaction.atomic
def evaluation_submit(
    *,
    actor: Any,
    relationship: SupervisionRelationship,
    answers: dict[str, str],
    more_of: str = "",
    less_of: str = "",
    on: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> EvaluationRound:
    """Store an anonymous evaluation of the actor's supervisor (seed 004 Appendix I). The
    answer row holds no respondent; the participation row holds no answers."""
    day = on or timezone.localdate()
    if relationship.supervisee_id != actor.pk or not relationship.is_current_on(day):
        raise ValidationError("You can only evaluate your own current supervision.")
    missing = {
        name: "Choose Yes, No or Maybe." for name in STATEMENT_FIELDS if not answers.get(name)
    }
    if missing:
        raise ValidationError(missing)
    round_ = evaluation_round_for(agency_id=relationship.agency_id, on=day)
    try:
        with transaction.atomic():
            participation = EvaluationParticipation(
                round=round_, respondent=actor, supervisor_id=relationship.supervisor_id
            )
            tracked_create(participation, actor=actor)
    except (IntegrityError, ValidationError) as error:
        raise ValidationError(ALREADY_ANSWERED) from error
    stamp = _day_stamp(day)
    response = EvaluationResponse(
        round=round_,
        supervisor_id=relationship.supervisor_id,
        more_of=more_of.strip(),
        less_of=less_of.strip(),
        **{name: answers[name] for name in STATEMENT_FIELDS},
    )
    tracked_create(response, actor=None)
    EvaluationResponse.objects.filter(pk=response.pk).update(created_at=stamp, modified_at=stamp)
    EvaluationParticipation.objects.filter(pk=participation.pk).update(
        created_at=stamp, modified_at=stamp
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=round_,
        origin=origin,
        detail={"what": "evaluation participation"},
    )
    return round_


@transaction.atomic
def pulse_role(*, actor: Any, agency_id: int, on: dt.date) -> str:
    """Seed 004 indicator 1 (issue 15 item 16): someone who supervises anyone in the agency
    that day answers as a supervisor; everyone else as a supervisee."""
    supervises = (
        SupervisionRelationship.objects.live()
        .on(on)
        .filter(supervisor_id=actor.pk, agency_id=agency_id)
    )
    return PulseRole.SUPERVISOR if supervises.exists() else PulseRole.SUPERVISEE


def pulse_submit(
    *,
    actor: Any,
    agency_id: int,
    stress: int | None,
    resilience: int | None,
    reflection: int | None,
    on: dt.date | None = None,
) -> PulseResponse:
    """Store an anonymous wellbeing pulse; every answer is optional but one is needed."""
    day = on or timezone.localdate()
    if stress is None and resilience is None and reflection is None:
        raise ValidationError("Answer at least one question, or leave the pulse for now.")
    quarter = quarter_start(day)
    try:
        with transaction.atomic():
            participation = PulseParticipation(
                agency_id=agency_id, quarter_start=quarter, respondent=actor
            )
            tracked_create(participation, actor=actor)
    except (IntegrityError, ValidationError) as error:
        raise ValidationError(PULSE_ALREADY) from error
    response = PulseResponse(
        agency_id=agency_id,
        quarter_start=quarter,
        stress=stress,
        resilience=resilience,
        reflection=reflection,
        role=pulse_role(actor=actor, agency_id=agency_id, on=day),
    )
    tracked_create(response, actor=None)
    stamp = _day_stamp(day)
    PulseResponse.objects.filter(pk=response.pk).update(created_at=stamp, modified_at=stamp)
    PulseParticipation.objects.filter(pk=participation.pk).update(
        created_at=stamp, modified_at=stamp
    )
    return response


WORKFORCE_FIELDS = (
    "funded_posts",
    "vacant_posts",
    "sickness_days_lost",
    "work_related_sickness_days_lost",
)


@transaction.atomic
def workforce_figure_save(
    *,
    actor: Any,
    agency: Agency,
    quarter: dt.date,
    values: dict[str, Any],
    expected_version: int | None = None,
    origin: RequestOrigin | None = None,
) -> WorkforceFigure:
    """Enter or correct an agency's sickness and vacancy figures for a quarter. A correction
    names the version it started from; a blank version means "none yet", refused once some
    are saved (issue 10 item 8)."""
    found = (
        WorkforceFigure.objects.select_for_update()
        .filter(agency=agency, quarter_start=quarter)
        .first()
    )
    if found is None:
        found = WorkforceFigure(agency=agency, quarter_start=quarter, **values)
        tracked_create(found, actor=actor)
        action = AuditAction.CREATE
    else:
        if expected_version is None:
            # The form was opened before anyone had saved this quarter's figures.
            raise StaleEditError()
        for name in WORKFORCE_FIELDS:
            setattr(found, name, values[name])
        tracked_edit(found, actor=actor, expected_version=expected_version)
        action = AuditAction.CHANGE
    audit_event_record(actor=actor, action=action, target=found, origin=origin)
    return found


@transaction.atomic
def record_audit_draw(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    per_stratum: int = 5,
    seed: int | None = None,
    on: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> RecordAudit:
    """Draw a stratified sample of the agency's signed-or-not session records in the period:
    up to ``per_stratum`` each of high, medium and escalating risk (seed 004 objective 2)."""
    from .selectors import audit_strata

    errors = {}
    if not title.strip():
        errors["title"] = "Enter a title for the audit."
    if period_end < period_start:
        errors["period_end"] = "The end of the period must be on or after its start."
    if not 1 <= per_stratum <= 50:
        errors["per_stratum"] = "Enter a number of records per group from 1 to 50."
    if errors:
        raise ValidationError(errors)
    strata = audit_strata(agency_id=agency.pk, start=period_start, end=period_end)
    if not any(strata.values()):
        raise ValidationError(
            {"period_start": "There are no records with children discussed in this period."}
        )
    audit = RecordAudit(
        agency=agency,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        drawn_by=actor,
        drawn_on=on or timezone.localdate(),
    )
    tracked_create(audit, actor=actor)
    rng = random.Random(seed if seed is not None else f"{agency.pk}:{period_start}:{period_end}")
    for stratum, record_ids in strata.items():
        chosen = rng.sample(sorted(record_ids), min(per_stratum, len(record_ids)))
        for record_id in chosen:
            tracked_create(
                AuditedRecord(audit=audit, record_id=record_id, stratum=stratum), actor=actor
            )
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=audit, origin=origin)
    return audit


@transaction.atomic
def multi_agency_audit_draw(
    *,
    actor: Any,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    per_stratum: int = 5,
    seed: int | None = None,
    on: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> RecordAudit:
    """Draw a multi-agency audit (issue 13 item 5; seed 004 objective 2): up to
    ``per_stratum`` children known to two or more agencies from each of high, medium and
    escalating risk, with every involved agency's session records that discussed them and its
    management oversight records of them in the period, and a part to grade per agency."""
    from .selectors import multi_agency_audit_records, multi_agency_audit_strata

    errors = {}
    if not title.strip():
        errors["title"] = "Enter a title for the audit."
    if period_end < period_start:
        errors["period_end"] = "The end of the period must be on or after its start."
    if not 1 <= per_stratum <= 50:
        errors["per_stratum"] = "Enter a number of children per group from 1 to 50."
    if errors:
        raise ValidationError(errors)
    strata = multi_agency_audit_strata(start=period_start, end=period_end)
    if not any(strata.values()):
        raise ValidationError(
            {"period_start": "No child known to two or more agencies was rated in this period."}
        )
    audit = RecordAudit(
        agency=None,
        multi_agency=True,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        drawn_by=actor,
        drawn_on=on or timezone.localdate(),
    )
    tracked_create(audit, actor=actor)
    rng = random.Random(seed if seed is not None else f"multi:{period_start}:{period_end}")
    chosen: dict[int, str] = {}
    for stratum, child_ids in strata.items():
        for child_id in rng.sample(sorted(child_ids), min(per_stratum, len(child_ids))):
            chosen[child_id] = stratum
    agencies, records, oversights = multi_agency_audit_records(
        child_ids=set(chosen), start=period_start, end=period_end
    )
    for child_id, stratum in chosen.items():
        sampled = AuditedChild(audit=audit, child_id=child_id, stratum=stratum)
        tracked_create(sampled, actor=actor)
        for agency_id in sorted(agencies.get(child_id, ())):
            tracked_create(
                AuditedAgencyPart(audited_child=sampled, agency_id=agency_id), actor=actor
            )
    for child_id, record_id, agency_id in records:
        tracked_create(
            AuditedRecord(
                audit=audit,
                record_id=record_id,
                child_id=child_id,
                source_agency_id=agency_id,
                stratum=chosen[child_id],
            ),
            actor=actor,
        )
    for child_id, oversight_id, agency_id in oversights:
        tracked_create(
            AuditedRecord(
                audit=audit,
                oversight_id=oversight_id,
                child_id=child_id,
                source_agency_id=agency_id,
                stratum=chosen[child_id],
            ),
            actor=actor,
        )
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=audit,
        origin=origin,
        detail={"multi_agency": True, "children": len(chosen)},
    )
    return audit


@transaction.atomic
def audited_child_grade(
    *,
    actor: Any,
    item: AuditedChild,
    part_grades: dict[int, str],
    part_notes: dict[int, str],
    working: str,
    notes: str,
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> AuditedChild:
    """Grade each involved agency's part in the work with a sampled child and the
    multi-agency working around them (issue 13 item 5)."""
    locked = AuditedChild.objects.select_for_update().select_related("audit").get(pk=item.pk)
    if locked.audit.status == AuditStatus.COMPLETE:
        raise ValidationError("This audit is complete; its grades can no longer change.")
    parts = list(
        AuditedAgencyPart.objects.live()
        .select_for_update()
        .filter(audited_child=locked)
        .select_related("agency")
        .order_by("pk")
    )
    valid = set(Grade.values)
    errors = {
        f"part_{part.pk}": f"Grade the part {part.agency.name} played."
        for part in parts
        if part_grades.get(part.pk) not in valid
    }
    if working not in valid:
        errors["working"] = "Grade the multi-agency working."
    if errors:
        raise ValidationError(errors)
    for part in parts:
        part.grade = part_grades[part.pk]
        part.notes = part_notes.get(part.pk, "").strip()
        tracked_update(part, actor=actor)
    item.multi_agency_working = working
    item.notes = notes.strip()
    item.graded_at = timezone.now()
    tracked_edit(item, actor=actor, expected_version=expected_version)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=item, origin=origin)
    return item


@transaction.atomic
def audited_record_grade(
    *,
    actor: Any,
    item: AuditedRecord,
    grades: dict[str, str],
    notes: str,
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> AuditedRecord:
    locked = AuditedRecord.objects.select_for_update().select_related("audit").get(pk=item.pk)
    if locked.audit.status == AuditStatus.COMPLETE:
        raise ValidationError("This audit is complete; its grades can no longer change.")
    checklist = locked.checklist
    missing = {name: f"Grade “{label}”." for name, label in checklist if not grades.get(name)}
    if missing:
        raise ValidationError(missing)
    for name, _ in checklist:
        setattr(item, name, grades[name])
    item.notes = notes
    item.graded_at = timezone.now()
    tracked_edit(item, actor=actor, expected_version=expected_version)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=item, origin=origin)
    return item


@transaction.atomic
def record_audit_complete(
    *,
    actor: Any,
    audit: RecordAudit,
    findings: str,
    actions_for_agency: str,
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> RecordAudit:
    locked = RecordAudit.objects.select_for_update().get(pk=audit.pk)
    errors = {}
    if not findings.strip():
        errors["findings"] = "Enter the audit's findings."
    if locked.items.live().filter(graded_at__isnull=True).exists():
        errors["findings"] = "Grade every sampled record before completing the audit."
    elif locked.children.live().filter(graded_at__isnull=True).exists():
        errors["findings"] = (
            "Grade each agency's part and the multi-agency working for every sampled child "
            "before completing the audit."
        )
    if errors:
        raise ValidationError(errors)
    audit.findings = findings.strip()
    audit.actions_for_agency = actions_for_agency.strip()
    audit.status = AuditStatus.COMPLETE
    tracked_edit(audit, actor=actor, expected_version=expected_version)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=audit, origin=origin)
    return audit


def _snapshot(
    agency_id: int, on: dt.date, figures: DayFigures, *, now: dt.datetime, final: bool = True
) -> ComplianceSnapshot:
    return ComplianceSnapshot(
        agency_id=agency_id,
        on=on,
        computed_at=now,
        final=final,
        breakdown={grouping: figures[grouping] for grouping in GROUPINGS},
        **dict(zip(SNAPSHOT_FIELDS, figures["counts"], strict=True)),
    )


def _snapshots(
    agency_ids: list[int], on: dt.date, *, final: bool = True
) -> list[ComplianceSnapshot]:
    found = figures_of(compliance_for(on=on, agency_ids=agency_ids), agency_ids)
    now = timezone.now()
    return [
        _snapshot(agency_id, on, found[agency_id], now=now, final=final) for agency_id in agency_ids
    ]


@transaction.atomic
def compliance_snapshots_record(*, agency_ids: list[int], on: dt.date) -> int:
    """Judge compliance on ``on`` (a closed day) for those of these agencies with no final
    figures kept for it yet, and keep the counts. A closed day already kept is never replaced
    here, by the nightly job or by an import: figures once shown change only through
    ``compliance_snapshot_recompute``, which is deliberate and audited (issue 9 item 8).
    Returns how many were newly kept."""
    if on >= timezone.localdate():
        raise ValidationError("Only a day that has ended can be kept in the trend.")
    kept = set(
        ComplianceSnapshot.objects.filter(agency_id__in=agency_ids, on=on, final=True).values_list(
            "agency_id", flat=True
        )
    )
    missing = [agency_id for agency_id in agency_ids if agency_id not in kept]
    if not missing:
        return 0
    ComplianceSnapshot.objects.filter(agency_id__in=missing, on=on, final=False).delete()
    ComplianceSnapshot.objects.bulk_create(_snapshots(missing, on), ignore_conflicts=True)
    return len(missing)


def compliance_breakdown_fill(*, agency_id: int, on: dt.date) -> DayFigures:
    """A day kept before teams and staff groups were (month ends kept under decision 0003):
    judge the split by team and staff group now and keep it beside the counts, which stay as
    they were shown (issue 9 item 8). Returns the day's figures."""
    figures = figures_of(compliance_for(on=on, agency_ids=[agency_id]), [agency_id])[agency_id]
    breakdown = {grouping: figures[grouping] for grouping in GROUPINGS}
    ComplianceSnapshot.objects.filter(agency_id=agency_id, on=on).update(breakdown=breakdown)
    return figures


def compliance_today_refresh(*, agency_ids: list[int], today: dt.date) -> list[ComplianceSnapshot]:
    """Today's figures for these agencies, judged now and kept as today's (not final) row:
    the dashboards read it instead of judging a whole partnership on a page view (issue 17
    item 2). Written for every agency by the nightly job after it closes the day; again by
    ``tasks.compliance_today_refresh_task``, which the services that change the figures queue
    on commit (``core.hooks.compliance_changed``) and a reader queues when the row is older
    than ``TODAY_FRESH``; and, under a single-flight lock, by the first reader when there is
    no row at all."""
    fresh = _snapshots(agency_ids, today, final=False)
    with transaction.atomic():
        ComplianceSnapshot.objects.filter(agency_id__in=agency_ids, on=today, final=False).delete()
        ComplianceSnapshot.objects.bulk_create(fresh, ignore_conflicts=True)
    return fresh


BACKFILL_CHUNK_DAYS = 366
BACKFILL_FIELDS = ("agency", "on", "computed_at", "final", "breakdown", *SNAPSHOT_FIELDS)


def figures_backfill(
    *,
    today: dt.date,
    agency_ids: list[int] | None = None,
    since: dt.date | None = None,
    log: Any = None,
) -> int:
    """Keep the figures of every closed day that has none yet, for all the history the data
    covers (from the first post), or from ``since`` (issue 17 item 2: past periods read only
    snapshots). Run at the end of the demo and after an import, and nightly for the day just
    closed, whose "today" row it replaces by its final figures. Set-based: one sweep per year
    of days (``snapshots.compliance_sweep``), not ``compliance_for`` per day. A final day is
    never replaced (issue 9 item 8). Returns how many rows were kept."""
    from oversight.people.models import Membership

    ids = (
        sorted(agency_ids)
        if agency_ids is not None
        else [pk for pk in Agency.objects.live().order_by("pk").values_list("pk", flat=True)]
    )
    if not ids:
        return 0
    first = (
        since
        or Membership.objects.live()
        .filter(agency_id__in=ids)
        .aggregate(first=models.Min("starts_on"))["first"]
    )
    last = today - dt.timedelta(days=1)
    if first is None or last < first:
        return 0
    kept = set(
        ComplianceSnapshot.objects.filter(
            agency_id__in=ids, on__gte=first, on__lte=last, final=True
        ).values_list("agency_id", "on")
    )
    missing_days = sorted(
        {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}
        - _days_kept_for_all(kept, ids)
    )
    done = 0
    while missing_days:
        chunk_first = missing_days[0]
        chunk_last = min(last, chunk_first + dt.timedelta(days=BACKFILL_CHUNK_DAYS - 1))
        swept = compliance_sweep(first=chunk_first, last=chunk_last, agency_ids=ids)
        now = timezone.now()
        rows = [
            (
                agency_id,
                day,
                now,
                True,
                {grouping: figures[grouping] for grouping in GROUPINGS},
                *figures["counts"],
            )
            for (agency_id, day), figures in swept.items()
            if (agency_id, day) not in kept
        ]
        with transaction.atomic():
            ComplianceSnapshot.objects.filter(
                agency_id__in=ids, on__gte=chunk_first, on__lte=chunk_last, final=False
            ).delete()
            rows_insert(ComplianceSnapshot, BACKFILL_FIELDS, rows, ignore_conflicts=True)
        done += len(rows)
        if log:
            log(f"  figures kept {chunk_first} to {chunk_last}: {len(rows)} agency days")
        missing_days = [day for day in missing_days if day > chunk_last]
    return done


SWEEP_AFTER_DAYS = 7
"""More closed days than this to keep: one sweep over the history (children.sweeps), not a
count per day; fewer (the nightly job's one day): the count of each day."""


def trend_points_backfill(*, today: dt.date, since: dt.date | None = None) -> int:
    """Keep, where none are kept yet, what a past period's dashboard reads from the children's
    history (issue 17 item 2: past periods read only what is kept; decisions 0032 and 0034):
    - each agency's children-in-need cadence, and the children-discussed and several-agencies
      trends for the partnership and each agency, on every closed day, so a period may end on
      any day;
    - the drift trend, which reads whole months, at every closed month end, and on the day
      just closed.
    From 11 months before the data begins (the first post or child status, or ``since``), so
    that the 12-month trend of any period the data covers is kept too.
    Run with the nightly job (which then keeps only the day just closed), after an import and
    at the end of the demo. Returns how many points were kept."""
    from oversight.children import selectors as children
    from oversight.children.models import ChildStatus
    from oversight.people.models import Membership

    from .periods import add_months, month_ends, month_start
    from .selectors.children import CADENCE, cadence_on, trend_points

    agencies = list(Agency.objects.live().order_by("name"))
    last = month_start(today) - dt.timedelta(days=1)
    closed = today - dt.timedelta(days=1)
    begins = [
        since or model.objects.live().aggregate(first=models.Min("starts_on"))["first"]
        for model in (Membership, ChildStatus)
    ]
    if not agencies or not any(begins):
        return 0
    first = add_months(month_start(min(day for day in begins if day)), -11)
    if closed < first:
        return 0
    ids = {agency.pk for agency in agencies}
    scopes = [agencies, *([agency] for agency in agencies)]
    every_day = [first + dt.timedelta(days=n) for n in range((closed - first).days + 1)]
    kept = 0
    for key, sweep in (
        ("children_trend", children.cadence_shares_sweep),
        ("multi_agency_trend", children.partnership_shares_sweep),
    ):
        kept += _points_keep(
            key,
            [None, *sorted(ids)],
            every_day,
            sweep=lambda days, sweep=sweep: sweep(agency_ids=ids, first=days[0], last=days[-1]),
            count=lambda day, key=key: [trend_points(key, scope, [day], today) for scope in scopes],
        )
    kept += _points_keep(
        CADENCE,
        sorted(ids),
        every_day,
        sweep=lambda days: children.cadence_sweep(agency_ids=ids, first=days[0], last=days[-1]),
        count=lambda day: cadence_on(ids, day, today),
    )
    # The drift trend reads whole months: its month ends, and the day just closed.
    month_days = (
        month_ends(last, (last.year - first.year) * 12 + last.month - first.month + 1)
        if last >= first
        else []
    )
    kept += _points_keep(
        "drift_trend",
        [None, *sorted(ids)],
        month_days,
        sweep=lambda days: children.drift_resolution_sweep(agency_ids=ids, months=days),
        count=lambda day: [trend_points("drift_trend", scope, [day], today) for scope in scopes],
    )
    for scope in scopes:
        trend_points("drift_trend", scope, [closed], today)
    return kept


def _points_keep(
    key: str,
    scopes: list[int | None],
    days: list[dt.date],
    *,
    sweep: Any,
    count: Any,
) -> int:
    """Keep ``key``'s point for each scope on each of ``days`` that has none: by one
    ``sweep(missing days)`` over the history, or ``count(day)`` for each when only a few are
    missing (the nightly job's one). A point already kept stays as it was shown."""
    from .models import TrendPoint

    if not days:
        return 0
    kept = set(
        TrendPoint.objects.filter(key=key, on__gte=days[0], on__lte=days[-1]).values_list(
            "agency_id", "on"
        )
    )
    missing = [day for day in days if any((scope, day) not in kept for scope in scopes)]
    if not missing:
        return 0
    if len(missing) <= SWEEP_AFTER_DAYS:
        for day in missing:
            count(day)
        return len(missing) * len(scopes)
    swept = sweep(missing)
    wanted = set(missing)
    now = timezone.now()
    points = [
        (scope, key, day, n, w, now)
        for scope in scopes
        for day, (n, w) in swept[scope].items()
        if day in wanted and (scope, day) not in kept
    ]
    fields = ("agency", "key", "on", "n", "w", "computed_at")
    return rows_insert(TrendPoint, fields, points, ignore_conflicts=True)


def _days_kept_for_all(kept: set[tuple[int, dt.date]], ids: list[int]) -> set[dt.date]:
    by_day: dict[dt.date, int] = {}
    for _, day in kept:
        by_day[day] = by_day.get(day, 0) + 1
    return {day for day, n in by_day.items() if n == len(ids)}


RECOMPUTE_REASON_REQUIRED = "Enter why the month-end figures are being recomputed."


def _figures(snapshot: ComplianceSnapshot | None) -> dict[str, int] | None:
    if snapshot is None:
        return None
    return {name: getattr(snapshot, name) for name in SNAPSHOT_FIELDS}


@transaction.atomic
def compliance_snapshot_recompute(
    *,
    actor: Any,
    agency: Agency,
    on: dt.date,
    reason: str,
    origin: RequestOrigin | None = None,
) -> ComplianceSnapshot:
    """Recompute an agency's kept month-end compliance from the records as they stand now
    (for example after sessions were recorded late, or a relationship corrected), replacing
    what the trend showed. Only the administrator or the agency's lead, always with a
    reason, and the audit log keeps the figures before and after (issue 9 item 8; seed 001
    "Recording": open to inspection and audit)."""
    from oversight.people.selectors import access_profile

    profile = access_profile(actor)
    if not (profile.is_administrator or agency.pk in profile.led_agency_ids):
        raise ValidationError(
            "Only the administrator or the agency's safeguarding lead can recompute its figures."
        )
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = RECOMPUTE_REASON_REQUIRED
    if on >= timezone.localdate():
        errors["month_end"] = "Only a month that has ended can be recomputed."
    if errors:
        raise ValidationError(errors)
    snapshot = ComplianceSnapshot.objects.select_for_update().filter(agency=agency, on=on).first()
    old = _figures(snapshot)
    (fresh,) = _snapshots([agency.pk], on)
    if snapshot is None:
        snapshot = fresh
    else:
        for name in (*SNAPSHOT_FIELDS, "breakdown", "final", "computed_at"):
            setattr(snapshot, name, getattr(fresh, name))
    snapshot.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=agency,
        origin=origin,
        detail={
            "kind": "month_end_recompute",
            "on": on.isoformat(),
            "reason": reason,
            "before": old,
            "after": _figures(snapshot),
        },
    )
    return snapshot
