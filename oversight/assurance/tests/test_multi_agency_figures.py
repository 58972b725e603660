"""Partnership figures about children known to several agencies (issue 13 item 7), with
small-number suppression, and a query count that does not grow with agencies or children."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.assurance.suppression import SUPPRESSED
from oversight.children import selectors
from oversight.children.models import DriftFlag, DriftRule
from oversight.children.tests.factories import ChildFactory
from oversight.children.tests.multi import discuss, involve
from oversight.core.testing import today_is
from oversight.people.tests import factories as pf

from .exported import csv_tables
from .test_dashboards import html_tables

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def shared_children(cast: Any, n: int, *, discussed_by_both: int = 0) -> list[Any]:
    made = []
    for i in range(n):
        child: Any = ChildFactory.create(
            agency=cast.agency,
            allocated_practitioner=cast.practitioner,
            legal_status_since=ago(300),
        )
        involve(child, cast.other_agency, worker=cast.other_practitioner, starts_on=ago(200))
        discuss(
            child,
            agency=cast.agency,
            supervisee=cast.practitioner,
            supervisor=cast.supervisor,
            on=ago(10),
            rag="red",
        )
        if i < discussed_by_both:
            discuss(
                child,
                agency=cast.other_agency,
                supervisee=cast.other_practitioner,
                supervisor=cast.other_supervisor,
                on=ago(92),  # the last day that counts
                rag="green",
            )
        made.append(child)
    return made


def divergent(child: Any, *, raised: dt.date, resolved_after: int | None = None) -> None:
    flag = DriftFlag.objects.create(
        child=child, rule=DriftRule.DIVERGENT, reason="Red and green", raised_on=raised
    )
    if resolved_after is not None:
        at = timezone.make_aware(
            dt.datetime.combine(raised + dt.timedelta(resolved_after), dt.time(15))
        )
        DriftFlag.objects.filter(pk=flag.pk).update(acknowledged_at=at)


def test_partnership_figures_for_children_known_to_two_or_more_agencies(cast, client):
    children = shared_children(cast, 6, discussed_by_both=3)
    ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)  # one agency
    for child, resolved_after in zip(children, (2, 4, 9, 12, 20, None), strict=True):
        divergent(child, raised=ago(30), resolved_after=resolved_after)

    client.force_login(cast.auditor)
    page = client.get(reverse("assurance:partnership_question", args=["multi-agency"]))
    table = {row[0]: row[1:] for row in html_tables(page.content.decode())["multi_agency"][1:]}
    assert table["Partnership"] == ["6", "50", "6", "5", "9"]
    assert table[cast.agency.name] == ["6", "50", "6", "5", "9"]
    assert table[cast.other_agency.name] == ["6", "50", "6", "5", "9"]


def test_small_numbers_are_suppressed(cast, client):
    children = shared_children(cast, 4, discussed_by_both=4)
    divergent(children[0], raised=ago(30), resolved_after=3)
    client.force_login(cast.auditor)
    page = client.get(reverse("assurance:partnership_question", args=["multi-agency"]))
    table = {row[0]: row[1:] for row in html_tables(page.content.decode())["multi_agency"][1:]}
    assert table["Partnership"] == [SUPPRESSED] * 5
    exported = csv_tables(client.get(reverse("assurance:partnership_export", args=["csv"])).content)
    rows = next(rows for name, rows in exported if "Children known to two or more" in name)
    assert ["Partnership", *[SUPPRESSED] * 5] in rows


def test_an_agency_counts_only_while_involved(cast):
    children = shared_children(cast, 5)
    involve_ended = children[0].involvements.get(agency=cast.other_agency)
    involve_ended.ends_on = ago(1)
    involve_ended.save()
    per_agency, whole = selectors.partnership_child_figures(
        agency_ids={cast.agency.pk, cast.other_agency.pk}, on=TODAY, start=ago(90), end=TODAY
    )
    assert (whole.shared, per_agency[cast.other_agency.pk].shared) == (4, 4)


@pytest.mark.parametrize("agencies,children", [(2, 5), (6, 20)])
def test_the_figures_query_count_does_not_grow(
    cast, agencies, children, django_assert_max_num_queries
):
    made = shared_children(cast, children)
    ids = {cast.agency.pk, cast.other_agency.pk}
    for n in range(agencies - 2):
        agency = pf.AgencyFactory(name=f"Agency {n}")
        ids.add(agency.pk)
        for child in made:
            involve(child, agency)
    for child in made[::2]:
        divergent(child, raised=ago(20), resolved_after=3)
    with django_assert_max_num_queries(4):
        _, whole = selectors.partnership_child_figures(
            agency_ids=ids, on=TODAY, start=ago(90), end=TODAY
        )
    assert whole.shared == children


def test_a_closed_day_kept_by_the_trend_gives_the_same_table(cast, django_assert_max_num_queries):
    """On a closed day whose multi-agency trend points are kept (the back-fill keeps every
    month end), the table reads the kept counts and only the flagged children's involvements
    (issue 17 item 2), and shows what counting every child shows."""
    from oversight.assurance.selectors.children import (
        _kept_shared,
        partnership_children_table,
        trend_points,
    )
    from oversight.assurance.selectors.period import Period

    children = shared_children(cast, 7, discussed_by_both=3)
    for child, resolved_after in zip(children, (2, 4, 9, 12, 20, None, 5), strict=True):
        divergent(child, raised=ago(30), resolved_after=resolved_after)
    divergent(ChildFactory(agency=cast.agency), raised=ago(25))  # known to one agency only
    agencies = [cast.agency, cast.other_agency]
    period = Period(ago(60), ago(2))
    counted = partnership_children_table(agencies, period, TODAY, partnership_row=True)
    trend_points("multi_agency_trend", agencies, [period.end], TODAY)
    for agency in agencies:
        trend_points("multi_agency_trend", [agency], [period.end], TODAY)
    with django_assert_max_num_queries(5):
        kept = partnership_children_table(agencies, period, TODAY, partnership_row=True)
    assert kept.rows == counted.rows
    assert kept.rows[-1][:4] == ["Partnership", 7, 43, 7]
    assert _kept_shared(agencies, period.end, TODAY, partnership_row=True) == {
        None: (7, 3),
        cast.agency.pk: (7, 3),
        cast.other_agency.pk: (7, 3),
    }
