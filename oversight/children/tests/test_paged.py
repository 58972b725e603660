"""The children list and the due lists counted, filtered, ordered and paged in the database
(issue 17 item 3): the SQL gives the same answers as the cadence rules in Python, page two
exists and holds the next children in order, filters combine with paging, and the number of
queries does not grow with the children."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse

from oversight.children import selectors
from oversight.children.models import Child, DriftRule, LegalStatus
from oversight.children.tests.factories import (
    ChildFactory,
    DriftSettingsFactory,
    ReviewMeetingFactory,
    discussion,
)
from oversight.contracts.models import SupervisionPolicy
from oversight.people.selectors import access_profile

pytestmark = pytest.mark.django_db

# Monday 23 November 2026.
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _on_23_november_2026(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/London")), tick=False
    )


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def _varied_children(cast) -> None:
    """Children in every situation the cadence rules tell apart, in two agencies with
    different ceilings and review windows."""
    SupervisionPolicy.objects.create(
        agency=cast.other_agency, effective_from=days(-900), child_discussion_ceiling_days=60
    )
    DriftSettingsFactory(agency=cast.other_agency, pre_review_working_days=3)
    statuses = [
        LegalStatus.CHILD_IN_NEED,
        LegalStatus.CHILD_PROTECTION,
        LegalStatus.LOOKED_AFTER,
        LegalStatus.EARLY_HELP,
    ]
    for i in range(48):
        agency = cast.agency if i % 3 else cast.other_agency
        child = ChildFactory.create(
            agency=agency,
            allocated_practitioner=cast.practitioner if agency == cast.agency else None,
            display_name=f"Family {'ABCDEFGH'[i % 8]} – child {i:02d}",
            legal_status=statuses[i % 4],
            legal_status_since=days(-(20 + 7 * i)),
        )
        if i % 5:
            discussion(child, days(-(3 * i % 120)), rag=("green", "amber", "red")[i % 3])
        if i % 4 == 1:
            # Meetings from today to three weeks ahead: some windows open, some not.
            ReviewMeetingFactory(child=child, meets_on=days(i % 22))
        if i % 6 == 2:
            ReviewMeetingFactory(child=child, meets_on=days(-(i % 9)))
        if i % 7 == 0:
            from oversight.children.models import DriftFlag

            DriftFlag.objects.create(
                child=child, rule=DriftRule.OVERDUE, reason="Overdue", raised_on=days(-1)
            )


def _python_order(rows):
    rows = sorted(rows, key=lambda r: r.child.pk)
    rows.sort(
        key=lambda r: (
            not r.overdue,
            r.cadence.due_on is None,
            r.cadence.due_on or TODAY,
            r.child.display_name,
        )
    )
    return rows


@pytest.mark.parametrize("show", ["", "overdue", "due_soon", "before_review", "drifting"])
def test_the_database_counts_and_orders_as_the_cadence_rules_do(cast, show):
    _varied_children(cast)
    children = Child.objects.live()
    rows = selectors.child_rows(children, today=TODAY)
    expected = _python_order(selectors.child_rows_showing(rows, show))
    assert any(r.overdue for r in rows) and any(r.due_soon for r in rows)
    assert any(r.discuss_before_review for r in rows)

    first = selectors.child_list_page(children, today=TODAY, show=show, page=1, per_page=10)
    counts = first.counts
    assert counts.children == len(rows)
    assert counts.overdue == sum(r.overdue for r in rows)
    assert counts.due_soon == sum(r.due_soon for r in rows)
    assert counts.before_review == sum(r.discuss_before_review for r in rows)
    assert counts.drifting == sum(bool(r.child.open_flags) for r in rows)
    assert counts.shown == len(expected)
    listed = []
    for number in range(1, first.page.paginator.num_pages + 1):
        page = selectors.child_list_page(children, today=TODAY, show=show, page=number, per_page=10)
        listed += page.rows
    assert [r.child.pk for r in listed] == [r.child.pk for r in expected]
    assert [r.cadence for r in listed] == [r.cadence for r in expected]


def test_due_lists_match_the_rules_and_show_the_first_few(cast):
    _varied_children(cast)
    children = Child.objects.live().filter(agency=cast.agency)
    rows = selectors.child_rows(children, today=TODAY)
    lists = selectors.due_lists(children, today=TODAY, shown=3)
    overdue = sorted(
        (r for r in rows if r.overdue), key=lambda r: (r.cadence.due_on, r.child.display_name)
    )
    soon = sorted(
        (r for r in rows if r.due_soon and not r.overdue),
        key=lambda r: (r.cadence.due_on, r.child.display_name),
    )
    assert lists.overdue_count == len(overdue) > 3
    assert lists.due_soon_count == len(soon)
    assert [r.child.pk for r in lists.overdue] == [r.child.pk for r in overdue[:3]]
    assert [r.child.pk for r in lists.due_soon] == [r.child.pk for r in soon[:3]]


def _listed(client, **params) -> list[str]:
    body = client.get(reverse("children:child_list"), params).content.decode()
    return re.findall(r"<a class=\"govuk-link\" href=\"/children/\d+/\">([^<]+)</a>", body)


@pytest.mark.parametrize("show", ["", "overdue", "drifting"])
def test_a_kept_order_pages_as_the_live_list_does(cast, show):
    """A lead's list keeps its order and counts for a few minutes (issue 17 item 3): each page
    of it, and a page past either end, holds what the live list's does."""
    _varied_children(cast)
    children = Child.objects.live()
    order = selectors.child_list_order(children, today=TODAY, show=show)
    live = selectors.child_list_page(children, today=TODAY, show=show, page=1, per_page=5)
    assert order.counts == live.counts and live.page.paginator.num_pages > 1
    for number in [*range(1, live.page.paginator.num_pages + 1), 0, 99, "next"]:
        kept = selectors.child_list_page_of(order, today=TODAY, page=number, per_page=5)
        now = selectors.child_list_page(children, today=TODAY, show=show, page=number, per_page=5)
        assert kept.page.number == now.page.number
        assert [r.child.pk for r in kept.rows] == [r.child.pk for r in now.rows]
        assert [r.cadence for r in kept.rows] == [r.cadence for r in now.rows]


