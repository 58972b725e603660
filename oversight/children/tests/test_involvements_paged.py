"""The children list's involvements (children another agency holds that the viewer's agency
is involved with) paged in the database on their own (issue 17): a lead's agency is involved
with thousands of children, and the list once showed the first 200 without saying so. Each
page says how many there are in all, its page (``ipage``) leaves the list's search and page
as they are, and nobody sees an involvement they did not see before."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.children import selectors
from oversight.children.models import Child
from oversight.children.tests.factories import ChildFactory
from oversight.children.tests.multi import involve
from oversight.core.testing import today_is

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)  # a Monday
PER_PAGE = 25  # ChildListView.involvements_per_page
HEADING = "Children another agency holds that your agency is involved with"


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def involved(cast: Any, count: int, *, start: int = 0, worker: Any = None) -> list[Child]:
    """``count`` children the council holds that health is involved with, named in order."""
    children = []
    for i in range(start, start + count):
        child: Child = ChildFactory.create(
            agency=cast.agency,
            allocated_practitioner=cast.practitioner,
            display_name=f"Family Involved {i:03d}",
        )
        involve(child, cast.other_agency, worker=worker, reference=f"HV-{i:03d}")
        children.append(child)
    return children


def page_of(client: Any, **params: Any) -> str:
    response = client.get(reverse("children:child_list"), params)
    assert response.status_code == 200
    return str(response.content.decode())


def involvement_names(body: str) -> list[str]:
    """The children in the involvements table (its rows say who holds the child)."""
    return re.findall(
        r'href="/children/\d+/">([^<]+)</a><br><span class="govuk-body-s">Held by', body
    )


def next_link(body: str, label: str) -> str:
    """The "Next" link of the pagination called ``label``, as a browser would follow it."""
    nav = re.search(rf'<nav class="govuk-pagination" aria-label="{label}">(.*?)</nav>', body, re.S)
    assert nav, f"no pagination called {label!r}"
    found = re.search(r'href="([^"]*)" rel="next"', nav.group(1))
    assert found, f"no next page in {label!r}"
    return html.unescape(found.group(1))


def test_a_lead_sees_a_page_of_involvements_and_how_many_in_all_then_the_rest(cast, client):
    involved(cast, PER_PAGE + 5, worker=cast.other_practitioner)
    client.force_login(cast.other_lead)
    first = page_of(client)
    assert HEADING in first
    assert involvement_names(first) == [f"Family Involved {i:03d}" for i in range(PER_PAGE)]
    assert f"Showing 1 to {PER_PAGE} of {PER_PAGE + 5} involvements" in first
    assert "Page 1 of 2" in first
    assert next_link(first, "Pages of involvements").startswith("?ipage=2")

    second = page_of(client, ipage=2)
    assert involvement_names(second) == [
        f"Family Involved {i:03d}" for i in range(PER_PAGE, PER_PAGE + 5)
    ]
    assert f"Showing {PER_PAGE + 1} to {PER_PAGE + 5} of {PER_PAGE + 5} involvements" in second
    assert 'rel="prev"' in second and "Page 2 of 2" in second
    # The lead ends their agency's involvements, as before.
    assert 'End<span class="govuk-visually-hidden"> the involvement with' in second


def test_a_short_list_of_involvements_says_how_many_without_paging(cast, client):
    involved(cast, 3)
    client.force_login(cast.other_lead)
    body = page_of(client)
    assert len(involvement_names(body)) == 3
    assert "3 involvements, by the child's name." in body
    assert 'aria-label="Pages of involvements"' not in body


@pytest.mark.parametrize(
    ("ipage", "shown"),
    [("abc", 1), ("", 1), ("1.5", 1), ("0", 2), ("-3", 2), ("99", 2), ("9" * 40, 2)],
)
def test_a_page_number_out_of_range_or_not_a_number_gives_a_page(cast, client, ipage, shown):
    """As the children list's own paging: the first page if it is not a number, the last if
    it is past either end."""
    involved(cast, PER_PAGE + 2)
    client.force_login(cast.other_lead)
    body = page_of(client, ipage=ipage)
    assert f"Page {shown} of 2" in body
    expected = range(PER_PAGE) if shown == 1 else range(PER_PAGE, PER_PAGE + 2)
    assert involvement_names(body) == [f"Family Involved {i:03d}" for i in expected]


def test_turning_the_involvements_page_keeps_the_lists_search_and_page(cast, client):
    """The health lead's own 60 children are paged by fifty; turning the involvements page
    keeps the search and the list's page, and turning the list's page keeps ``ipage``."""
    for i in range(60):
        ChildFactory(agency=cast.other_agency, display_name=f"Health child {i:03d}")
    involved(cast, PER_PAGE + 5)
    client.force_login(cast.other_lead)
    own = re.compile(r'href="/children/\d+/">(Health child \d+)</a>')

    searched = page_of(client, q="Health", page=2)
    own_second = own.findall(searched)
    assert len(own_second) == 10
    turned = next_link(searched, "Pages of involvements")
    assert "q=Health" in turned and "page=2" in turned and "ipage=2" in turned

    body = str(client.get(reverse("children:child_list") + turned).content.decode())
    assert own.findall(body) == own_second  # the list did not move
    assert "60 children found, overdue first" in body
    assert 'value="Health"' in body  # the search box keeps the search
    assert len(involvement_names(body)) == 5  # the involvements did

    back = page_of(client, ipage=2)
    assert "ipage=2" in next_link(back, "Pages of children")


def test_only_the_viewers_involvements_are_counted_and_shown(cast, client):
    """The health visitor sees the involvements allocated to them, counted as theirs; the
    council, which holds the children, and a stranger see no such section, whatever
    ``ipage`` says."""
    involved(cast, PER_PAGE + 5, worker=cast.other_practitioner)
    involved(cast, 40, start=100)  # health's, allocated to nobody
    client.force_login(cast.other_lead)
    assert f"of {PER_PAGE + 45} involvements" in page_of(client)

    client.force_login(cast.other_practitioner)
    body = page_of(client)
    assert f"Showing 1 to {PER_PAGE} of {PER_PAGE + 5} involvements" in body
    assert "Family Involved 100" not in page_of(client, ipage=2)
    assert "End<span" not in body  # ending is for the lead and supervisors, as before

    for name in ("agency_lead", "practitioner", "stranger"):
        client.force_login(getattr(cast, name))
        for params in ({}, {"ipage": 2}):
            body = page_of(client, **params)
            assert HEADING not in body and "HV-0" not in body
            assert 'aria-label="Pages of involvements"' not in body


def test_a_page_reads_only_its_rows_with_what_they_show(cast, django_assert_num_queries):
    """Two queries (the count, the page), ordered by the child's name and then the
    involvement; showing a row reads nothing more."""
    twins = [ChildFactory(agency=cast.agency, display_name="Family Same – child A") for _ in "ab"]
    for child in twins:
        involve(child, cast.other_agency, worker=cast.other_practitioner)
    involved(cast, 6)
    selectors.involvement_page(cast.other_lead, on=TODAY)  # the viewer's profile, once
    with django_assert_num_queries(2):
        listed = selectors.involvement_page(cast.other_lead, on=TODAY, page=2, per_page=4)
        for row in listed.rows:
            assert row.child.agency.name and row.agency.name
            assert row.allocated_worker is None or row.allocated_worker.display_name
    assert listed.page.paginator.count == 8 and listed.page.number == 2
    first = selectors.involvement_page(cast.other_lead, on=TODAY, page=1, per_page=4)
    names = [r.child.display_name for r in first.rows + listed.rows]
    assert names == sorted(names)
    same = [r for r in first.rows + listed.rows if r.child.display_name == "Family Same – child A"]
    assert [r.pk for r in same] == sorted(r.pk for r in same)


def test_no_involvements_cost_only_their_count(cast, django_assert_num_queries):
    """A viewer whose agencies hold no involvement elsewhere (most practitioners) pays one
    count, and no page of rows is built or read."""
    selectors.involvement_page(cast.other_lead, on=TODAY)  # the viewer's profile, once
    with django_assert_num_queries(1):
        listed = selectors.involvement_page(cast.other_lead, on=TODAY)
    assert listed.rows == [] and listed.page.paginator.count == 0


def test_the_children_list_runs_as_many_queries_with_many_involvements(cast, client):
    involved(cast, 3)
    client.force_login(cast.other_lead)
    page_of(client)  # once first: a lead's list order is kept
    with CaptureQueriesContext(connection) as few:
        page_of(client, ipage=1)
    involved(cast, 80, start=10)
    page_of(client, ipage=2)
    with CaptureQueriesContext(connection) as many:
        page_of(client, ipage=3)
    assert len(many.captured_queries) == len(few.captured_queries) <= 20


def test_a_leads_kept_order_still_shows_each_involvement_as_it_is_now(cast, client):
    """A lead's order is kept a few minutes (as their children's is), so a later view reads
    only its page: no count, no sort of them all. An involvement ended meanwhile is gone from
    the page at once, and another lead never sees this lead's kept order."""
    from oversight.children.models import AgencyInvolvement
    from oversight.children.services import involvement_end

    involved(cast, 6, worker=cast.other_practitioner)
    client.force_login(cast.other_lead)
    first = page_of(client)
    assert "order of the lists on this page are kept for up to five minutes" in first
    assert len(involvement_names(first)) == 6
    ending = AgencyInvolvement.objects.get(case_reference="HV-002")
    involvement_end(actor=cast.other_lead, involvement=ending, ends_on=TODAY - dt.timedelta(days=1))
    with CaptureQueriesContext(connection) as read:
        again = page_of(client)
    assert "Family Involved 002" not in involvement_names(again)
    assert len(involvement_names(again)) == 5
    counted = [q["sql"] for q in read.captured_queries if "COUNT(" in q["sql"]]
    assert not [sql for sql in counted if "agencyinvolvement" in sql]

    client.force_login(cast.agency_lead)  # the council's lead: the council holds these children
    assert HEADING not in page_of(client)
