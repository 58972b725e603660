"""Keeping the day tallies of records and discussions (``DayTally``, decision 0033): every
closed day up to an agency's kept-through day, written by the back-fill and the nightly job,
and recounted by the services that add or change a record or discussion on a kept day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from oversight.core.tallies import days_keep
from oversight.people.models import Agency

from ..models import CaseDiscussion, DayTally, TallyKind
from ..selectors.tallies import counted


def _rows(agency_ids: list[int], start: dt.date, end: dt.date) -> list[DayTally]:
    return [
        DayTally(agency_id=agency_id, on=day, kind=kind, key=key, n=n)
        for (agency_id, day, kind, key), n in counted(agency_ids, start, end).items()
    ]


@transaction.atomic
def day_tallies_keep(*, through: dt.date, agency_ids: list[int] | None = None) -> int:
    """Keep each agency's tallies for every day after its kept-through day up to ``through``
    (a closed day): all of history the first time, the day just closed each night (issue 17
    item 2: past periods read only what is kept). Returns the rows written."""
    if through >= timezone.localdate():
        raise ValueError("Only a day that has ended is kept.")
    ids = agency_ids or list(Agency.objects.values_list("pk", flat=True))
    # Each agency's row is locked while its days are counted: a record changed meanwhile
    # waits, then recounts the day it touches (day_tallies_recount). "No key" lets rows that
    # refer to the agency still be written.
    locked = {
        a.pk: a
        for a in Agency.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
    }
    marks = {
        row.agency_id: row
        for row in DayTally.objects.filter(agency_id__in=list(locked), kind=TallyKind.THROUGH)
    }
    return days_keep(
        DayTally,
        locked,
        marks,
        through=through,
        rows=lambda group, since: _rows(group, since, through),
        mark_new=lambda pk: DayTally.objects.create(
            agency_id=pk, on=through, kind=TallyKind.THROUGH, key="", n=0
        ),
    )


def on_child_status_changed(*, agency_id: int, day: dt.date) -> None:
    """A child's change of legal status on ``day`` counts in its agency's tally of that day
    (core.hooks.child_status_changed)."""
    day_tallies_recount(agency_id=agency_id, days=[day])


def day_tallies_recount(
    *, agency_id: int, days: Iterable[dt.date], child_ids: Iterable[int] = ()
) -> None:
    """Count again the kept days a change touched: ``days``, and for each child whose
    discussions changed, the day of its next discussion in the agency after each of them
    (that discussion is compared with the changed one). Days not kept yet are counted live
    and need nothing. Called inside the service's transaction."""
    # The nightly keep holds the agency's row while it counts: its kept-through day is read
    # once it has finished, so a day it counted without this change is recounted here.
    Agency.objects.select_for_update(no_key=True).filter(pk=agency_id).first()
    mark = DayTally.objects.filter(agency_id=agency_id, kind=TallyKind.THROUGH).first()
    changed, children = set(days), set(child_ids)
    if mark is None or not changed:
        return
    touched = {day for day in changed if day <= mark.on}
    if children:
        following = list(
            CaseDiscussion.objects.live()
            .filter(agency_id=agency_id, child_id__in=children, discussed_on__gt=min(changed))
            .order_by("discussed_on", "id")
            .values_list("child_id", "discussed_on")
        )
        for day in changed:
            for child in children:
                later = next((on for c, on in following if c == child and on > day), None)
                if later is not None and later <= mark.on:
                    touched.add(later)
    if not touched:
        return
    DayTally.objects.filter(agency_id=agency_id, on__in=touched).exclude(
        kind=TallyKind.THROUGH
    ).delete()
    DayTally.objects.bulk_create(
        [row for day in sorted(touched) for row in _rows([agency_id], day, day)]
    )
