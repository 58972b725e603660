"""Issue 10 item 6 against PostgreSQL: two identical posts of one form at the same moment (a
double click that got past the button's own guard) make one row. Each post runs in its own
thread with its own connection; a barrier releases them together."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oversight.children.models import Escalation
from oversight.supervision.models import (
    Action,
    Addendum,
    CaseDiscussion,
    ManagementOversight,
    RecordStatus,
    Session,
    SessionAttendance,
)

from .factories import SessionFactory, SessionRecordFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections"),
    pytest.mark.django_db(transaction=True),
]


def _token(page: str, prefix: str = "") -> str:
    found = re.search(rf'name="{prefix}submission_token" value="([^"]+)"', page)
    assert found, "the form carries no submission token"
    return found.group(1)


def _post_twice_at_once(person: Any, url: str, data: dict[str, Any]) -> list[int]:
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def post() -> None:
        try:
            client = Client()
            client.force_login(person)
            barrier.wait(timeout=10)
            statuses.append(client.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def _form(person: Any, url: str, prefix: str = "") -> str:
    client = Client()
    client.force_login(person)
    return _token(client.get(url).content.decode(), prefix)


def _duplicates(count: Callable[[], int]) -> int:
    return count() - 1


def test_two_identical_planning_posts_at_once_plan_one_session(cast: Any) -> None:
    url = reverse("supervision:session_plan")
    day = timezone.localdate() + dt.timedelta(days=7)
    data = {
        "session_type": "three_way",
        "supervisee": cast.practitioner.pk,
        "attendees": [cast.line_manager.pk],
        "date": day.isoformat(),
        "start_time": "14:00",
        "duration_minutes": 60,
        "submission_token": _form(cast.supervisor, f"{url}?type=three_way"),
    }
    assert _post_twice_at_once(cast.supervisor, url, data) == [302, 302]
    assert _duplicates(Session.objects.filter(supervisee=cast.practitioner).count) == 0
    assert SessionAttendance.objects.count() == 1


def test_two_identical_action_posts_at_once_add_one_action(cast: Any) -> None:
    session: Any = SessionFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, held=True
    )
    record: Any = SessionRecordFactory(session=session)
    token = _form(cast.supervisor, reverse("supervision:record", args=[session.pk]), "action-")
    data = {
        "action-description": "Share the chronology",
        "action-owner": cast.practitioner.pk,
        "action-due_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        "action-submission_token": token,
    }
    url = reverse("supervision:action_add", args=[session.pk])
    assert _post_twice_at_once(cast.supervisor, url, data) == [302, 302]
    assert _duplicates(Action.objects.filter(origin_record=record).count) == 0


def test_two_identical_escalation_posts_at_once_raise_one_escalation(cast: Any) -> None:
    url = reverse("children:escalation_add")
    data = {
        "subject": "agency_response",
        "about_agency": cast.other_agency.pk,
        "reason": "No strategy discussion",
        "what_was_tried": "Called the team manager",
        "level": "supervisor",
        "submission_token": _form(cast.practitioner, url),
    }
    assert _post_twice_at_once(cast.practitioner, url, data) == [302, 302]
    assert _duplicates(Escalation.objects.count) == 0


def _held_record(cast: Any, **extra: Any) -> Any:
    session: Any = SessionFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, held=True
    )
    return SessionRecordFactory(session=session, **extra)


def test_two_identical_case_discussion_posts_at_once_add_one_discussion(
    cast: Any, child: Any
) -> None:
    record = _held_record(cast)
    url = reverse("supervision:discussion_add", args=[record.session_id])
    data = {
        "child": child.pk,
        "rag_rating": "amber",
        "identified_needs": "A stable routine",
        "submission_token": _form(cast.supervisor, url),
    }
    assert _post_twice_at_once(cast.supervisor, url, data) == [302, 302]
    assert _duplicates(CaseDiscussion.objects.filter(record=record).count) == 0


def test_two_identical_addendum_posts_at_once_add_one_addendum(cast: Any) -> None:
    now = timezone.now()
    record = _held_record(
        cast,
        status=RecordStatus.SIGNED,
        supervisor_signed_at=now,
        supervisor_signed_by=cast.supervisor,
        supervisee_signed_at=now,
        supervisee_signed_by=cast.practitioner,
    )
    url = reverse("supervision:addendum_add", args=[record.session_id])
    data = {
        "reason": "Wrong date",
        "text": "The visit was on the 3rd",
        "submission_token": _form(cast.supervisor, url),
    }
    assert _post_twice_at_once(cast.supervisor, url, data) == [302, 302]
    assert _duplicates(Addendum.objects.filter(record=record).count) == 0


def test_two_identical_management_oversight_posts_at_once_record_it_once(
    cast: Any, child: Any
) -> None:
    url = reverse("supervision:oversight_add")
    data = {
        "child": child.pk,
        "made_on": timezone.localdate().isoformat(),
        "decision": "Convene an early core group",
        "rationale": "Two missed appointments",
        "submission_token": _form(cast.line_manager, url),
    }
    assert _post_twice_at_once(cast.line_manager, url, data) == [302, 302]
    assert _duplicates(ManagementOversight.objects.filter(child=child).count) == 0
