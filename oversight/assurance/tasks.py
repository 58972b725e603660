"""Background work for assurance (django-tasks): keep staff compliance for every closed day
as ComplianceSnapshots ahead of readers, so no dashboard pays for them (issue 17 item 2). A
day once kept is not recomputed here (issue 9 item 8): only the audited
``services.compliance_snapshot_recompute`` changes it.
Enqueued daily by ``manage.py enqueue_daily_tasks`` (``enqueue_daily`` below)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django_tasks import task

from oversight.core.singleflight import cache_claim


@task()
def assurance_trend_warm(today: str | None = None) -> int:
    """Keep the figures of each closed day that has none yet: the day just closed (replacing
    its "today" row), or all history on a new database (``services.figures_backfill``); those
    already kept stay as they were shown. Then keeps each dashboard's figures for the new
    day's default period. Returns the number of agency days newly kept."""
    from django.utils import timezone

    from .selectors import agencies_all
    from .services import compliance_today_refresh, figures_backfill, trend_points_backfill

    day = min(dt.date.fromisoformat(today) if today else timezone.localdate(), timezone.localdate())
    kept = figures_backfill(today=day)
    if day == timezone.localdate():
        # Today's row for every agency, so the first visit of the day finds one.
        compliance_today_refresh(agency_ids=[a.pk for a in agencies_all()], today=day)
    trend_points_backfill(today=day)
    dashboards_warm(day)
    return kept


@task()
def dashboard_tables_refresh(scope: str, start: str, end: str, today: str) -> str:
    """Compute a dashboard's figures again and keep them (queued by a reader who found them
    older than five minutes, issue 17 item 2), so no page view pays for it."""
    from .selectors.dashboards import tables_changed_key, tables_keep
    from .selectors.period import Period

    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    day = dt.date.fromisoformat(today)
    # A change from here on queues another refresh (``tables_changed``).
    cache.delete(tables_changed_key(scope, period, day))
    if period.end >= day:
        _today_rows_freshen(scope, day)
    tables_keep(scope, period, day)
    return scope


def _today_rows_freshen(scope: str, today: dt.date) -> None:
    """Judge again here, in the background, the scope's today's rows that are missing or
    more than five minutes old: the tables would otherwise show them and queue their
    refresh, and that refresh would compute the tables a second time."""
    from django.utils import timezone

    from .models import ComplianceSnapshot
    from .selectors import agencies_all
    from .services import compliance_today_refresh
    from .snapshots import TODAY_FRESH

    if scope == "partnership":
        ids = [agency.pk for agency in agencies_all()]
    else:
        ids = [int(scope.removeprefix("agency-"))]
    fresh = set(
        ComplianceSnapshot.objects.filter(
            agency_id__in=ids,
            on=today,
            final=False,
            computed_at__gte=timezone.now() - TODAY_FRESH,
        ).values_list("agency_id", flat=True)
    )
    stale = [agency_id for agency_id in ids if agency_id not in fresh]
    if stale:
        compliance_today_refresh(agency_ids=stale, today=today)


# How long a queued refresh of today's figures holds off another for the same agency; the
# task frees it as it starts, so this only matters if the worker loses the task.
TODAY_QUEUED_SECONDS = 5 * 60
# Beyond this many people (an import), every agency is refreshed rather than their posts read.
MANY_PEOPLE = 500


def _today_queued_key(agency_id: int) -> str:
    return f"assurance:compliance-today:{agency_id}:queued"


def compliance_today_queue(
    *, agency_ids: Iterable[int] = (), person_ids: Iterable[int] = ()
) -> Any:
    """``core.hooks.compliance_changed``, and a reader who found today's row stale: queue one
    refresh of today's figures for these agencies and the agencies these people hold posts
    in. An agency already queued is not queued again (a ``cache_claim`` guard), so a burst of
    changes costs one refresh (issue 17 item 2, decision 0023)."""
    from oversight.people.models import Agency, Membership

    ids = set(agency_ids)
    people = list(person_ids)
    if len(people) > MANY_PEOPLE:
        ids.update(Agency.objects.live().values_list("pk", flat=True))
    elif people:
        ids.update(
            Membership.objects.live()
            .filter(person_id__in=people)
            .values_list("agency_id", flat=True)
        )
    queued = [
        agency_id
        for agency_id in sorted(ids)
        if cache_claim(_today_queued_key(agency_id), timeout=TODAY_QUEUED_SECONDS)
    ]
    if not queued:
        return None
    return compliance_today_refresh_task.enqueue(agency_ids=queued)


