"""The home panel of a supervisor or line manager (issue 5 item 2): each person they supervise
or manage, with the last session held, the next planned, when supervision is due and what
needs attention; a fixed number of queries however many people."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oversight.people.tests import factories as pf
from oversight.supervision.tests.factories import SessionFactory

PANEL = "Your supervisees: last and next sessions"


def _planned(cast: Any, person: Any, days_ahead: int, supervisor: Any = None) -> Any:
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days_ahead), dt.time(14))
    )
    return SessionFactory(
        supervisor=supervisor or cast.supervisor,
        supervisee=person,
        agency=cast.agency,
        planned_start=start,
    )


def _home(client: Any, person: Any) -> str:
    """Issue 12: the home page counts them; the page it links to lists them."""
    client.force_login(person)
    home = client.get(reverse("home")).content.decode()
    assert reverse("assurance:my_people") in home
    return client.get(reverse("assurance:my_people")).content.decode()


def test_supervisor_sees_each_supervisee_with_last_and_next_session(
    cast: Any, client: Any, held: Any
) -> None:
    last = held(cast.practitioner, 60)
    upcoming = _planned(cast, cast.practitioner, 9)
    html = _home(client, cast.supervisor)
    assert PANEL in html
    panel = html[html.index(PANEL) :]
    panel = panel[: panel.index("</table>")]
    assert cast.practitioner.display_name in panel
    assert date_filter(last.held_on, "j M Y") in panel
    assert date_filter(timezone.localtime(upcoming.planned_start), "j M Y, H:i") in panel
    assert reverse("supervision:session_detail", args=[upcoming.pk]) in panel
    assert "1 of your supervisees is overdue for supervision" in html
    assert "Overdue</strong> by 30 days" in panel


def test_supervisee_up_to_date_with_nothing_planned(cast: Any, client: Any, held: Any) -> None:
    held(cast.practitioner, 5)
    html = _home(client, cast.supervisor)
    assert "None of your supervisees is overdue for supervision" in html
    assert "None planned" in html


def test_line_manager_sees_reports_with_whoever_supervises_them(
    cast: Any, client: Any, held: Any
) -> None:
    upcoming = _planned(cast, cast.practitioner, 3)
    html = _home(client, cast.line_manager)
    assert "Your reports: last and next sessions" in html
    assert "None held" in html
    assert (
        f"{date_filter(timezone.localtime(upcoming.planned_start), 'j M Y, H:i')} with "
        f"{cast.supervisor.display_name}"
    ) in html
    # The manager does not lead the session, so it is not linked.
    assert reverse("supervision:session_detail", args=[upcoming.pk]) not in html


def test_people_with_nobody_to_supervise_or_manage_have_no_such_panel(
    cast: Any, client: Any
) -> None:
    for person in (cast.practitioner, cast.auditor):
        client.force_login(person)
        home = client.get(reverse("home")).content.decode()
        assert reverse("assurance:my_people") not in home
        assert client.get(reverse("assurance:my_people")).status_code == 403


def test_panel_query_count_does_not_grow_with_supervisees(
    cast: Any, client: Any, held: Any
) -> None:
    client.force_login(cast.supervisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    def grow(n: int) -> None:
        for _ in range(n):
            person = pf.PersonFactory()
            pf.MembershipFactory(person=person, agency=cast.agency, team=cast.team)
            pf.SupervisionRelationshipFactory(
                supervisor=cast.supervisor, supervisee=person, agency=cast.agency
            )
            held(person, 40)
            _planned(cast, person, 5)

    grow(1)
    few = count()
    grow(6)
    assert count() <= few


def test_my_people_page_costs_a_fixed_number_of_queries(
    cast: Any, client: Any, held: Any, django_assert_max_num_queries: Any
) -> None:
    """Issue 12: the page the home page links to lists everyone, at a fixed cost."""

    def grow(n: int) -> None:
        for _ in range(n):
            person = pf.PersonFactory()
            pf.MembershipFactory(person=person, agency=cast.agency, team=cast.team)
            pf.SupervisionRelationshipFactory(
                supervisor=cast.supervisor, supervisee=person, agency=cast.agency
            )
            held(person, 40)
            _planned(cast, person, 5)

    client.force_login(cast.supervisor)
    grow(2)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("assurance:my_people"))
    grow(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("assurance:my_people")).content.decode()
    assert page.count('<tr class="govuk-table__row">') == 1 + 1 + 12