def test_a_lead_is_told_the_list_is_kept_and_sees_a_new_child_after_it_expires(cast, client):
    ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    client.force_login(cast.agency_lead)
    said = "kept for up to five minutes"
    assert said in client.get(reverse("children:child_list")).content.decode()
    ChildFactory(agency=cast.agency, display_name="Family Newcome")
    assert "Family Newcome" not in client.get(reverse("children:child_list")).content.decode()
    cache.clear()  # five minutes on
    assert "Family Newcome" in client.get(reverse("children:child_list")).content.decode()
    client.force_login(cast.practitioner)
    assert said not in client.get(reverse("children:child_list")).content.decode()


@pytest.mark.parametrize("viewer", ["practitioner", "agency_lead"])
def test_page_two_shows_the_next_children_and_filters_combine_with_paging(cast, client, viewer):
    """60 children overdue by different amounts and 60 not yet due: page one holds the 50
    most overdue, page two the next ten overdue then forty others; filtered to overdue, page
    two holds the last ten overdue only, and a search keeps its own count. The same for a
    lead, whose list's order is kept (issue 17 item 3)."""
    for i in range(120):
        overdue = i < 60
        ChildFactory(
            agency=cast.agency,
            allocated_practitioner=cast.practitioner,
            display_name=f"Child {i:03d}",
            legal_status_since=days(-(200 - i) if overdue else -(10 + i % 30)),
        )
    client.force_login(getattr(cast, viewer))
    first = _listed(client)
    second = _listed(client, page=2)
    assert first == [f"Child {i:03d}" for i in range(50)]
    assert second[:10] == [f"Child {i:03d}" for i in range(50, 60)]
    assert len(second) == 50 and not set(first) & set(second)
    assert len(_listed(client, page=3)) == 20
    assert _listed(client, page=99) == _listed(client, page=3)

    overdue_two = _listed(client, show="overdue", page=2)
    assert overdue_two == [f"Child {i:03d}" for i in range(50, 60)]
    body = client.get(reverse("children:child_list"), {"show": "overdue", "page": 2})
    assert "60 children found, overdue first" in body.content.decode()
    # A search narrows before paging: "Child 05" matches ten children, all on one page.
    assert _listed(client, q="Child 05") == [f"Child {i:03d}" for i in range(50, 60)]
    assert _listed(client, q="Child 05", page=2) == _listed(client, q="Child 05")


