"""Issue 9 item 7, the deny side: a member marked "did not attend" does not read the group's
record (seed 001 "Recording": records are confidential), while those who came, and everyone
invited before attendance is recorded, do."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from oversight.supervision import services

NOW = dt.datetime(2026, 11, 17, 15, tzinfo=ZoneInfo("Europe/London"))

pytestmark = pytest.mark.usefixtures("_pinned")


@pytest.fixture
def _pinned() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _group(cast: Any) -> Any:
    session = services.session_plan(
        actor=cast.supervisor,
        session_type="reflective_group",
        supervisor=cast.supervisor,
        attendees=[cast.practitioner, cast.stranger],
        agency=cast.agency,
        planned_start=timezone.now() - dt.timedelta(hours=2),
        title="CSPR: Child Q",
    )
    services.session_record(
        actor=cast.supervisor,
        session=session,
        held_on=timezone.localdate(),
        data={"learning_development": "Disguised compliance: test what parents tell us"},
    )
    return session


def test_a_member_marked_did_not_attend_does_not_read_the_group_record(
    cast: Any, client: Any
) -> None:
    session = _group(cast)
    record_url = reverse("supervision:record", args=[session.pk])
    pdf_url = reverse("supervision:record_pdf", args=[session.pk])
    client.force_login(cast.stranger)
    assert "Disguised compliance" in client.get(record_url).content.decode()
    services.session_attendance_record(
        actor=cast.supervisor, session=session, attended_ids=[cast.practitioner.pk]
    )
    assert client.get(record_url).status_code == 403
    assert client.get(pdf_url).status_code == 403
    detail = client.get(reverse("supervision:session_detail", args=[session.pk]))
    assert detail.status_code == 200
    assert "Open the record" not in detail.content.decode()
    client.force_login(cast.practitioner)
    assert "Disguised compliance" in client.get(record_url).content.decode()
