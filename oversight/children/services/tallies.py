"""Keeping the review meetings' day tallies (``MeetingTally``, decision 0035): every closed day
up to an agency's kept-through day, written by the back-fill and the nightly job, and
recounted by the services that add or move a meeting or a discussion, or change the agency's
review window. A day's figure depends on the child's previous meeting and last discussion,
so a change recounts every kept day on which the children it touches have a meeting."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable

from django.db import transaction
from django.utils import timezone

from oversight.core.tallies import BEGINNING, days_keep
from oversight.people.models import Agency

from ..models import MeetingTally, ReviewMeeting
from ..selectors.figures import meetings_counted


def _rows(
    agency_ids: Collection[int],
    start: dt.date,
    end: dt.date,
    days: Collection[dt.date] | None = None,
) -> list[MeetingTally]:
    return [
        MeetingTally(agency_id=agency_id, on=day, meetings=meetings, prepared=prepared)
        for (agency_id, day), (meetings, prepared) in meetings_counted(
            agency_ids, start=start, end=end, days=days
        ).items()
    ]


def _marks_locked(agency_ids: Iterable[int]) -> dict[int, MeetingTally]:
    """The agencies' kept-through rows, locked in agency order: a keep and a recount of the
    same agency wait for each other rather than interleave."""
    return {
        mark.agency_id: mark
        for mark in MeetingTally.objects.select_for_update()
        .filter(agency_id__in=sorted(set(agency_ids)), kept_through=True)
        .order_by("agency_id")
    }


@transaction.atomic
def meeting_tallies_keep(*, through: dt.date, agency_ids: list[int] | None = None) -> int:
    """Keep each agency's review meeting tallies for every day after its kept-through day up
    to ``through`` (a closed day): all of history the first time, the day just closed each
    night (issue 17 item 2: past periods read only what is kept). Returns the days written."""
    if through >= timezone.localdate():
        raise ValueError("Only a day that has ended is kept.")
    ids = agency_ids or list(Agency.objects.values_list("pk", flat=True))
    return days_keep(
        MeetingTally,
        ids,
        _marks_locked(ids),
        through=through,
        rows=lambda group, since: _rows(group, since, through),
        # Two first keeps at once: the second finds the mark made and waits for it.
        mark_new=lambda pk: MeetingTally.objects.get_or_create(
            agency_id=pk, kept_through=True, defaults={"on": through}
        ),
    )


def meeting_tallies_recount(
    *, child_ids: Iterable[int] = (), days: Iterable[tuple[int, dt.date]] = ()
) -> None:
    """Count again the kept days a change touched: every day on which one of ``child_ids``
    has a meeting (a new or moved meeting changes whether the child's next one was prepared
    for; a new or moved discussion, the meetings after it), and ``days``, (agency, day) pairs
    a meeting has left. Days not kept yet are counted live and need nothing. Called inside
    the service's transaction."""
    touched: dict[int, set[dt.date]] = defaultdict(set)
    for agency_id, day in days:
        touched[agency_id].add(day)
    children = set(child_ids)
    if children:
        for agency_id, day in (
            ReviewMeeting.objects.live()
            .filter(child_id__in=children)
            .values_list("child__agency_id", "meets_on")
        ):
            touched[agency_id].add(day)
    if not touched:
        return
    marks = _marks_locked(touched)
    for agency_id, mark in marks.items():
        kept = {day for day in touched[agency_id] if day <= mark.on}
        if not kept:
            continue
        MeetingTally.objects.filter(agency_id=agency_id, kept_through=False, on__in=kept).delete()
        MeetingTally.objects.bulk_create(_rows([agency_id], min(kept), max(kept), days=kept))


def meeting_tallies_recount_agency(*, agency_id: int) -> None:
    """Count again every kept day of the agency: its review window changed, and with it
    which meetings were prepared for."""
    mark = _marks_locked([agency_id]).get(agency_id)
    if mark is None:
        return
    MeetingTally.objects.filter(agency_id=agency_id, kept_through=False).delete()
    MeetingTally.objects.bulk_create(_rows([agency_id], BEGINNING, mark.on), batch_size=5000)
