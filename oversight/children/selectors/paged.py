"""The children list and the children-due lists sized by the page, not by the caseload (issue
17 item 3): the cadence rules (``cadence.next_discussion_due``) written once more as SQL, so
that the counts, the "Show" filter, the order and the page of fifty are done in the database
and only the rows a page shows are loaded whole (``hydrate``). A lead's agency holds about
9,000 children; evaluating each of them in Python on every page and filter change took 270 ms.

The SQL gives the same answers as the Python rules (``children/tests/test_paged.py`` holds the
two together): the due date is the earlier of the ceiling (the later of the last discussion and
the status start, plus the agency's ceiling) and the next review meeting while that meeting is
not prepared for. Working days are the one thing SQL cannot count, and it need not: a
discussion (on or before today) can prepare for a meeting only once the meeting's window has
opened, so only meetings within the window of today matter, and their first days are worked
out here and passed in (a handful of dates per agency).

The annotated children are read once (a materialised CTE: each child's last discussion, next
and previous meeting and drift flags are looked up once), then counted and paged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet, Value

from oversight.core.prepared import prepared
from oversight.people.selectors import access_profile

from .. import cadence as rules_of_cadence
from ..models import CADENCE_STATUSES, Child, DriftFlag, ReviewMeeting
from .children import (
    DUE_SHOWN,
    AgencyRules,
    ChildRow,
    DueLists,
    _in_cadence,
    agency_rules,
    agency_rules_in_view,
    cadence_of,
    children_visible_to,
    with_cadence,
)

# The children list's "Show" choices, as conditions on the computed columns.
SHOWN = {
    "overdue": "overdue = 1",
    "due_soon": "due_soon = 1",
    "before_review": "before_review = 1",
    "drifting": "drifting = 1",
}


@dataclass
class CadenceCounts:
    """How many children in view are overdue, due soon, to discuss before the review and
    flagged for drift; ``shown``: how many the "Show" choice keeps."""

    children: int = 0
    overdue: int = 0
    due_soon: int = 0
    before_review: int = 0
    drifting: int = 0
    shown: int = 0


@dataclass
class ChildListPage:
    counts: CadenceCounts
    page: Page
    rows: list[ChildRow] = field(default_factory=list)


class _OnePage(Sequence[Any]):
    """What the paginator pages: as long as every row shown, holding only one page's rows."""

    def __init__(self, length: int, offset: int, rows: list[Any]) -> None:
        self.length, self.offset, self.rows = length, offset, rows

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            start = (index.start or 0) - self.offset
            stop = (self.length if index.stop is None else index.stop) - self.offset
            return self.rows[max(start, 0) : max(stop, 0)]
        return self.rows[index - self.offset]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)


def _date_plus_days(date_sql: str, days_sql: str) -> str:
    if connection.vendor == "postgresql":
        return f"({date_sql} + {days_sql})"
    return f"date({date_sql}, '+' || ({days_sql}) || ' days')"


def _by_name(column: str) -> str:
    """Names in code-point order, as Python sorts them (the lists sorted in Python before)."""
    return f'{column} COLLATE "C"' if connection.vendor == "postgresql" else column


