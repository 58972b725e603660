"""Issue 9 item 7: group supervision counts, but only for those who came. The agency's policy
says which session types count towards a person's supervision (seed 001 standard 3: "on a
one-to-one or group basis", decided locally); an attended group or reflective practice group
then counts for each attendee in compliance, on home pages and the compliance page; a person
marked "did not attend" does not count and does not read the group's record."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oversight.assurance.compliance import compliance_for
from oversight.contracts.models import SessionType
from oversight.contracts.tests.factories import SupervisionPolicyFactory
from oversight.people.tests import factories as pf
from oversight.supervision.models import SessionAttendance, SessionStatus
from oversight.supervision.tests.factories import SessionFactory, SessionRecordFactory

NOW = dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()
GROUPS_COUNT = [SessionType.ONE_TO_ONE, SessionType.GROUP, SessionType.REFLECTIVE_GROUP]

pytestmark = pytest.mark.usefixtures("_pinned")


@pytest.fixture
def _pinned() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def one_to_one(cast: Any, person: Any, on: dt.date) -> Any:
    return SessionFactory(
        supervisor=cast.supervisor,
        supervisee=person,
        agency=cast.agency,
        status=SessionStatus.HELD,
        held_on=on,
        planned_start=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
    )


def group(cast: Any, on: dt.date, came: dict[Any, bool | None]) -> Any:
    session: Any = SessionFactory(
        session_type=SessionType.REFLECTIVE_GROUP,
        supervisor=cast.agency_lead,
        supervisee=None,
        agency=cast.agency,
        title="CSPR: Child Q",
        status=SessionStatus.HELD,
        held_on=on,
        planned_start=timezone.make_aware(dt.datetime.combine(on, dt.time(13))),
    )
    for person, attended in came.items():
        SessionAttendance.objects.create(session=session, person=person, attended=attended)
    SessionRecordFactory(session=session)
    return session


def row_of(person: Any, on: dt.date = TODAY) -> Any:
    (row,) = compliance_for(on=on, person_ids=[person.pk])
    return row


def test_an_attended_group_counts_for_each_attendee_where_the_policy_says_so(
    cast: Any, client: Any
) -> None:
    SupervisionPolicyFactory(
        agency=cast.agency, interval_days=30, counted_session_types=GROUPS_COUNT
    )
    one_to_one(cast, cast.practitioner, days_ago(50))
    group(cast, days_ago(10), {cast.practitioner: True, cast.stranger: True})
    for person in (cast.practitioner, cast.stranger):
        row = row_of(person)
        assert row.last_held_on == days_ago(10)
        assert row.days_overdue == 0
    # The supervisor's home page and the lead's compliance page say the same.
    client.force_login(cast.supervisor)
    home = client.get(reverse("assurance:my_people")).content.decode()
    assert "None of your supervisees is overdue for supervision" in home
    assert "7 Nov 2026" in home  # the group, ten days before
    client.force_login(cast.agency_lead)
    row = _row(client.get(reverse("assurance:compliance")).content.decode(), cast.practitioner)
    assert "7 Nov 2026" in row and "Overdue" not in row


def _row(page: str, person: Any) -> str:
    """The compliance page's table row that links to ``person``."""
    link = reverse("people:person_detail", args=[person.pk])
    start = page.rindex("<tr", 0, page.index(f'href="{link}"'))
    return page[start : page.index("</tr>", start)]


def test_a_member_marked_did_not_attend_does_not_count(cast: Any, client: Any) -> None:
    SupervisionPolicyFactory(
        agency=cast.agency, interval_days=30, counted_session_types=GROUPS_COUNT
    )
    one_to_one(cast, cast.practitioner, days_ago(50))
    group(cast, days_ago(10), {cast.practitioner: False, cast.stranger: True})
    row = row_of(cast.practitioner)
    assert row.last_held_on == days_ago(50)
    assert "Supervision overdue by 20 days" in row.issues
    client.force_login(cast.supervisor)
    home = client.get(reverse("assurance:my_people")).content.decode()
    assert "1 of your supervisees is overdue for supervision" in home
    assert "Overdue</strong> by 20 days" in home
    client.force_login(cast.agency_lead)
    row = _row(client.get(reverse("assurance:compliance")).content.decode(), cast.practitioner)
    assert "Supervision overdue by 20 days" in row


def test_a_group_whose_attendance_is_not_recorded_does_not_count(cast: Any) -> None:
    SupervisionPolicyFactory(agency=cast.agency, counted_session_types=GROUPS_COUNT)
    one_to_one(cast, cast.practitioner, days_ago(50))
    group(cast, days_ago(10), {cast.practitioner: None})
    assert row_of(cast.practitioner).last_held_on == days_ago(50)


def test_a_group_does_not_count_where_the_policy_counts_one_to_ones_only(cast: Any) -> None:
    SupervisionPolicyFactory(agency=cast.agency, interval_days=30)
    one_to_one(cast, cast.practitioner, days_ago(50))
    group(cast, days_ago(10), {cast.practitioner: True})
    row = row_of(cast.practitioner)
    assert row.last_held_on == days_ago(50)
    assert row.days_overdue == 20


def test_the_policy_in_force_on_the_date_decides_whether_groups_count(cast: Any) -> None:
    SupervisionPolicyFactory(
        agency=cast.agency, effective_from=days_ago(400), counted_session_types=GROUPS_COUNT
    )
    SupervisionPolicyFactory(
        agency=cast.agency,
        effective_from=days_ago(5),
        counted_session_types=[SessionType.ONE_TO_ONE],
    )
    one_to_one(cast, cast.practitioner, days_ago(50))
    group(cast, days_ago(10), {cast.practitioner: True})
    assert row_of(cast.practitioner, on=days_ago(6)).last_held_on == days_ago(10)
    assert row_of(cast.practitioner).last_held_on == days_ago(50)


def test_counting_groups_keeps_the_query_count_fixed(cast: Any) -> None:
    SupervisionPolicyFactory(agency=cast.agency, counted_session_types=GROUPS_COUNT)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            compliance_for(on=TODAY, agency_ids=[cast.agency.pk])
        return len(queries)

    group(cast, days_ago(10), {cast.practitioner: True})
    before = count()
    for _ in range(6):
        person = pf.PersonFactory()
        pf.MembershipFactory(person=person, agency=cast.agency, team=cast.team)
        group(cast, days_ago(3), {person: True, cast.practitioner: True})
    assert count() == before == 3
