"""Background work for children in view (django-tasks): drift evaluation for an agency. The
email alert to agency safeguarding leads about a disclosure goes through core's outbox
(``services.concerns.disclosure_alert_queue``), which retries it and shows a failure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from oversight.people.models import Agency


@task()
def evaluate_drift_for_agency(agency_id: int, today: str | None = None) -> int:
    """Raise drift flags for every child of the agency (run nightly and after imports)."""
    from .services import drift_evaluate_agency

    day = dt.date.fromisoformat(today) if today else None
    return drift_evaluate_agency(agency_id=agency_id, today=day)


def enqueue_daily() -> list[Any]:
    """Drift evaluation for every live agency (core.jobs; ChildrenConfig.daily_jobs)."""
    return [
        evaluate_drift_for_agency.enqueue(agency_id)
        for agency_id in Agency.objects.live().values_list("pk", flat=True)
    ]
