"""The real worker (``manage.py db_worker``, core's) against real mail servers (issue 10 item
2): a worker killed mid-send, an SMTP outage and a server that never answers lose no alert.

The worker is another process, so it needs a database both can see: PostgreSQL, as in CI
(``DATABASE_URL``); on the default in-memory SQLite these tests are skipped. Every wait is
bounded, and every process and server started here is stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from oversight.core.models import OutgoingEmail, OutgoingEmailState

from .mailserver import free_port, silent_server, smtp_server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the worker is another process: it needs PostgreSQL (DATABASE_URL), as in CI",
    ),
    # make test-dates runs the suite under libfaketime, whose clock_nanosleep fails with
    # EINVAL, so neither the worker nor these tests can sleep there. They do not depend on
    # the date, and make test runs them (CI, on PostgreSQL).
    pytest.mark.skipif(
        "faketime" in os.environ.get("LD_PRELOAD", ""),
        reason="libfaketime breaks time.sleep in the worker; make test runs these",
    ),
]

ROOT = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 60  # the worker starts Django on a busy machine; still bounded
DISCLOSURES = 5


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


@contextmanager
def worker(email_port: int, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """``manage.py db_worker`` on the test database, the queue in the database and mail to
    ``email_port`` on this machine; killed (and reaped) however the test ends."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oversight.settings.test",
        "DATABASE_URL": _database_url(),
        "TEST_WORKER_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "TEST_WORKER_REAL_MAIL": "true",
        "EMAIL_URL": f"smtp://127.0.0.1:{email_port}",
        "EMAIL_TIMEOUT": "5",
        "EMAIL_RETRY_SECONDS": "0.5",
        "WORKER_HEARTBEAT_SECONDS": "1",
        **env,
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--interval",
                "0.1",
                "--no-startup-delay",
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=WAIT_SECONDS)


def wait_for(condition: Callable[[], bool], what: str, process: Any = None) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.1)
    states = list(OutgoingEmail.objects.values_list("state", "attempts", "last_error"))
    tasks = list(DBTaskResult.objects.values_list("task_path", "status"))
    pytest.fail(f"Gave up waiting for {what}. Emails: {states}. Tasks: {tasks}")


@pytest.fixture
def record_disclosures(cast: Any) -> Callable[[int], list[Any]]:
    """Disclosures recorded as the supervisor does, committed, their alerts on the database
    queue for the worker: one email to the agency's lead each."""
    from oversight.children.services import disclosure_record

    def record(count: int) -> list[Any]:
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            return [
                disclosure_record(
                    actor=cast.supervisor,
                    supervisee=cast.practitioner,
                    agency=cast.agency,
                    category="unsafe_practice",
                    reason=f"Visits not made ({n})",
                    what_is_needed="Audit the visits",
                )
                for n in range(count)
            ]

    return record


def _sent() -> int:
    return OutgoingEmail.objects.filter(state=OutgoingEmailState.SENT).count()


def test_alerts_are_delivered_after_the_worker_is_killed_mid_send(
    cast: Any, record_disclosures: Any
) -> None:
    with smtp_server(hold=True) as (port, received):
        with worker(port) as first:
            disclosures = record_disclosures(DISCLOSURES)
            assert received.holding.wait(WAIT_SECONDS), "the worker never reached the server"
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=WAIT_SECONDS)
        # What the worker left: its task RUNNING for ever, the email halfway.
        assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 1
        assert OutgoingEmail.objects.filter(state=OutgoingEmailState.SENDING).count() == 1
        received.release.set()

        with worker(port) as second:
            wait_for(lambda: _sent() == DISCLOSURES, "every alert to be sent", second)
            wait_for(
                lambda: (
                    not DBTaskResult.objects.filter(
                        status__in=[TaskResultStatus.RUNNING, TaskResultStatus.READY]
                    ).exists()
                ),
                "the queue to empty",
                second,
            )
    assert received.count() == DISCLOSURES
    assert all(m["to"] == [cast.agency_lead.email] for m in received.messages)
    cut_off = OutgoingEmail.objects.get(attempts=2)
    assert cut_off.state == OutgoingEmailState.SENT
    assert [d.lead_alert().state for d in disclosures] == ["sent"] * DISCLOSURES


def test_alerts_are_delivered_after_an_smtp_outage(cast: Any, record_disclosures: Any) -> None:
    port = free_port()
    with worker(port, EMAIL_RETRY_SECONDS="1") as process:
        record_disclosures(DISCLOSURES)
        wait_for(
            lambda: (
                OutgoingEmail.objects.filter(
                    attempts__gte=1, last_error__contains="ConnectionRefusedError"
                ).count()
                == DISCLOSURES
            ),
            "a refused try of each alert",
            process,
        )
        assert _sent() == 0
        with smtp_server(port) as (_, received):
            wait_for(lambda: _sent() == DISCLOSURES, "every alert to be sent", process)
            assert received.count() == DISCLOSURES
    assert not OutgoingEmail.objects.filter(attempts__lt=2).exists()


def test_a_mail_server_that_never_answers_does_not_hold_the_worker(
    cast: Any, record_disclosures: Any
) -> None:
    with (
        silent_server() as port,
        worker(port, EMAIL_TIMEOUT="1", EMAIL_MAX_ATTEMPTS="2") as process,
    ):
        disclosures = record_disclosures(2)
        wait_for(
            lambda: OutgoingEmail.objects.filter(state=OutgoingEmailState.FAILED).count() == 2,
            "both alerts to be marked not sent",
            process,
        )
        assert process.poll() is None
    assert all("timed out" in e.last_error for e in OutgoingEmail.objects.all())
    assert [d.lead_alert().state for d in disclosures] == ["failed", "failed"]
    assert [d.lead_alert().attempts for d in disclosures] == [2, 2]