def _open_windows(rules: AgencyRules, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(meeting day, first day of its window) for each meeting day from today whose window
    has opened by today: the only meetings a discussion held by today can have prepared for."""
    found: list[tuple[dt.date, dt.date]] = []
    day = today
    while True:
        opens = rules_of_cadence.review_window_opens_on(
            meets_on=day, window_working_days=rules.window_working_days, nation=rules.nation
        )
        if opens > today:
            return found
        found.append((day, opens))
        day += dt.timedelta(days=1)


def _cadence_cte(
    children: QuerySet[Child], *, today: dt.date, rules: dict[int, AgencyRules], flags: bool = True
) -> tuple[str, list[Any]]:
    """``WITH base AS MATERIALIZED (...), calc AS (...)``: one row per child with ``cid``,
    ``name``, ``due_on`` and the flags ``overdue``, ``due_soon``, ``before_review`` and
    ``drifting`` (0 or 1)."""
    # Open drift flags only where a list counts them (not for the figures).
    drifting = (
        Exists(DriftFlag.objects.live().filter(child=OuterRef("pk"), acknowledged_at__isnull=True))
        if flags
        else Value(False)
    )
    base = (
        with_cadence(children.order_by(), today=today, lean=True)
        .annotate(drifting=drifting)
        .values(
            cid=F("pk"),
            name=F("display_name"),
            held_by=F("agency_id"),
            legal=F("legal_status"),
            since_on=F("status_since"),
            last_on=F("last_discussed_on"),
            next_on=F("next_meeting_on"),
            flagged=F("drifting"),
        )
    )
    base_sql, base_params = base.query.sql_with_params()
    params: list[Any] = list(base_params)

    ceiling_sql = "CASE b.held_by"
    ceiling_params: list[Any] = []
    for agency_id, rule in sorted(rules.items()):
        ceiling_sql += " WHEN %s THEN %s"
        ceiling_params += [agency_id, rule.ceiling_days]
    ceiling_sql += f" ELSE {rules_of_cadence.DEFAULT_CEILING_DAYS} END"
    if not rules:
        ceiling_sql = str(rules_of_cadence.DEFAULT_CEILING_DAYS)

    # Agencies sharing a window and a nation share their meetings' first days.
    groups: dict[tuple[int, str], list[int]] = {}
    for agency_id, rule in sorted(rules.items()):
        groups.setdefault((rule.window_working_days, rule.nation), []).append(agency_id)
    opens_sql = "CASE WHEN b.next_on IS NULL THEN NULL"
    opens_params: list[Any] = []
    for agency_ids in groups.values():
        rule = rules[agency_ids[0]]
        marks = ", ".join(["%s"] * len(agency_ids))
        for meets_on, opens_on in _open_windows(rule, today):
            opens_sql += f" WHEN b.held_by IN ({marks}) AND b.next_on = %s THEN %s"
            opens_params += [*agency_ids, meets_on, opens_on]
    opens_sql += " ELSE NULL END"
    if connection.vendor == "postgresql":
        opens_sql = f"CAST({opens_sql} AS date)"  # a date even when no window is open

    # The previous meeting matters only to a child discussed inside an open window (a few):
    # the discussion prepares for the next meeting unless a meeting came between (on or after
    # the discussion, before today), looked up for those children alone.
    meetings = ReviewMeeting._meta.db_table
    statuses = sorted(CADENCE_STATUSES)
    status_marks = ", ".join(["%s"] * len(statuses))
    materialised = "AS MATERIALIZED" if connection.vendor == "postgresql" else "AS"
    sql = f"""WITH base {materialised} ({base_sql}),
    steps AS (
        SELECT b.cid, b.name, b.held_by, b.next_on, b.last_on,
            CASE WHEN b.flagged THEN 1 ELSE 0 END AS drifting,
            CASE WHEN b.legal IN ({status_marks}) THEN 1 ELSE 0 END AS counted,
            {
        _date_plus_days(
            "CASE WHEN b.last_on IS NOT NULL AND b.last_on > b.since_on "
            "THEN b.last_on ELSE b.since_on END",
            ceiling_sql,
        )
    } AS ceiling_due,
            {opens_sql} AS opens_on
        FROM base b
    ),
    prepared AS (
        SELECT s.*,
            CASE WHEN s.next_on IS NULL THEN 0
                WHEN s.opens_on IS NULL OR s.last_on IS NULL OR s.last_on < s.opens_on THEN 1
                WHEN EXISTS (
                    SELECT 1 FROM {meetings} r WHERE r.child_id = s.cid
                        AND r.archived_at IS NULL AND r.meets_on < %s AND r.meets_on >= s.last_on
                ) THEN 1 ELSE 0 END AS unprepared
        FROM steps s
    ),
    dated AS (
        SELECT p.*,
            CASE WHEN p.counted = 0 THEN NULL
                WHEN p.unprepared = 1 AND p.next_on < p.ceiling_due THEN p.next_on
                ELSE p.ceiling_due END AS due_on
        FROM prepared p
    ),
    calc AS (
        SELECT d.cid, d.name, d.held_by, d.due_on, d.drifting, d.counted,
            CASE WHEN d.last_on IS NULL THEN 1 ELSE 0 END AS never,
            CASE WHEN d.due_on < %s THEN 1 ELSE 0 END AS overdue,
            CASE WHEN d.due_on >= %s AND d.due_on <= %s THEN 1 ELSE 0 END AS due_soon,
            CASE WHEN d.counted = 1 AND d.unprepared = 1 AND d.opens_on IS NOT NULL
                THEN 1 ELSE 0 END AS before_review
        FROM dated d
    )"""
    soon = today + dt.timedelta(days=rules_of_cadence.DUE_SOON_DAYS)
    params += [*statuses, *ceiling_params, *opens_params, today, today, today, soon]
    return sql, params


def _rules_for(children: QuerySet[Child], today: dt.date) -> dict[int, AgencyRules]:
    """The rules of the agencies holding these children (their ids read in the same query)."""
    return agency_rules(children.order_by().values("agency_id"), on=today)


def _rows_of(ids: list[int], rules: dict[int, AgencyRules], today: dt.date) -> list[ChildRow]:
    """The children themselves, in the order given, with their cadence (one query)."""
    rows: list[ChildRow] = []
    if not ids:
        return rows
    found = {c.pk: c for c in _children_with_cadence(ids=ids, today=today)}
    for pk in ids:
        child = found[pk]
        rule = (
            rules.get(child.agency_id) or agency_rules({child.agency_id}, on=today)[child.agency_id]
        )
        c = cadence_of(child, rule, today=today)
        flags = c.is_overdue(today), c.is_due_soon(today), c.discuss_before_review(today)
        rows.append(ChildRow(child, c, *flags))
    return rows


@prepared
def _children_with_cadence(*, ids: list[int], today: dt.date) -> QuerySet[Child]:
    """A page's children with what their cadence needs, compiled once per page size
    (core.prepared)."""
    return with_cadence(Child.objects.filter(pk__in=ids), today=today)


def child_list_page(
    children: QuerySet[Child],
    *,
    today: dt.date,
    show: str = "",
    page: Any = 1,
    per_page: int = 50,
    rules: dict[int, AgencyRules] | None = None,
) -> ChildListPage:
    """One page of the children list, overdue first, then by the date due and the name: the
    counts of all, the rows the "Show" choice keeps, and the page asked for (the last one if
    it is past the end, the first if it is not a number, as ``Paginator.get_page``). Five
    queries however many children (agencies, settings, policies, the page, its children)."""
    number = _page_number(page)
    # The page asked for, or the last one when it is past the end or below one (as
    # Paginator.get_page), chosen in the same query as the counts.
    last_index = f"(CASE WHEN n.shown = 0 THEN 0 ELSE (n.shown - 1) / {int(per_page)} END)"
    rules, counts, ids = _listed(
        children,
        today=today,
        show=show,
        rules=rules,
        window=f"""LIMIT {int(per_page)} OFFSET (
            SELECT {int(per_page)} * CASE WHEN %s < 1 OR %s - 1 > {last_index}
                THEN {last_index} ELSE %s - 1 END
            FROM totals n
        )""",
        window_params=[number, number, number],
    )
    last_page = max(1, -(-counts.shown // per_page))
    if number < 1 or number > last_page:
        number = last_page
    return _list_page(counts, ids, number, rules, today=today, per_page=per_page)


@dataclass
class ChildListOrder:
    """Every child the list shows, in its order, with the counts of all: what a wide view
    keeps for a few minutes (``core.home.kept_for_wide_scope``), so that turning a page of a
    lead's eight thousand children reads only that page's fifty (issue 17 item 3)."""

    counts: CadenceCounts
    ids: list[int]


def child_list_order(
    children: QuerySet[Child],
    *,
    today: dt.date,
    show: str = "",
    rules: dict[int, AgencyRules] | None = None,
) -> ChildListOrder:
    """The children list's order and counts, as ``child_list_page`` works them out, for
    ``child_list_page_of``. Four queries however many children."""
    _, counts, ids = _listed(children, today=today, show=show, rules=rules)
    return ChildListOrder(counts=counts, ids=ids)


def _listed(
    children: QuerySet[Child],
    *,
    today: dt.date,
    show: str,
    window: str = "",
    window_params: Sequence[Any] = (),
    rules: dict[int, AgencyRules] | None = None,
) -> tuple[dict[int, AgencyRules], CadenceCounts, list[int]]:
    """The counts of all these children and the ids of those ``show`` keeps, in the list's
    order, cut by ``window`` (a LIMIT and OFFSET, or nothing for all), in one query.
    ``rules``: those of at least every agency holding one of ``children``
    (``agency_rules_in_view``), or None to read them for these children."""
    if rules is None:
        rules = _rules_for(children, today)
    cte, params = _cadence_cte(children, today=today, rules=rules)
    shown = SHOWN.get(show, "1 = 1")
    order = (
        f"overdue DESC, CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, {_by_name('name')}, cid"
    )
    sql = f"""{cte},
    totals AS (
        SELECT COUNT(*) AS children, SUM(overdue) AS overdue, SUM(due_soon) AS due_soon,
            SUM(before_review) AS before_review, SUM(drifting) AS drifting,
            SUM(CASE WHEN {shown} THEN 1 ELSE 0 END) AS shown
        FROM calc
    )
    SELECT 0, children, overdue, due_soon, before_review, drifting, shown FROM totals
    UNION ALL
    SELECT * FROM (
        SELECT 1, cid, 0, 0, 0, 0, 0 FROM calc WHERE {shown} ORDER BY {order} {window}
    ) listed"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *window_params])
        found = list(cursor.fetchall())
    totals = next(r for r in found if r[0] == 0)
    counts = CadenceCounts(*(int(v or 0) for v in totals[1:]))
    return rules, counts, [r[1] for r in found if r[0] == 1]


def child_list_page_of(
    order: ChildListOrder,
    *,
    today: dt.date,
    page: Any = 1,
    per_page: int = 50,
    rules: dict[int, AgencyRules] | None = None,
) -> ChildListPage:
    """One page of a kept ``child_list_order``: the children on it read as they are now.
    Four queries (agencies, settings, policies, the children)."""
    last_page = max(1, -(-order.counts.shown // per_page))
    number = _page_number(page)
    if number < 1 or number > last_page:
        number = last_page
    ids = order.ids[(number - 1) * per_page : number * per_page]
    if rules is None:
        rules = _rules_for(Child.objects.filter(pk__in=ids), today) if ids else {}
    return _list_page(order.counts, ids, number, rules, today=today, per_page=per_page)


def _page_number(page: Any) -> int:
    try:
        return int(page)
    except (TypeError, ValueError):
        return 1


def _list_page(
    counts: CadenceCounts,
    ids: list[int],
    number: int,
    rules: dict[int, AgencyRules],
    *,
    today: dt.date,
    per_page: int,
) -> ChildListPage:
    offset = (number - 1) * per_page
    rows = _rows_of(ids, rules, today)
    listed = Paginator(_OnePage(counts.shown, offset, rows), per_page).get_page(number)
    return ChildListPage(counts=counts, page=listed, rows=list(listed.object_list))


def due_lists(
    children: QuerySet[Child],
    *,
    today: dt.date,
    shown: int = DUE_SHOWN,
    counting: Sequence[QuerySet[Any]] = (),
    rules: dict[int, AgencyRules] | None = None,
) -> DueLists:
    """The children due and overdue for discussion, most overdue first, as ``_due_lists``
    gives them but counted and cut in the database: the first ``shown`` of each list are
    loaded whole and the counts cover them all. Four queries however many children.
    ``counting``: queries of other kinds to count in the same read (``DueLists.counted``,
    in the same order; the home's decisions waiting for the file and open drift flags,
    issue 17 item 1). ``rules``: as ``_listed``."""
    if rules is None:
        rules = _rules_for(children, today)
    cte, params = _cadence_cte(children, today=today, rules=rules, flags=False)
    order = f"due_on, {_by_name('name')}, cid"
    sql = f"""{cte}
    SELECT 0, SUM(overdue), SUM(due_soon) FROM calc
    UNION ALL
    SELECT * FROM (SELECT 1, cid, 0 FROM calc WHERE overdue = 1 ORDER BY {order} LIMIT %s) o
    UNION ALL
    SELECT * FROM (SELECT 2, cid, 0 FROM calc WHERE due_soon = 1 ORDER BY {order} LIMIT %s) s"""
    params = [*params, shown, shown]
    counted = [0] * len(counting)
    for index, query in enumerate(counting):
        try:
            counted_sql, counted_params = query.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            continue
        sql += f"""
    UNION ALL
    SELECT 3, (SELECT COUNT(*) FROM ({counted_sql}) n), {int(index)}"""
        params += counted_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = list(cursor.fetchall())
    totals = next(r for r in found if r[0] == 0)
    overdue_ids = [r[1] for r in found if r[0] == 1]
    soon_ids = [r[1] for r in found if r[0] == 2]
    for row in found:
        if row[0] == 3:
            counted[row[2]] = int(row[1])
    rows = _rows_of(overdue_ids + soon_ids, rules, today)
    return DueLists(
        overdue=rows[: len(overdue_ids)],
        due_soon=rows[len(overdue_ids) :],
        overdue_total=int(totals[1] or 0),
        due_soon_total=int(totals[2] or 0),
        counted=counted,
    )


# The home panels' lists (homes call these): counted and cut in the database.


def children_due_for_practitioner(*, person_id: int, today: dt.date) -> DueLists:
    children = _in_cadence(Child.objects.live().filter(allocated_practitioner_id=person_id))
    return due_lists(children, today=today)


def children_due_for_supervisor(*, supervisee_ids: set[int], today: dt.date) -> DueLists:
    children = _in_cadence(
        Child.objects.live().filter(allocated_practitioner_id__in=supervisee_ids)
    )
    return due_lists(children, today=today)


def children_due_for_agency(*, agency_ids: set[int], today: dt.date) -> DueLists:
    children = _in_cadence(Child.objects.live().filter(agency_id__in=agency_ids))
    return due_lists(children, today=today)


def children_due_for(
    user: Any, *, today: dt.date, hydrated: bool = True, counting: Sequence[QuerySet[Any]] = ()
) -> DueLists:
    """Everything in the viewer's view (their own, supervisees', reports' and led agencies').
    ``hydrated=False``: the counts only, for a page that shows no rows (the home page);
    ``counting``: as ``due_lists``."""
    children = _in_cadence(children_visible_to(user))
    return due_lists(
        children,
        today=today,
        shown=DUE_SHOWN if hydrated else 0,
        counting=counting,
        rules=agency_rules_in_view(access_profile(user), on=today),
    )


def cadence_counts_by_agency(
    children: QuerySet[Child], *, today: dt.date, flags: bool = False
) -> dict[int, dict[str, int]]:
    """Per agency holding these children, counted in the database: ``in_cadence`` (in a
    status that needs discussion), ``within_cadence`` (of those, not overdue), ``overdue``,
    ``never_discussed`` and ``discuss_before_review``, the figures of
    ``figures.cadence_figures_by_agency`` (issue 17 item 4: the figure within 2x of its
    floor SQL). Four queries however many children."""
    rules = _rules_for(children, today)
    cte, params = _cadence_cte(children, today=today, rules=rules, flags=flags)
    sql = f"""{cte}
    SELECT held_by, SUM(counted), SUM(CASE WHEN counted = 1 AND overdue = 0 THEN 1 ELSE 0 END),
        SUM(CASE WHEN counted = 1 THEN overdue ELSE 0 END),
        SUM(CASE WHEN counted = 1 THEN never ELSE 0 END), SUM(before_review)
    FROM calc GROUP BY held_by"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = list(cursor.fetchall())
    names = ("in_cadence", "within_cadence", "overdue", "never_discussed", "discuss_before_review")
    return {
        agency_id: dict(zip(names, (int(v or 0) for v in values), strict=True))
        for agency_id, *values in found
    }
