"""Background work for assurance (django-tasks): keep the closed months of the 12-month
compliance trend as ComplianceSnapshots ahead of readers, so no dashboard pays for them. A
month end once kept is not recomputed here (issue 9 item 8): only the audited
``services.compliance_snapshot_recompute`` changes it.
Enqueued daily by ``manage.py enqueue_daily_tasks`` (``enqueue_daily`` below), and worth
enqueuing after a policy change with ``assurance_trend_warm.enqueue()``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task


@task()
def assurance_trend_warm(today: str | None = None) -> int:
    """Keep a ComplianceSnapshot for every agency at each closed month end of the 12-month
    trend that has none yet; those already kept stay as they were shown. Returns the number
    of snapshots newly kept."""
    from django.utils import timezone

    from .periods import month_ends
    from .selectors import agencies_all
    from .services import compliance_snapshots_record

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    ids = [a.pk for a in agencies_all()]
    kept = 0
    for end in month_ends(day):
        if end < min(day, timezone.localdate()):
            kept += compliance_snapshots_record(agency_ids=ids, on=end)
    return kept


def enqueue_daily() -> list[Any]:
    """The daily trend warm-up (core.jobs; AssuranceConfig.daily_jobs)."""
    return [assurance_trend_warm.enqueue()]
