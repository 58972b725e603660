"""A period's session records and case discussions added up by agency (decision 0033): the
kept day tallies (``DayTally``) up to each agency's kept-through day, and the days after it
counted live, so a past period costs a few rows per day whatever it holds (issue 17 item 2).

A tally is a ``Counter`` keyed by (kind, key), as ``DayTally`` names them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Sum, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import Lag

from oversight.children.models import Child, ChildStatus
from oversight.core.tallies import days_not_kept

from ..models import CaseDiscussion, DayTally, SessionRecord, TallyKind

# How far back a child's previous rating is looked for: a rating older than a year says
# little about movement now. A discussion is compared with the child's previous one in the
# agency when that one was at most this long before it.
LOOKBACK = dt.timedelta(days=366)

Periods = list[tuple[dt.date, dt.date]]
Tally = Counter[tuple[str, str]]


def _bucket(field: str, periods: Periods | None) -> Any:
    """The day itself (``periods`` None, for keeping), or the index of the period it is in."""
    if periods is None:
        return F(field)
    return Case(
        *[When(**{f"{field}__range": period}, then=Value(n)) for n, period in enumerate(periods)],
        output_field=IntegerField(),
    )


def counted(
    agency_ids: list[int], start: dt.date, end: dt.date, periods: Periods | None = None
) -> Counter[tuple[int, Any, str, str]]:
    """How many of each kind, keyed by (agency, day or period index, kind, key), for the
    records and discussions from ``start`` to ``end``, counted from the rows themselves:
    three grouped reads, a few rows per agency and day (or period) whatever the number of
    records."""
    found: Counter[tuple[int, Any, str, str]] = Counter()
    records = (
        SessionRecord.objects.live()
        .filter(
            session__agency_id__in=agency_ids,
            session__held_on__gte=start,
            session__held_on__lte=end,
        )
        .annotate(bucket=_bucket("session__held_on", periods))
        .values_list("session__agency_id", "bucket", "key_elements")
        .annotate(n=Count("id"))
        .order_by()
    )
    for agency_id, bucket, elements, n in records:
        if bucket is None:
            continue
        found[(agency_id, bucket, TallyKind.RECORDS, "")] += n
        for element in set(elements or []):
            found[(agency_id, bucket, TallyKind.ELEMENT, element)] += n
    discussions = (
        CaseDiscussion.objects.live()
        .filter(agency_id__in=agency_ids, discussed_on__gte=start, discussed_on__lte=end)
        .annotate(bucket=_bucket("discussed_on", periods))
        .values_list("agency_id", "bucket", "specialist_referral", "review_themes")
        .annotate(n=Count("id"))
        .order_by()
    )
    for agency_id, bucket, referred, themes, n in discussions:
        if bucket is None:
            continue
        found[(agency_id, bucket, TallyKind.DISCUSSIONS, "")] += n
        if referred:
            found[(agency_id, bucket, TallyKind.REFERRED, "")] += n
        for theme in set(themes or []):
            found[(agency_id, bucket, TallyKind.THEME, theme)] += n
    for agency_id, bucket, before, rating, n in _rating_moves(agency_ids, start, end, periods):
        found[(agency_id, bucket, TallyKind.MOVE, f"{before}>{rating}")] += n
    for agency_id, before, status, day, n in status_moves(agency_ids, start, end):
        bucket = day if periods is None else _period_of(day, periods)
        if bucket is not None:
            found[(agency_id, bucket, TallyKind.STATUS, f"{before}>{status}")] += n
    return found


def _period_of(day: dt.date, periods: Periods) -> int | None:
    return next((n for n, (first, last) in enumerate(periods) if first <= day <= last), None)


def status_moves(
    agency_ids: list[int], first: dt.date, last: dt.date
) -> list[tuple[int, str, str, dt.date, int]]:
    """(agency, status before, status after, day, how many) for each change of legal status
    that began from ``first`` to ``last``: each status compared with the child's one before
    it, however long ago that began, in the database (one query, grouped by day). Counted
    by the child's agency (seed 004 "Assurance indicators" 4)."""
    if not agency_ids:
        return []
    statuses = ChildStatus._meta.db_table
    children = Child._meta.db_table
    marks = ", ".join(["%s"] * len(agency_ids))
    sql = f"""SELECT c.agency_id, s.before, s.status, s.starts_on, COUNT(*)
    FROM (
        SELECT child_id, starts_on, status,
            LAG(status) OVER (PARTITION BY child_id ORDER BY starts_on, id) AS before
        FROM {statuses}
        WHERE starts_on <= %s AND child_id IN (
            SELECT child_id FROM {statuses} WHERE starts_on >= %s AND starts_on <= %s
        )
    ) s
    JOIN {children} c ON c.id = s.child_id
    WHERE s.starts_on >= %s AND s.before <> s.status AND c.agency_id IN ({marks})
    GROUP BY c.agency_id, s.before, s.status, s.starts_on"""
    with connections[ChildStatus.objects.db].cursor() as cursor:
        cursor.execute(sql, [last, first, last, first, *agency_ids])
        rows = cursor.fetchall()
    return [
        (agency_id, before, status, as_date(day), moves)
        for agency_id, before, status, day, moves in rows
    ]


