"""Background work for supervision (django-tasks): the daily session handover sweep, the
overdue decisions' announcement and the day tallies (decision 0033)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task


@task()
def supervision_handover_sweep(today: str | None = None) -> int:
    """Cancel the planned sessions of supervision relationships whose last day has passed and
    move their agenda to the new supervisor (seed 001 "Supervisor responsibilities")."""
    from .services.handover import session_handover_sweep

    day = dt.date.fromisoformat(today) if today else None
    return session_handover_sweep(today=day)


@task()
def decisions_overdue_announce(today: str | None = None) -> int:
    """Announce the decisions whose time to reach the child's file has run out (core.events)."""
    from .services.oversight import decisions_overdue_announce as announce

    day = dt.date.fromisoformat(today) if today else None
    return announce(today=day)


@task()
def day_tallies_keep_task(today: str | None = None) -> int:
    """Keep the day tallies of records and discussions up to the day just closed: all of
    history the first night (decision 0033)."""
    from django.utils import timezone

    from .services.tallies import day_tallies_keep

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return day_tallies_keep(through=day - dt.timedelta(days=1))


def enqueue_daily() -> list[Any]:
    """The daily session handover sweep, the overdue decisions' announcement and the day
    tallies of the day just closed (core.jobs; SupervisionConfig.daily_jobs)."""
    return [
        supervision_handover_sweep.enqueue(),
        decisions_overdue_announce.enqueue(),
        day_tallies_keep_task.enqueue(),
    ]
