"""What the kept day tallies share (decisions 0033 and 0035): each agency's days are kept up
to its own last kept day, so the days still to count, whether to keep them or to count them
live for a page, start the day after that mark."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model

# The earliest day a first keep counts from: all of history.
BEGINNING = dt.date(1900, 1, 1)


def days_not_kept(
    agency_ids: Iterable[int], kept_through: dict[int, dt.date], *, start: dt.date, end: dt.date
) -> dict[dt.date, list[int]]:
    """The agencies with days from ``start`` to ``end`` not kept yet, grouped by the first of
    those days (the day after their mark, or ``start``): agencies kept through the same day
    share one count of the days after it."""
    found: dict[dt.date, list[int]] = defaultdict(list)
    for pk in sorted(set(agency_ids)):
        since = max(start, kept_through[pk] + dt.timedelta(days=1)) if pk in kept_through else start
        if since <= end:
            found[since].append(pk)
    return dict(found)


def days_keep(
    model: type[Model],
    agency_ids: Iterable[int],
    marks: dict[int, Any],
    *,
    through: dt.date,
    rows: Callable[[list[int], dt.date], list[Any]],
    mark_new: Callable[[int], Any],
) -> int:
    """Keep each agency's days after its mark (``marks``: its kept-through row, locked by the
    caller, with ``on``) up to ``through``: ``rows(agencies, since)`` counts them, written to
    ``model`` in bulk; each mark then moves to ``through`` (``mark_new(agency)`` makes a
    first one). Returns the rows written."""
    kept = {pk: mark.on for pk, mark in marks.items()}
    written = 0
    for since, group in days_not_kept(agency_ids, kept, start=BEGINNING, end=through).items():
        counted = rows(group, since)
        model._default_manager.bulk_create(counted, batch_size=5000)
        written += len(counted)
        for pk in group:
            if pk in marks:
                marks[pk].on = through
                marks[pk].save(update_fields=["on"])
            else:
                mark_new(pk)
    return written