def _rating_moves(
    agency_ids: list[int], start: dt.date, end: dt.date, periods: Periods | None
) -> list[tuple[int, Any, str, str, int]]:
    """(agency, day or period index, rating before, rating, discussions) for each discussion
    from ``start`` to ``end`` whose child the agency discussed before, within LOOKBACK. The
    database pairs each discussion with the one before (a window over the index
    ``discussion_by_agency_child``) and counts the pairs (decision 0032)."""
    in_range = CaseDiscussion.objects.live().filter(
        agency_id__in=agency_ids, discussed_on__gte=start, discussed_on__lte=end
    )
    discussions = (
        CaseDiscussion.objects.live()
        .filter(
            agency_id__in=agency_ids,
            discussed_on__gte=start - LOOKBACK,
            discussed_on__lte=end,
            # Only the children discussed in the range: today's few, not a year's.
            child_id__in=in_range.values("child_id"),
        )
        .annotate(
            rated_before=Window(
                Lag("rag_rating"),
                partition_by=[F("agency_id"), F("child_id")],
                order_by=[F("discussed_on").asc(), F("id").asc()],
            ),
            before_on=Window(
                Lag("discussed_on"),
                partition_by=[F("agency_id"), F("child_id")],
                order_by=[F("discussed_on").asc(), F("id").asc()],
            ),
        )
        .order_by()
        .values_list("agency_id", "discussed_on", "before_on", "rated_before", "rag_rating")
    )
    inner, params = discussions.query.sql_with_params()
    connection = connections[discussions.db]
    if connection.vendor == "postgresql":
        apart = "discussed_on - before_on"
    else:
        apart = "julianday(discussed_on) - julianday(before_on)"
    bounds: list[Any] = []
    if periods is None:
        bucket = "discussed_on"
    else:
        bucket = "CASE " + " ".join(
            f"WHEN discussed_on BETWEEN %s AND %s THEN {n}" for n in range(len(periods))
        )
        bucket += " END"
        bounds = [day for period in periods for day in period]
    sql = (
        f"SELECT agency_id, {bucket} AS bucket, rated_before, rag_rating, COUNT(*) "
        f"FROM ({inner}) pairs WHERE rated_before IS NOT NULL AND discussed_on >= %s "
        f"AND {apart} <= %s GROUP BY 1, 2, 3, 4"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*bounds, *params, start, LOOKBACK.days])
        rows = cursor.fetchall()
    if periods is None and connection.vendor != "postgresql":
        rows = [(a, as_date(d), b, r, n) for a, d, b, r, n in rows]
    return [row for row in rows if row[1] is not None]


def as_date(value: Any) -> dt.date:
    """A date column read by raw SQL, as SQLite returns it too (a string)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def kept_through(agency_ids: list[int] | None = None) -> dict[int, dt.date]:
    """Each agency's last day whose tally is kept (missing: nothing kept yet); every agency's
    when ``agency_ids`` is None."""
    marks = DayTally.objects.filter(kind=TallyKind.THROUGH)
    if agency_ids is not None:
        marks = marks.filter(agency_id__in=agency_ids)
    return dict(marks.values_list("agency_id", "on"))


def tallies_in(*, agency_ids: list[int], periods: Periods) -> dict[int, list[Tally]]:
    """Each agency's tally for each period (in date order): the kept days added up in one
    query, and the days after the agency's kept-through day (today, usually) counted live."""
    found: dict[int, list[Tally]] = {pk: [Counter() for _ in periods] for pk in agency_ids}
    if not agency_ids or not periods:
        return found
    first, last = periods[0][0], periods[-1][1]
    through = kept_through(agency_ids)
    if through:
        kept = (
            DayTally.objects.filter(agency_id__in=list(through), on__gte=first, on__lte=last)
            .exclude(kind=TallyKind.THROUGH)
            .annotate(bucket=_bucket("on", periods))
            .values_list("agency_id", "bucket", "kind", "key")
            .annotate(total=Sum("n"))
            .order_by()
        )
        for agency_id, bucket, kind, key, n in kept:
            if bucket is not None:
                found[agency_id][bucket][(kind, key)] += n
    for since, ids in days_not_kept(agency_ids, through, start=first, end=last).items():
        for (agency_id, bucket, kind, key), n in counted(ids, since, last, periods).items():
            found[agency_id][bucket][(kind, key)] += n
    return found
