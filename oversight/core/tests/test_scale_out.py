"""Scaling past one process (issue 14 item 4, docs/scaling.md): two web processes and two task
workers on one PostgreSQL database, under the production settings. A change made through
one web process is seen through the other with the same session, and each queued job runs
exactly once though both workers compete for the queue."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from oversight.core.models import WorkerHeartbeat
from oversight.people.models import Agency, Nation, Sector
from oversight.signin.testing import code_for, second_factor_for

from .mailserver import smtp_server
from .processes import (
    ROOT,
    WAIT_SECONDS,
    Browser,
    collectstatic,
    db_worker,
    gunicorn,
    needs_postgresql,
    not_under_faketime,
    production_env,
    text_of,
)
from .test_serve import set_production_password

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql, not_under_faketime]

SEND = "oversight.core.tasks.outgoing_email_send"


def wait_for(condition: Any, what: str, *processes: Any) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        for process in processes:
            if process.process.poll() is not None:
                pytest.fail(f"A process stopped while waiting for {what}:\n{process.log_text()}")
        time.sleep(0.2)
    tasks = list(DBTaskResult.objects.values_list("task_path", "status", "worker_ids"))
    pytest.fail(f"Gave up waiting for {what}. Tasks: {tasks}")


def test_two_web_processes_and_two_workers_share_one_database(cast: Any, tmp_path: Path) -> None:
    set_production_password(cast.administrator)
    # An administrator signs in with a second factor (decision 0009).
    device = second_factor_for(cast.administrator)
    people = [
        cast.practitioner,
        cast.supervisor,
        cast.line_manager,
        cast.agency_lead,
        cast.stranger,
        cast.other_practitioner,
        cast.other_supervisor,
        cast.other_lead,
    ]
    with smtp_server() as (smtp_port, received):
        env = production_env(
            STATIC_ROOT=str(tmp_path / "static"),
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        )
        collectstatic(env)
        subprocess.run(
            [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True
        )
        with (
            tempfile.TemporaryFile() as log_a,
            tempfile.TemporaryFile() as log_b,
            tempfile.TemporaryFile() as log_1,
            tempfile.TemporaryFile() as log_2,
            gunicorn(env, log_a) as web_a,
            gunicorn(env, log_b) as web_b,
            db_worker(env, log_1) as worker_1,
            db_worker(env, log_2) as worker_2,
        ):
            everyone = (web_a, web_b, worker_1, worker_2)
            browser = Browser()
            status, _, home = browser.post_form(
                web_a.url + "/account/sign-in/",
                {"username": "administrator", "password": "correct-horse-battery-staple"},
            )
            assert status == 200
            status, _, home = browser.post_form(
                web_a.url + "/account/sign-in/second-factor/", {"code": code_for(device)}
            )
            assert status == 200 and "Sign out" in text_of(home)
            assert "Set up an authenticator app" not in text_of(home)

            # A change through one web process...
            status, _, page = browser.post_form(
                web_a.url + "/manage/agencies/new/",
                {"name": "Northshire Scale Trust", "sector": Sector.HEALTH, "nation": Nation.WALES},
            )
            assert status == 200, text_of(page)[:2000]
            assert "Northshire Scale Trust added." in text_of(page)
            # ...is seen through the other, signed in with the same session.
            status, _, listed = browser.get(web_b.url + "/manage/agencies/")
            assert status == 200
            assert "Northshire Scale Trust" in text_of(listed)
            assert Agency.objects.filter(name="Northshire Scale Trust").count() == 1

            # Jobs queued through both web processes: a password reset email each.
            for n, person in enumerate(people):
                web = (web_a, web_b)[n % 2]
                status, _, sent = Browser().post_form(
                    web.url + "/account/password-reset/", {"email": person.email}
                )
                assert status == 200, text_of(sent)[:2000]
            wait_for(lambda: received.count() >= len(people), "every reset email", *everyone)
            wait_for(
                lambda: (
                    DBTaskResult.objects.filter(task_path=SEND).count() == len(people)
                    and not DBTaskResult.objects.filter(
                        task_path=SEND,
                        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
                    ).exists()
                ),
                "the queue to empty",
                *everyone,
            )
            time.sleep(1)  # a second send would have happened by now
            live_workers = set(
                WorkerHeartbeat.objects.filter(stopped_at__isnull=True).values_list(
                    "worker_id", flat=True
                )
            )

    # Each email reached its person exactly once.
    recipients = sorted(to for message in received.messages for to in message["to"])
    assert recipients == sorted(person.email for person in people)
    # Each job was claimed by one worker, once, and succeeded.
    tasks = DBTaskResult.objects.filter(task_path=SEND)
    assert tasks.count() == len(people)
    assert {task.status for task in tasks} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(task.worker_ids) == 1 for task in tasks)
    assert len(live_workers) == 2
    assert {task.worker_ids[0] for task in tasks} <= live_workers
