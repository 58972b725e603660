"""Background work for assurance (django-tasks): compute the closed months of the 12-month
compliance trend ahead of readers, so the first dashboard of the day does not pay for them.
Enqueue daily (and after a policy change) with ``assurance_trend_warm.enqueue()``."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def assurance_trend_warm(today: str | None = None) -> int:
    """Fill the cache for every closed month of the trend: the partnership and each agency."""
    from django.utils import timezone

    from .periods import month_ends
    from .selectors import _trend_point, agencies_all

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    agencies = agencies_all()
    scopes = [[a.pk for a in agencies]] + [[a.pk] for a in agencies]
    warmed = 0
    for ids in scopes:
        for end in month_ends(day)[:-1]:
            _trend_point(ids, end, day)
            warmed += 1
    return warmed
