"""/health/ready/ for a load balancer (issue 14 item 3): ready only when the database
answers, the cache keeps what it is given and the task queue is not left behind; the public
answer says only ready or unavailable, and which check failed is for an administrator or a
monitor holding HEALTH_CHECK_TOKEN."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

READY = "/health/ready/"
TOKEN_HEADER = "HTTP_X_HEALTH_CHECK_TOKEN"
NOON = dt.datetime(2026, 11, 17, 12, tzinfo=ZoneInfo("Europe/London"))


def waiting_task(enqueued: dt.datetime) -> None:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="oversight.example.task",
        backend_name="default",
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=enqueued, run_after=enqueued)


def test_ready_says_only_ready_to_the_public(client: Any, db: None) -> None:
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}
    assert response["Cache-Control"] == "no-store"
    assert connection.vendor not in response.content.decode()


@time_machine.travel(NOON, tick=False)
def test_a_task_queue_left_behind_makes_the_service_unavailable(
    client: Any, cast: Any, settings: Any
) -> None:
    settings.HEALTH_QUEUE_MAX_MINUTES = 15
    waiting_task(NOON - dt.timedelta(minutes=10))
    assert client.get(READY).status_code == 200
    waiting_task(NOON - dt.timedelta(minutes=16))
    public = client.get(READY)
    assert public.status_code == 503
    assert public.json() == {"status": "unavailable"}
    client.force_login(cast.administrator)
    detail = client.get(READY).json()
    assert detail["checks"] == {"database": "ok", "cache": "ok", "task_queue": "behind"}
    assert detail["oldest_waiting_seconds"] == 16 * 60
    # A deployment that keeps serving while its workers are down leaves the backlog out.
    settings.HEALTH_QUEUE_MAX_MINUTES = 0
    assert client.get(READY).status_code == 200


@time_machine.travel(NOON, tick=False)
def test_a_task_waiting_for_its_time_is_not_a_backlog(client: Any, db: None) -> None:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="oversight.example.task",
        backend_name="default",
        run_after=NOON + dt.timedelta(hours=1),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=NOON - dt.timedelta(hours=3))
    assert client.get(READY).json() == {"status": "ready"}


def test_a_cache_that_keeps_nothing_makes_the_service_unavailable(
    client: Any, db: None, settings: Any
) -> None:
    settings.HEALTH_CHECK_TOKEN = "monitor-secret-token"
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ):
        public = client.get(READY)
        monitor = client.get(READY, **{TOKEN_HEADER: "monitor-secret-token"})
    assert public.status_code == monitor.status_code == 503
    assert public.json() == {"status": "unavailable"}
    assert monitor.json()["checks"]["cache"] == "unavailable"
    assert monitor.json()["checks"]["database"] == "ok"


def test_a_signed_in_non_administrator_and_a_wrong_token_get_only_the_public_answer(
    client: Any, cast: Any, settings: Any
) -> None:
    settings.HEALTH_CHECK_TOKEN = "monitor-secret-token"
    assert client.get(READY, **{TOKEN_HEADER: "guess"}).json() == {"status": "ready"}
    for person in (cast.practitioner, cast.agency_lead, cast.auditor):
        client.force_login(person)
        assert client.get(READY).json() == {"status": "ready"}
