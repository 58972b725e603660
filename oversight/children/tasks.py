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
    """Raise drift flags for every child of the agency (run nightly and after imports), then
    the partnership-level flags for those of its children known to other agencies too
    (issue 13 item 3)."""
    from django.utils import timezone

    from .services import drift_evaluate_agency, multi_agency_child_ids, partnership_drift_evaluate

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    raised = drift_evaluate_agency(agency_id=agency_id, today=day)
    shared = multi_agency_child_ids(on=day).filter(child__agency_id=agency_id)
    return raised + len(partnership_drift_evaluate(child_ids=list(shared), today=day))


@task()
def meeting_tallies_keep_task(today: str | None = None) -> int:
    """Keep the review meetings' day tallies up to the day just closed: all of history the
    first night (decision 0035)."""
    from django.utils import timezone

    from .services import meeting_tallies_keep

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return meeting_tallies_keep(through=day - dt.timedelta(days=1))


def enqueue_daily() -> list[Any]:
    """Drift evaluation for every live agency, and the review meetings' tallies of the day
    just closed (core.jobs; ChildrenConfig.daily_jobs)."""
    return [
        *(
            evaluate_drift_for_agency.enqueue(agency_id)
            for agency_id in Agency.objects.live().values_list("pk", flat=True)
        ),
        meeting_tallies_keep_task.enqueue(),
    ]