@pytest.mark.parametrize("count", [5, 80])
def test_a_leads_children_list_runs_a_fixed_number_of_queries(
    cast, client, count, django_assert_max_num_queries
):
    for i in range(count):
        child = ChildFactory(agency=cast.agency, legal_status_since=days(-(50 + i)))
        if i % 3 == 0:
            discussion(child, days(-10), rag="red")
        if i % 4 == 0:
            ReviewMeetingFactory(child=child, meets_on=days(i % 12))
    client.force_login(cast.agency_lead)
    for params in ({}, {"show": "overdue", "page": 2}, {"q": "Family"}):
        # Once first: a search may be remembered in the session, which costs a write.
        client.get(reverse("children:child_list"), params)
        with django_assert_max_num_queries(20):
            response = client.get(reverse("children:child_list"), params)
        assert response.status_code == 200


def test_cadence_figures_by_agency_count_as_the_rules_do(cast):
    """The dashboards' "children in need discussed within three months" counted in SQL gives
    what the rules give child by child (issue 17 item 4)."""
    _varied_children(cast)
    agencies = {cast.agency.pk, cast.other_agency.pk}
    found = selectors.cadence_figures_by_agency(agency_ids=agencies, on=TODAY)
    for agency_id in agencies:
        rows = selectors.child_rows(
            selectors._in_cadence(Child.objects.live().filter(agency_id=agency_id)), today=TODAY
        )
        figures = found[agency_id]
        assert figures.in_cadence == len(rows) > 0
        assert figures.overdue == sum(r.overdue for r in rows)
        assert figures.within_cadence == sum(not r.overdue for r in rows)
        assert figures.never_discussed == sum(r.child.last_discussed_on is None for r in rows)
        assert figures.discuss_before_review == sum(r.discuss_before_review for r in rows)


@pytest.mark.parametrize("viewer", ["practitioner", "supervisor", "agency_lead", "other_lead"])
def test_the_rules_of_a_viewers_whole_view_list_as_each_lists_own_rules_do(cast, viewer):
    """The children list and the home's due lists take the rules of every agency holding a
    child in the viewer's view, read once (``agency_rules_in_view``), instead of reading them
    for each list's children: the same rows, counts and dates, including a child allocated to
    them that another agency holds (health's 60-day ceiling, three-day review window)."""
    _varied_children(cast)
    elsewhere = Child.objects.filter(agency=cast.other_agency).order_by("pk")[:4]
    Child.objects.filter(pk__in=[c.pk for c in elsewhere]).update(
        allocated_practitioner=cast.practitioner
    )
    person = cast.by_name(viewer)
    profile = access_profile(person)
    rules = selectors.agency_rules_in_view(profile, on=TODAY)
    visible = selectors.children_visible_to(person)
    held = set(visible.values_list("agency_id", flat=True))
    assert held <= set(rules)

    def worded(found):
        return {
            k: (r.ceiling_days, r.window_working_days, r.nation, r.settings.pk)
            for k, r in found.items()
        }

    assert worded({k: rules[k] for k in held}) == worded(selectors.agency_rules(held, on=TODAY))
    if viewer == "practitioner":
        assert held == {cast.agency.pk, cast.other_agency.pk}
    for show in ("", "overdue", "before_review"):
        read = selectors.child_list_page(visible, today=TODAY, show=show, per_page=100)
        given = selectors.child_list_page(
            visible, today=TODAY, show=show, per_page=100, rules=rules
        )
        assert given.counts == read.counts
        assert [(r.child.pk, r.cadence) for r in given.rows] == [
            (r.child.pk, r.cadence) for r in read.rows
        ]
    due = selectors.children_due_for(person, today=TODAY)
    assert due.overdue_count == read.counts.overdue