@task()
def compliance_today_refresh_task(agency_ids: list[int]) -> int:
    """Judge today's staff compliance again for these agencies and keep it
    (``services.compliance_today_refresh``), then refresh the kept dashboard tables that show
    it (the agencies' and the partnership's default period), so the next page view shows the
    change without computing anything (issue 17 item 2). Returns how many agencies."""
    from django.utils import timezone

    from .selectors.dashboards import tables_changed
    from .services import compliance_today_refresh

    cache.delete_many([_today_queued_key(agency_id) for agency_id in agency_ids])
    today = timezone.localdate()
    compliance_today_refresh(agency_ids=agency_ids, today=today)
    for scope in ("partnership", *(f"agency-{agency_id}" for agency_id in agency_ids)):
        tables_changed(scope, today)
    return len(agency_ids)


def dashboards_warm(today: dt.date) -> int:
    """Keep every dashboard's figures for the default period of ``today`` (the partnership
    and each agency), so the first visit of the day reads them (issue 17 item 2)."""
    from .selectors import agencies_all, default_period
    from .selectors.dashboards import tables_keep

    scopes = ["partnership", *(f"agency-{a.pk}" for a in agencies_all())]
    for scope in scopes:
        tables_keep(scope, default_period(today), today)
    return len(scopes)


@task()
def evaluation_reminders(today: str | None = None) -> int:
    """In the first week of an evaluation round, each supervisee who has not yet evaluated a
    current supervisor is to be reminded (issue 11 item 4). Assurance raises the event
    (``core.hooks.event``); notifications, which assurance does not import, sends each
    reminder once a round. Returns how many were raised."""
    from django.utils import timezone

    from oversight.core import hooks
    from oversight.people.models import SupervisionRelationship

    from .models import EvaluationParticipation
    from .periods import round_bounds
    from .services import evaluation_interval

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    answered = set(
        EvaluationParticipation.objects.filter(
            round__opens_on__lte=day, round__closes_on__gte=day
        ).values_list("respondent_id", "round__agency_id", "supervisor_id")
    )
    intervals: dict[int, int] = {}
    raised = 0
    for relationship in SupervisionRelationship.objects.on(day).select_related(
        "supervisee", "supervisor"
    ):
        agency_id = relationship.agency_id
        if agency_id not in intervals:
            intervals[agency_id] = evaluation_interval(agency_id)
        opens, closes = round_bounds(day, intervals[agency_id])
        if (day - opens).days >= 7:
            continue
        if (relationship.supervisee_id, agency_id, relationship.supervisor_id) in answered:
            continue
        hooks.event(
            "evaluation_unanswered", relationship=relationship, opens_on=opens, closes_on=closes
        )
        raised += 1
    return raised


@task()
def figures_backfill_task() -> int:
    """Keep the figures and trend points of the closed days an import reached back to
    (issue 17 item 2)."""
    from django.utils import timezone

    from .services import figures_backfill, trend_points_backfill

    kept = figures_backfill(today=timezone.localdate())
    trend_points_backfill(today=timezone.localdate())
    return kept


def enqueue_figures_backfill() -> Any:
    """``core.hooks.history_imported``: queue the back-fill rather than make the import wait."""
    return figures_backfill_task.enqueue()


def enqueue_daily() -> list[Any]:
    """The daily trend warm-up and evaluation reminders (core.jobs; AssuranceConfig.daily_jobs)."""
    from django.utils import timezone

    day = timezone.localdate().isoformat()
    return [assurance_trend_warm.enqueue(), evaluation_reminders.enqueue(today=day)]
