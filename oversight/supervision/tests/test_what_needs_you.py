"""Issue 12 item 1: the pages behind the home page's counts. Records to sign are one list,
each record once, however many lists it belongs to (waiting for me, past its deadline, my
supervisee's); my open actions are listed with what is overdue; each page costs a fixed
number of queries however many records or actions there are."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from oversight.core.testing import today_is
from oversight.supervision.models import RecordStatus

from .factories import ActionFactory, SessionFactory, SessionRecordFactory

DAY = dt.date(2026, 11, 18)


def _record(cast: Any, *, sign_by: dt.date, status: str = RecordStatus.DRAFT) -> Any:
    session = SessionFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, held=True
    )
    return SessionRecordFactory(session=session, sign_by=sign_by, status=status)


def _main(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().split('id="main-content"')[1]


def test_a_record_in_every_list_is_listed_once_and_counted_once(cast: Any, client: Any) -> None:
    with today_is(DAY):
        late = _record(cast, sign_by=DAY - dt.timedelta(days=2))  # mine, late, my supervisee's
        _record(cast, sign_by=DAY + dt.timedelta(days=3))
        client.force_login(cast.supervisor)
        home = _main(client, reverse("home"))
        page = _main(client, reverse("supervision:records_to_sign"))
    assert "1 record not signed by its deadline" in home
    assert "1 record for you to sign this week" in home
    href = reverse("supervision:record", args=[late.session_id])
    assert page.count(f'href="{href}"') == 1
    assert page.count("Overdue: due 16 Nov 2026") == 1
    assert "Waiting for someone else" not in page


def test_the_supervisee_sees_a_late_record_waiting_for_the_supervisor(
    cast: Any, client: Any
) -> None:
    with today_is(DAY):
        late = _record(cast, sign_by=DAY - dt.timedelta(days=2))
        client.force_login(cast.practitioner)
        home = _main(client, reverse("home"))
        page = _main(client, reverse("supervision:records_to_sign"))
    assert "1 record not signed by its deadline" in home
    others = page.split("Waiting for someone else")[1]
    assert reverse("supervision:record", args=[late.session_id]) in others


def test_nobody_else_sees_them(cast: Any, client: Any) -> None:
    with today_is(DAY):
        _record(cast, sign_by=DAY - dt.timedelta(days=2))
        client.force_login(cast.other_supervisor)
        page = _main(client, reverse("supervision:records_to_sign"))
    assert "No record is waiting to be signed." in page


def test_my_actions_say_which_are_overdue(cast: Any, client: Any) -> None:
    with today_is(DAY):
        record = _record(cast, sign_by=DAY + dt.timedelta(days=5))
        ActionFactory(
            origin_record=record, description="Call the school", due_on=DAY - dt.timedelta(days=1)
        )
        ActionFactory(
            origin_record=record,
            description="Book the conference",
            due_on=DAY + dt.timedelta(days=3),
        )
        client.force_login(cast.practitioner)
        home = _main(client, reverse("home"))
        page = _main(client, reverse("supervision:action_list"))
    assert "1 of your actions is overdue" in home
    assert "1 action due this week" in home
    late = page.split("Call the school")[1].split("</li>")[0]
    soon = page.split("Book the conference")[1].split("</li>")[0]
    assert "Overdue" in late and "Overdue" not in soon
    client.force_login(cast.supervisor)
    assert "Call the school" not in _main(client, reverse("supervision:action_list"))


@pytest.mark.parametrize("url_name", ["supervision:records_to_sign", "supervision:action_list"])
def test_the_pages_cost_a_fixed_number_of_queries(
    cast: Any, client: Any, django_assert_max_num_queries: Any, url_name: str
) -> None:
    def grow(n: int) -> None:
        for i in range(n):
            record = _record(cast, sign_by=DAY - dt.timedelta(days=i % 3))
            ActionFactory(origin_record=record, due_on=DAY + dt.timedelta(days=i - 2))

    with today_is(DAY):
        grow(2)
        client.force_login(cast.practitioner)  # owns the actions; sees the late records
        with django_assert_max_num_queries(30) as few:
            client.get(reverse(url_name))
        grow(10)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(reverse(url_name)).status_code == 200
