"""Issue 9 item 5: what is planned matches what is due. When someone has no session planned
by the date their supervision falls due, or the next one is planned after that date, the
supervisor's and line manager's home panels say so instead of "Nothing" (seed 001 standard 3:
"dates and times should be planned and prioritised")."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from oversight.supervision.models import SessionStatus
from oversight.supervision.tests.factories import SessionFactory

NOW = dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))
PANEL = "last and next sessions"

pytestmark = pytest.mark.usefixtures("_pinned")


@pytest.fixture
def _pinned() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _session(cast: Any, day: dt.date, **extra: Any) -> Any:
    return SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        planned_start=timezone.make_aware(dt.datetime.combine(day, dt.time(14))),
        **extra,
    )


def _held(cast: Any, day: dt.date) -> Any:
    return _session(cast, day, status=SessionStatus.HELD, held_on=day)


def _row(client: Any, viewer: Any, person: Any) -> str:
    """The panel's row for ``person`` on ``viewer``'s home page."""
    client.force_login(viewer)
    page = client.get(reverse("assurance:my_people")).content.decode()
    panel = page[page.index(PANEL) :]
    link = reverse("people:person_detail", args=[person.pk])
    start = panel.rindex("<tr", 0, panel.index(f'href="{link}"'))
    return " ".join(panel[start : panel.index("</tr>", start)].split())


def test_no_session_planned_by_the_due_date_is_said_on_the_supervisors_and_managers_home(
    cast: Any, client: Any
) -> None:
    _held(cast, dt.date(2026, 11, 12))  # due 30 days on: 12 December
    for viewer in (cast.supervisor, cast.line_manager):
        row = _row(client, viewer, cast.practitioner)
        assert "No session planned by 12 Dec 2026, when supervision falls due" in row
        assert "Nothing" not in row


def test_a_session_planned_after_supervision_falls_due_is_said(cast: Any, client: Any) -> None:
    _held(cast, dt.date(2026, 11, 12))
    _session(cast, dt.date(2027, 1, 20))
    for viewer in (cast.supervisor, cast.line_manager):
        row = _row(client, viewer, cast.practitioner)
        assert "Planned 20 Jan 2027, after supervision falls due on 12 Dec 2026" in row


def test_overdue_with_nothing_planned_says_when_supervision_fell_due(
    cast: Any, client: Any
) -> None:
    _held(cast, dt.date(2026, 9, 1))  # due 1 October
    row = _row(client, cast.supervisor, cast.practitioner)
    assert "No session planned, and supervision fell due on 1 Oct 2026" in row


def test_a_session_planned_in_time_needs_no_attention(cast: Any, client: Any) -> None:
    _held(cast, dt.date(2026, 11, 12))
    _session(cast, dt.date(2026, 12, 10))
    row = _row(client, cast.supervisor, cast.practitioner)
    assert "No session planned" not in row and "after supervision" not in row
