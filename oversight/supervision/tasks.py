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


def enqueue_daily() -> list[Any]:
    """The daily session handover sweep (core.jobs; SupervisionConfig.daily_jobs)."""
    return [supervision_handover_sweep.enqueue()]
