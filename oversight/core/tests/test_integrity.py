"""The audit log is a hash chain and ``manage.py verify_integrity`` checks it and every app's
signed records (issue 10 item 4): it exits 0 when all is as written, and names the first
entry that was edited or follows a removed one, exiting 1."""

from __future__ import annotations

import datetime as dt
import itertools
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from oversight.core.models import AuditAction, AuditEvent
from oversight.core.services import audit_event_record
from oversight.core.testing import integrity_verified

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))


def _tamper(statement: str, params: list[Any]) -> None:
    """What someone with the database's superuser account could do: on PostgreSQL, skip the
    append-only trigger first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(statement, params)


@pytest.fixture
def events(cast: Any) -> list[AuditEvent]:
    return [
        audit_event_record(actor=cast.supervisor, action=AuditAction.VIEW, target=cast.agency),
        audit_event_record(
            actor=cast.agency_lead, action=AuditAction.EXPORT, detail={"format": "csv"}
        ),
        audit_event_record(actor=None, action=AuditAction.SIGN_IN_FAILED, detail={"username": "x"}),
    ]


def test_each_audit_entry_carries_the_hash_of_the_one_before(events: list[AuditEvent]) -> None:
    stored = list(AuditEvent.objects.order_by("id"))
    for before, after in itertools.pairwise(stored):
        assert after.previous_hash == before.hash and len(after.hash) == 64
    code, report = integrity_verified()
    assert code == 0
    assert "Checked 3 audit log entries: all intact." in report


def test_an_edited_audit_event_is_named_by_verify_integrity(events: list[AuditEvent]) -> None:
    _tamper("UPDATE core_auditevent SET action = 'view' WHERE id = %s", [events[1].pk])
    code, report = integrity_verified()
    assert code == 1
    assert f"BROKEN at core.auditevent {events[1].pk}: its content no longer matches" in report


def test_a_deleted_audit_event_is_named_by_verify_integrity(events: list[AuditEvent]) -> None:
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    code, report = integrity_verified()
    assert code == 1
    assert f"BROKEN at core.auditevent {events[2].pk}: it does not follow entry {events[0].pk}" in (
        report
    )


def test_an_audit_event_rewritten_with_a_fresh_hash_breaks_the_next_link(
    events: list[AuditEvent],
) -> None:
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.detail = {"format": "pdf"}
    _tamper(
        "UPDATE core_auditevent SET detail = %s, hash = %s WHERE id = %s",
        ['{"format": "pdf"}', forged.compute_hash(), events[1].pk],
    )
    code, report = integrity_verified()
    assert code == 1
    assert f"core.auditevent {events[2].pk}: it does not follow entry {events[1].pk}" in report


@time_machine.travel(NOW, tick=False)
def test_verify_integrity_exits_0_on_a_freshly_built_demo() -> None:
    call_command(
        "seed_demo", "--today", NOW.date().isoformat(), stdout=StringIO(), stderr=StringIO()
    )
    code, report = integrity_verified()
    assert code == 0, report
    assert "BROKEN" not in report
    checked = int(report.split("signed records")[0].split("Checked ")[-1])
    assert checked > 0, "the demo has signed records to check"
