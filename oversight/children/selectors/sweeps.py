"""Every day of a span at once, from the children's dated history (issue 17 item 2: past
periods read only what is kept, back-filled for all the history the data covers).

``figures.cadence_figures_by_agency`` answers for one day and ``figures.cadence_shares_on``
and ``figures.partnership_shares_on`` for a few given days; each pays a pass over every
child per call, so keeping every day of five years of history that way would take most of an
hour. A sweep reads the same history once, turns each child into the spans of days over
which it counts, and adds the spans up per scope (a difference array over the days). The
tests hold each sweep equal to its per-day function, day by day
(``tests/test_sweeps.py``)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from .. import cadence as rules_of_cadence
from .. import discussions as supervision_records
from ..models import CADENCE_STATUSES, AgencyInvolvement, Child, ChildStatus, DriftFlag
from ..partnership import PARTNERSHIP_DAYS
from .children import agency_rules

Span = tuple[int, int]  # inclusive day ordinals
Swept = dict[int | None, dict[dt.date, tuple[int, int]]]
"""Per scope (an agency's id, or None for the partnership), each day's (group, counted)."""

_NEVER_ENDS = dt.date.max.toordinal()


class _Counts:
    """Spans of whole numbers (day ordinals, or month numbers) added up per scope: a
    difference array of the group (``n``) and of those it counts (``w``) from ``first`` to
    ``last``; a span reaching outside them is cut to them."""

    def __init__(self, first: int, last: int, scopes: Iterable[int | None]) -> None:
        self.first = first
        self.size = last - first + 1
        self.steps = {scope: ([0] * (self.size + 1), [0] * (self.size + 1)) for scope in scopes}

    def add(self, scope: int | None, counted: bool, span: Span) -> None:
        start = max(span[0] - self.first, 0)
        end = min(span[1] - self.first, self.size - 1)
        if start > end:
            return
        steps = self.steps[scope][1 if counted else 0]
        steps[start] += 1
        steps[end + 1] -= 1

    def totals(self) -> dict[int | None, dict[int, tuple[int, int]]]:
        found: dict[int | None, dict[int, tuple[int, int]]] = {}
        for scope, (group, counted) in self.steps.items():
            n = w = 0
            running: dict[int, tuple[int, int]] = {}
            for at in range(self.size):
                n += group[at]
                w += counted[at]
                running[self.first + at] = (n, w)
            found[scope] = running
        return found


def _days(first: dt.date, last: dt.date, scopes: Iterable[int | None]) -> _Counts:
    return _Counts(first.toordinal(), last.toordinal(), scopes)


def _by_day(counts: _Counts) -> Swept:
    return {
        scope: {dt.date.fromordinal(day): figures for day, figures in by_day.items()}
        for scope, by_day in counts.totals().items()
    }


def _union(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _intersection(a: list[Span], b: list[Span]) -> list[Span]:
    """Of two merged, sorted lists of spans."""
    found: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start <= end:
            found.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return found


def _discussion_days(children: QuerySet[Child]) -> dict[int, list[int]]:
    """Each child's live discussion days (any agency's), sorted, as ordinals."""
    days: dict[int, set[int]] = defaultdict(set)
    rows = (
        supervision_records.discussions()
        .filter(child__in=children.values("pk"))
        .values_list("child_id", "discussed_on")
    )
    for child_id, on in rows.iterator(chunk_size=20000):
        days[child_id].add(on.toordinal())
    return {child_id: sorted(found) for child_id, found in days.items()}


def _ceilings(
    agency_ids: set[int], first: dt.date, last: dt.date
) -> dict[int, list[tuple[int, int, int]]]:
    """Each agency's discussion ceiling over the span, as (from, to, days) pieces: it
    changes only on the day an agency-wide policy takes effect (``children.agency_rules``)."""
    from oversight.contracts.models import SupervisionPolicy

    changes = set(
        SupervisionPolicy.objects.live()
        .filter(
            agency_id__in=agency_ids,
            staff_group__isnull=True,
            effective_from__gt=first,
            effective_from__lte=last,
        )
        .values_list("effective_from", flat=True)
    )
    starts = sorted({first, *changes})
    ends = [day - dt.timedelta(days=1) for day in starts[1:]] + [last]
    pieces: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for start, end in zip(starts, ends, strict=True):
        for agency_id, rules in agency_rules(set(agency_ids), on=start).items():
            pieces[agency_id].append((start.toordinal(), end.toordinal(), rules.ceiling_days))
    return pieces


def cadence_sweep(*, agency_ids: set[int], first: dt.date, last: dt.date) -> Swept:
    """``figures.cadence_figures_by_agency``'s children in need and those within their
    cadence, for every day from ``first`` to ``last`` (seed 004 objective 4). As that
    function counts a closed day: the children in need now, each within its cadence on a day
    when its later of "in this status since" and its last discussion by then is no more than
    the ceiling in force that day before it. A review meeting can make a child due sooner, but
    never overdue before its ceiling, so it does not change these two counts."""
    children = (
        Child.objects.live()
        .filter(agency_id__in=agency_ids, legal_status__in=CADENCE_STATUSES)
        .annotate(since=Coalesce("legal_status_since", TruncDate("created_at")))
    )
    discussed = _discussion_days(children)
    ceilings = _ceilings(agency_ids, first, last)
    days = _days(first, last, agency_ids)
    everyday = (first.toordinal(), last.toordinal())
    for child_id, agency_id, since in children.values_list("pk", "agency_id", "since"):
        days.add(agency_id, False, everyday)
        talks = discussed.get(child_id, [])
        for start, end, ceiling in ceilings[agency_id]:
            spans = [(0, since.toordinal() + ceiling)]
            spans += [(on, on + ceiling) for on in talks if start - ceiling <= on <= end]
            for span in _union(spans):
                days.add(agency_id, True, (max(span[0], start), min(span[1], end)))
    return _by_day(days)


def cadence_shares_sweep(*, agency_ids: set[int], first: dt.date, last: dt.date) -> Swept:
    """``figures.cadence_shares_on`` for every day from ``first`` to ``last``, for each
    agency and for them all (None): children in need that day by their status history, and
    those within three months then (the status began within them, or a discussion fell in
    them)."""
    window = rules_of_cadence.DEFAULT_CEILING_DAYS
    statuses = ChildStatus.objects.live().filter(
        child__archived_at__isnull=True,
        child__agency_id__in=agency_ids,
        status__in=CADENCE_STATUSES,
    )
    held: dict[int, list[Span]] = defaultdict(list)
    fresh: dict[int, list[Span]] = defaultdict(list)
    holder: dict[int, int] = {}
    for child_id, agency_id, starts_on, ends_on in statuses.values_list(
        "child_id", "child__agency_id", "starts_on", "ends_on"
    ).iterator(chunk_size=20000):
        start = starts_on.toordinal()
        end = ends_on.toordinal() if ends_on else _NEVER_ENDS
        held[child_id].append((start, end))
        fresh[child_id].append((start, min(end, start + window)))
        holder[child_id] = agency_id
    discussed = _discussion_days(Child.objects.filter(pk__in=statuses.values("child_id")))
    days = _days(first, last, [*agency_ids, None])
    for child_id, spans in held.items():
        agency_id = holder[child_id]
        in_need = _union(spans)
        recent = _union([(on, on + window) for on in discussed.get(child_id, [])])
        within = _union(fresh[child_id] + _intersection(in_need, recent))
        for scope in (agency_id, None):
            for span in in_need:
                days.add(scope, False, span)
            for span in within:
                days.add(scope, True, span)
    return _by_day(days)


def partnership_shares_sweep(*, agency_ids: set[int], first: dt.date, last: dt.date) -> Swept:
    """``figures.partnership_shares_on`` for every day from ``first`` to ``last``: for each
    agency (the children known to it and to another agency that day) and for them all
    (None), the children known to two or more agencies, and those every one of the agencies
    had discussed in the three months before (issue 13 item 7). Between two days on which
    an involvement starts or ends or a discussion enters or leaves the three months, a child
    counts the same, so each child is judged once per such stretch."""
    involvements: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    own = AgencyInvolvement.objects.live().exclude(case_reference="")
    rows = own.filter(child__archived_at__isnull=True).values_list(
        "child_id", "child__agency_id", "agency_id", "starts_on", "ends_on"
    )
    holder: dict[int, int] = {}
    for child_id, held_by, agency_id, starts_on, ends_on in rows.iterator(chunk_size=20000):
        end = ends_on.toordinal() if ends_on else _NEVER_ENDS
        involvements[child_id].append((agency_id, starts_on.toordinal(), end))
        holder[child_id] = held_by
    shared = {
        child_id
        for child_id, found in involvements.items()
        if any(agency_id != holder[child_id] for agency_id, _, _ in found)
    }
    elsewhere = own.exclude(agency_id=F("child__agency_id")).values("child_id")
    talks: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    path = supervision_records.agency_path()
    discussed = (
        supervision_records.discussions()
        .filter(child__in=elsewhere)
        .order_by("discussed_on")
        .values_list("child_id", path, "discussed_on")
    )
    for child_id, agency_id, on in discussed.iterator(chunk_size=20000):
        talks[child_id][agency_id].append(on.toordinal())

    def discussed_by(child_id: int, agency_id: int, day: int) -> bool:
        found = talks[child_id].get(agency_id, [])
        at = bisect_right(found, day)
        return at > 0 and found[at - 1] >= day - PARTNERSHIP_DAYS

    days = _days(first, last, [*agency_ids, None])
    for child_id in shared:
        held_by = holder[child_id]
        found = involvements[child_id]
        turns = {first.toordinal(), last.toordinal() + 1}
        for _, start, end in found:
            turns |= {start, end + 1}
        for on_days in talks[child_id].values():
            for on in on_days:
                turns |= {on, on + PARTNERSHIP_DAYS + 1}
        edges = sorted(turn for turn in turns if first.toordinal() <= turn <= last.toordinal() + 1)
        for day, following in pairwise(edges):
            involved = {agency_id for agency_id, start, end in found if start <= day <= end}
            if not involved - {held_by}:
                continue
            every = discussed_by(child_id, held_by, day) and all(
                discussed_by(child_id, agency_id, day) for agency_id in involved
            )
            scopes: list[int | None] = [a for a in involved | {held_by} if a in agency_ids]
            if scopes:
                scopes.append(None)
            for scope in scopes:
                days.add(scope, False, (day, following - 1))
                if every:
                    days.add(scope, True, (day, following - 1))
    return _by_day(days)


def drift_resolution_sweep(*, agency_ids: set[int], months: list[dt.date]) -> Swept:
    """``figures.drift_resolution_on`` for each of ``months`` (month ends), for each agency
    and for them all (None): drift flags waiting at some point in the month (raised by its
    end, not resolved before it began), and those resolved in it. A flag waits in every month
    from the one it was raised in to the one it was resolved in (to the last, while open) and
    counts as resolved in that last one."""
    if not months:
        return {scope: {} for scope in [*agency_ids, None]}

    def month(day: dt.date) -> int:
        return day.year * 12 + day.month - 1

    first, last = month(months[0]), month(months[-1])
    counts = _Counts(first, last, [*agency_ids, None])
    flags = DriftFlag.objects.live().filter(child__agency_id__in=agency_ids)
    for agency_id, raised_on, acknowledged_at in flags.values_list(
        "child__agency_id", "raised_on", "acknowledged_at"
    ).iterator(chunk_size=20000):
        start = month(raised_on)
        end = month(timezone.localtime(acknowledged_at).date()) if acknowledged_at else None
        if end is not None and end < start:
            continue  # resolved before it was raised: never waiting (as the per-day count)
        for scope in (agency_id, None):
            counts.add(scope, False, (start, last if end is None else end))
            if end is not None:
                counts.add(scope, True, (end, end))
    return {
        scope: {day: by_month[month(day)] for day in months}
        for scope, by_month in counts.totals().items()
    }
