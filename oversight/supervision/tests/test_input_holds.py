"""Issue 10 items 6 and 7 for supervision: a form sent twice makes one record, and dates a
keyboard slip gives (year 0001, 9999) are refused with our words, keeping what was typed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.core.testing import shows_typed_date
from oversight.supervision.models import Action, Session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned(time_machine: Any) -> None:
    time_machine.move_to(
        dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London")), tick=False
    )


def _token(page: str, prefix: str = "") -> str:
    found = re.search(rf'name="{prefix}submission_token" value="([^"]+)"', page)
    assert found, "the form carries no submission token"
    return found.group(1)


def _plan(cast: Any, token: str, day: str = "2026-11-24", **extra: Any) -> dict[str, Any]:
    return {
        "session_type": "one_to_one",
        "supervisee": cast.practitioner.pk,
        "date": day,
        "start_time": "14:00",
        "duration_minutes": 60,
        "location": "Room 4",
        "submission_token": token,
        **extra,
    }


def test_planning_form_sent_twice_plans_one_session(cast: Any, client: Any) -> None:
    client.force_login(cast.supervisor)
    url = reverse("supervision:session_plan")
    token = _token(client.get(url, {"type": "one_to_one"}).content.decode())
    first = client.post(url, _plan(cast, token))
    second = client.post(url, _plan(cast, token))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Session.objects.filter(supervisee=cast.practitioner).count() == 1


def test_each_fresh_planning_form_plans_its_own_session(cast: Any, client: Any) -> None:
    client.force_login(cast.supervisor)
    url = reverse("supervision:session_plan")
    for day in ("2026-11-24", "2026-12-01"):
        page = client.get(url, {"type": "one_to_one"}).content.decode()
        client.post(url, _plan(cast, _token(page), day))
    assert Session.objects.filter(supervisee=cast.practitioner).count() == 2


def test_someone_elses_submission_token_plans_nothing(cast: Any, client: Any) -> None:
    client.force_login(cast.supervisor)
    url = reverse("supervision:session_plan")
    token = _token(client.get(url, {"type": "one_to_one"}).content.decode())
    client.post(url, _plan(cast, token))
    client.force_login(cast.other_supervisor)
    response = client.post(url, _plan(cast, token, supervisee=""))
    assert "This form has already been sent" in response.content.decode()
    assert Session.objects.count() == 1


def test_action_form_sent_twice_adds_one_action(cast: Any, client: Any, record: Any) -> None:
    client.force_login(cast.supervisor)
    page = client.get(reverse("supervision:record", args=[record.session_id])).content.decode()
    token = _token(page, "action-")
    data = {
        "action-description": "Share the chronology",
        "action-owner": cast.practitioner.pk,
        "action-due_on": "2026-12-01",
        "action-submission_token": token,
    }
    url = reverse("supervision:action_add", args=[record.session_id])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Action.objects.filter(origin_record=record).count() == 1


def test_a_planning_form_refused_once_can_be_sent_again(cast: Any, client: Any) -> None:
    """The token survives an error, and the failed post claimed nothing."""
    client.force_login(cast.supervisor)
    url = reverse("supervision:session_plan")
    token = _token(client.get(url, {"type": "one_to_one"}).content.decode())
    refused = client.post(url, _plan(cast, token, duration_minutes=5))
    assert _token(refused.content.decode()) == token
    assert client.post(url, _plan(cast, token)).status_code == 302
    assert Session.objects.filter(supervisee=cast.practitioner).count() == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "Enter a session date no more than 5 years ago."),
        ("2021-11-16", "Enter a session date no more than 5 years ago."),
        ("2028-11-18", "Enter a session date no more than 2 years ahead."),
        ("9999-12-31", "Enter a session date no more than 2 years ahead."),
    ],
)
def test_a_session_more_than_five_years_back_or_two_years_ahead_is_refused(
    cast: Any, client: Any, day: str, message: str
) -> None:
    client.force_login(cast.supervisor)
    response = client.post(reverse("supervision:session_plan"), _plan(cast, "", day))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert shows_typed_date(page, "date", day) and 'value="Room 4"' in page
    assert not Session.objects.exists()


def test_a_session_five_years_back_or_two_years_ahead_is_accepted(cast: Any, client: Any) -> None:
    client.force_login(cast.supervisor)
    url = reverse("supervision:session_plan")
    for day in ("2021-11-17", "2028-11-17"):
        assert client.post(url, _plan(cast, "", day)).status_code == 302


@pytest.mark.parametrize(
    ("field", "day", "message"),
    [
        ("held_on", "0001-01-01", "Enter a session date no more than 5 years ago."),
        ("next_session_on", "9999-12-31", "Enter a session date no more than 2 years ahead."),
        ("last_session_on", "1899-12-31", "Enter a session date no more than 5 years ago."),
    ],
)
def test_a_record_with_a_session_date_in_year_0001_or_9999_is_refused(
    cast: Any, client: Any, record: Any, field: str, day: str, message: str
) -> None:
    client.force_login(cast.supervisor)
    held_on = timezone.localdate().isoformat()
    data = {"held_on": held_on, "agenda_notes": "Workload", "version": record.version}
    response = client.post(
        reverse("supervision:record_save", args=[record.session_id]), {**data, field: day}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page and shows_typed_date(page, field, day) and "Workload" in page
    record.refresh_from_db()
    assert record.agenda_notes != "Workload"


def test_an_action_due_in_year_9999_is_refused(cast: Any, client: Any, record: Any) -> None:
    client.force_login(cast.supervisor)
    response = client.post(
        reverse("supervision:action_add", args=[record.session_id]),
        {
            "action-description": "Share the chronology",
            "action-owner": cast.practitioner.pk,
            "action-due_on": "9999-12-31",
        },
    )
    page = response.content.decode()
    assert "Enter a date on or before 31 December 2100." in page
    assert "Share the chronology" in page
    assert not Action.objects.exists()


def test_planning_asks_the_kind_of_session_first_then_only_what_it_needs(
    cast: Any, client: Any
) -> None:
    """Issue 12 item 4: no sixteen invitee checkboxes for a one-to-one."""
    client.force_login(cast.supervisor)
    url = reverse("supervision:session_plan")
    first = client.get(url).content.decode()
    assert "What kind of session are you planning?" in first
    assert 'name="date_day"' not in first
    refused = client.get(url, {"type": "tea"}).content.decode()
    assert "Select the kind of session" in refused
    one_to_one = client.get(url, {"type": "one_to_one"}).content.decode()
    assert 'name="supervisee"' in one_to_one and 'name="attendees"' not in one_to_one
    assert 'name="date_day"' in one_to_one
    group = client.get(url, {"type": "group"}).content.decode()
    assert 'name="attendees"' in group and 'name="supervisee"' not in group
    three_way = client.get(url, {"type": "three_way"}).content.decode()
    assert "Who else is invited" in three_way and 'name="supervisee"' in three_way
    # The supervisor's own supervisee heads the list of people to invite.
    options = re.findall(r'name="attendees" value="(\d+)"', three_way)
    assert options[0] == str(cast.practitioner.pk)
