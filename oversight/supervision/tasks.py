"""Background work for supervision (django-tasks): the daily session handover sweep."""

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


def enqueue_daily() -> list[Any]:
    """The daily session handover sweep and the overdue decisions' announcement (core.jobs;
    SupervisionConfig.daily_jobs)."""
    return [supervision_handover_sweep.enqueue(), decisions_overdue_announce.enqueue()]
