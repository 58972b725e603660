"""Every day's figures from one pass over the children's history (issue 17 item 2: a past
period may end on any day, and reads only what is kept). Each sweep gives, day by day, what
its per-day count gives for the same day, over a year of the demo's history that includes a
stricter child-discussion ceiling from mid-year in one agency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from oversight.children import selectors as children
from oversight.contracts.models import SupervisionPolicy
from oversight.contracts.tests.factories import policy_changed
from oversight.core.testing import today_is
from oversight.people.models import Agency

TODAY = dt.date(2026, 11, 17)
FIRST = TODAY - dt.timedelta(days=365)
LAST = TODAY - dt.timedelta(days=1)
CEILING_CHANGED = dt.date(2026, 7, 6)
# Every fourth day of the year, and each day of the week either side of the change.
DAYS = sorted(
    {FIRST + dt.timedelta(days=n) for n in range(0, 365, 4)}
    | {CEILING_CHANGED + dt.timedelta(days=n) for n in range(-7, 8)}
    | {LAST}
)


@pytest.fixture
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[set[int]]:
    """The small demo as of TODAY; from CEILING_CHANGED one agency's children must be
    discussed every six weeks, not every three months."""
    with today_is(TODAY):
        call_command("seed_demo", "--today", TODAY.isoformat(), stdout=StringIO())
        policy_changed(
            Agency.objects.order_by("pk").first(), CEILING_CHANGED, child_discussion_ceiling_days=42
        )
        yield set(Agency.objects.live().values_list("pk", flat=True))


def _stricter() -> SupervisionPolicy:
    return SupervisionPolicy.objects.get(effective_from=CEILING_CHANGED)


def _chunks(days: list[dt.date], size: int = 24) -> Iterator[list[dt.date]]:
    for at in range(0, len(days), size):
        yield days[at : at + size]


@pytest.mark.django_db
def test_every_days_figures_equal_the_count_of_that_day(demo: set[int]) -> None:
    """One demo for the four sweeps (building it is most of the test's time)."""
    _the_trends_equal_their_counts(demo)
    _the_drift_trend_equals_its_count(demo)
    _the_cadence_equals_its_count(demo)


def _the_drift_trend_equals_its_count(demo: set[int]) -> None:
    months = sorted({(day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) for day in DAYS})
    month_ends = [day - dt.timedelta(days=1) for day in months if day <= TODAY]
    swept = children.drift_resolution_sweep(agency_ids=demo, months=month_ends)
    for scope, ids in [(None, demo), *((a, {a}) for a in sorted(demo))]:
        counted = children.drift_resolution_on(agency_ids=ids, days=month_ends)
        assert swept[scope] == counted, scope
    assert any(0 < w < n for n, w in swept[None].values())


def _the_trends_equal_their_counts(demo: set[int]) -> None:
    scopes = [(None, demo), *((a, {a}) for a in sorted(demo))]
    for sweep, count in (
        (children.cadence_shares_sweep, children.cadence_shares_on),
        (children.partnership_shares_sweep, children.partnership_shares_on),
    ):
        swept = sweep(agency_ids=demo, first=FIRST, last=LAST)
        for scope, ids in scopes:
            for days in _chunks(DAYS):
                counted = count(agency_ids=ids, days=days)
                assert {day: swept[scope][day] for day in days} == counted, (sweep, scope)
        assert any(0 < w < n for n, w in swept[None].values()), sweep


def _the_cadence_equals_its_count(demo: set[int]) -> None:
    swept = children.cadence_sweep(agency_ids=demo, first=FIRST, last=LAST)
    for day in DAYS:
        counted = children.cadence_figures_by_agency(agency_ids=demo, on=day)
        assert {i: swept[i][day] for i in demo} == {
            i: (f.in_cadence, f.within_cadence) for i, f in counted.items()
        }, day
    # The stricter ceiling counts: without it, more of the agency's children were within.
    agency_id = _stricter().agency_id
    SupervisionPolicy.objects.filter(pk=_stricter().pk).delete()
    laxer = children.cadence_sweep(agency_ids=demo, first=FIRST, last=LAST)
    assert all(
        laxer[agency_id][day] == swept[agency_id][day] for day in DAYS if day < CEILING_CHANGED
    )
    assert any(laxer[agency_id][day][1] > swept[agency_id][day][1] for day in DAYS)
