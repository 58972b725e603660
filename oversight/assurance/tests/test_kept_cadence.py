"""A past period's children table reads each agency's cadence kept for the day it ends,
not every child's history (issue 17 item 2: past periods read only what is kept). The
back-fill keeps it, with the headline trends, at every closed month end the children's
history covers; a day it did not reach is counted by its first reader and kept. What is kept
equals a full recount for the same day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Min
from django.urls import reverse

from oversight.assurance.models import TrendPoint
from oversight.assurance.periods import add_months
from oversight.assurance.selectors.children import CADENCE, cadence_on, children_table
from oversight.assurance.selectors.period import Period
from oversight.assurance.services import trend_points_backfill
from oversight.children import selectors as children
from oversight.children.models import ChildStatus, LegalStatus
from oversight.children.services import meeting_tallies_keep
from oversight.children.tests.factories import ChildFactory
from oversight.core.testing import today_is
from oversight.people.models import Membership

from .test_dashboards import html_tables, with_questions
from .test_month_end_trends import _child, _discuss

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 17)
FIRST = dt.date(2025, 10, 13)


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


@pytest.fixture
def history(cast: Any) -> list[Any]:
    """Eight children of the cast's agency and three of the other's, in need since 13 October
    2025, discussed at different times; one ceases to be in need at the end of June 2026."""
    made = []
    for n in range(8):
        child = _child(cast, FIRST)
        _discuss(cast, child, dt.date(2026, 1 + n, 10))
        made.append(child)
    closed = made[0]
    ChildStatus.objects.filter(child=closed).update(ends_on=dt.date(2026, 6, 30))
    ChildStatus.objects.create(
        child=closed, status=LegalStatus.CLOSED, starts_on=dt.date(2026, 7, 1)
    )
    for n in range(3):
        other = ChildFactory(
            agency=cast.other_agency,
            allocated_practitioner=cast.other_practitioner,
            legal_status_since=FIRST,
        )
        _discuss(cast, other, dt.date(2026, 3 + 2 * n, 20), other=True)
        made.append(other)
    return made


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        if following - dt.timedelta(days=1) <= last:
            days.append(following - dt.timedelta(days=1))
        day = following
    return days


def test_the_backfill_keeps_cadence_on_every_closed_day_equal_to_a_recount(
    cast: Any, history: list[Any]
) -> None:
    closed = TODAY - dt.timedelta(days=1)
    # From 11 months before the first post, so the 12-month trend of any period is kept too.
    begins = Membership.objects.aggregate(first=Min("starts_on"))["first"]
    first = add_months(begins.replace(day=1), -11)
    every_day = [first + dt.timedelta(days=n) for n in range((closed - first).days + 1)]
    month_ends = _month_ends(first, dt.date(2026, 10, 31))
    assert dt.date(2025, 9, 30) in month_ends  # not only the last 12
    kept_points = trend_points_backfill(today=TODAY)
    ids = {cast.agency.pk, cast.other_agency.pk}
    for day in [*month_ends, dt.date(2026, 6, 30), dt.date(2026, 7, 1), dt.date(2026, 8, 15)]:
        kept = {
            agency_id: (n, w)
            for agency_id, n, w in TrendPoint.objects.filter(key=CADENCE, on=day).values_list(
                "agency_id", "n", "w"
            )
        }
        recount = children.cadence_figures_by_agency(agency_ids=ids, on=day)
        assert kept == {i: (f.in_cadence, f.within_cadence) for i, f in recount.items()}, day
    # Every closed day for the cadence and the two trends a period ending on any day reads;
    # each month end, and the day just closed, for the drift trend, which reads whole months.
    assert TrendPoint.objects.filter(key=CADENCE).count() == len(every_day) * 2
    for key in ("children_trend", "multi_agency_trend"):
        assert TrendPoint.objects.filter(key=key, agency=None).count() == len(every_day)
    assert TrendPoint.objects.filter(key="drift_trend", agency=None).count() == len(month_ends) + 1
    assert kept_points == len(every_day) * (2 + 3 + 3) + len(month_ends) * 3
    # Run again (the nightly job): nothing is counted twice.
    before = TrendPoint.objects.count()
    assert trend_points_backfill(today=TODAY) == 0
    assert TrendPoint.objects.count() == before


def test_the_nightly_backfill_keeps_the_day_just_closed_whatever_its_date(
    cast: Any, history: list[Any], django_assert_max_num_queries: Any
) -> None:
    """Run each night, the back-fill keeps every day from then on, so a period ending on
    any such day reads kept figures, not only one ending on a month end (decision 0032)."""
    closed = TODAY - dt.timedelta(days=1)  # 16 November 2026, not a month end
    ids = {cast.agency.pk, cast.other_agency.pk}
    recount = children.cadence_figures_by_agency(agency_ids=ids, on=closed)
    trend_points_backfill(today=TODAY)
    kept = dict(TrendPoint.objects.filter(key=CADENCE, on=closed).values_list("agency_id", "n"))
    assert kept == {i: f.in_cadence for i, f in recount.items()}
    for key in ("children_trend", "drift_trend", "multi_agency_trend"):
        scopes = set(TrendPoint.objects.filter(key=key, on=closed).values_list("agency_id"))
        assert scopes == {(None,), (cast.agency.pk,), (cast.other_agency.pk,)}, key
    meeting_tallies_keep(through=closed)  # as the same night does (decision 0035)
    period = Period(dt.date(2026, 8, 17), closed)
    # The kept day's cadence, and its meetings' kept tallies.
    with django_assert_max_num_queries(2):
        table = children_table([cast.agency, cast.other_agency], period, TODAY)
    assert table.totals["in_cadence"] == sum(f.in_cadence for f in recount.values())


def test_a_past_periods_children_table_reads_the_kept_cadence(
    cast: Any, history: list[Any], django_assert_max_num_queries: Any
) -> None:
    agencies = [cast.agency, cast.other_agency]
    period = Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    live = children_table(agencies, period, dt.date(2026, 9, 30))  # that day, counted live
    trend_points_backfill(today=TODAY)
    meeting_tallies_keep(through=TODAY - dt.timedelta(days=1))
    # The kept day and its meetings' kept tallies: no child's history is read.
    with django_assert_max_num_queries(2):
        kept = children_table(agencies, period, TODAY)
    assert kept.rows == live.rows and kept.totals == live.totals


def test_a_day_the_backfill_did_not_reach_is_counted_once_and_kept(
    cast: Any, history: list[Any], django_assert_max_num_queries: Any
) -> None:
    ids = {cast.agency.pk, cast.other_agency.pk}
    day = dt.date(2026, 8, 15)
    recount = children.cadence_figures_by_agency(agency_ids=ids, on=day)
    first = cadence_on(ids, day, TODAY)
    assert first == {i: (f.in_cadence, f.within_cadence) for i, f in recount.items()}
    with django_assert_max_num_queries(1):
        assert cadence_on(ids, day, TODAY) == first


def test_the_dashboard_shows_a_past_periods_kept_cadence(
    cast: Any, client: Any, history: list[Any]
) -> None:
    trend_points_backfill(today=TODAY)
    TrendPoint.objects.filter(key=CADENCE, on=dt.date(2026, 9, 30), agency=cast.agency).update(
        n=40, w=30
    )  # what the back-fill kept is what the page shows: 30 of 40
    client.force_login(cast.auditor)
    dashboard = client.get(
        reverse("assurance:partnership_dashboard"),
        {"start": "2026-07-01", "end": "2026-09-30"},
    ).content.decode()
    page = with_questions(client, dashboard)
    rows = {row[0]: row for row in html_tables(page)["children"][1:]}
    assert rows[cast.agency.name][1:3] == ["40", "75"]
