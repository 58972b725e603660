"""Background work for contracts (django-tasks): the daily handover sweep."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task


@task()
def contracts_handover_sweep(today: str | None = None) -> int:
    """End contracts whose supervision relationship has ended and draft the successor's
    (seed 001 "Supervisor responsibilities": a handover when line management changes)."""
    from .services import contract_handover_sweep

    day = dt.date.fromisoformat(today) if today else None
    return contract_handover_sweep(today=day)


def enqueue_daily() -> list[Any]:
    """The daily handover sweep (core.jobs; ContractsConfig.daily_jobs)."""
    return [contracts_handover_sweep.enqueue()]
