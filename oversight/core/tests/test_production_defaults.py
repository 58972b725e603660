"""Production defaults are closed (issue 10 item 9): Django's admin is off unless switched on,
and the public health answer says only up or down; detail is for an administrator or a
monitor holding HEALTH_CHECK_TOKEN."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import clear_url_caches
from django_tasks_db.models import DBTaskResult

import oversight.urls

HEALTH = "/health/"
TOKEN_HEADER = "HTTP_X_HEALTH_CHECK_TOKEN"
NOON = dt.datetime(2026, 11, 17, 12, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def urls_with(settings: Any) -> Iterator[Any]:
    """Rebuild the URLconf after changing a setting it reads; restore it afterwards."""

    def rebuild(**changes: Any) -> None:
        for name, value in changes.items():
            setattr(settings, name, value)
        importlib.reload(oversight.urls)
        clear_url_caches()

    yield rebuild
    settings.ENABLE_DJANGO_ADMIN = False
    importlib.reload(oversight.urls)
    clear_url_caches()


def test_the_django_admin_is_not_served_unless_switched_on(
    client: Any, cast: Any, settings: Any, urls_with: Any
) -> None:
    assert settings.ENABLE_DJANGO_ADMIN is False
    for path in ("/django-admin/", "/django-admin/login/", "/admin/"):
        assert client.get(path).status_code == 404
    client.force_login(cast.administrator)
    assert client.get("/django-admin/").status_code == 404
    # Switched on, it is there.
    urls_with(ENABLE_DJANGO_ADMIN=True)
    client.logout()
    assert client.get("/django-admin/login/").status_code == 200


def test_the_public_health_answer_says_only_ok(client: Any, db: None) -> None:
    response = client.get(HEALTH)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert connection.vendor not in response.content.decode()


def test_the_public_health_answer_says_unavailable_when_the_database_is_down(
    client: Any, db: None, monkeypatch: Any, settings: Any
) -> None:
    settings.HEALTH_CHECK_TOKEN = "monitor-secret-token"

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(connection, "cursor", refuse)
    try:
        public = client.get(HEALTH)
        monitor = client.get(HEALTH, **{TOKEN_HEADER: "monitor-secret-token"})
    finally:
        monkeypatch.undo()
    assert public.status_code == monitor.status_code == 503
    assert public.json() == {"status": "unavailable"}
    assert monitor.json()["database"]["status"] == "unavailable"
    assert monitor.json()["task_queue"] == {"status": "unavailable"}


def test_a_signed_in_non_administrator_gets_only_the_public_health_answer(
    client: Any, cast: Any
) -> None:
    for person in (cast.practitioner, cast.agency_lead, cast.auditor):
        client.force_login(person)
        assert client.get(HEALTH).json() == {"status": "ok"}


@time_machine.travel(NOON, tick=False)
def test_an_administrator_gets_the_database_and_the_task_queue_backlog(
    client: Any, cast: Any
) -> None:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="oversight.example.task",
        backend_name="default",
        run_after=NOON - dt.timedelta(minutes=5),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=NOON - dt.timedelta(minutes=7))
    client.force_login(cast.administrator)
    answer = client.get(HEALTH).json()
    assert answer["status"] == "ok"
    assert answer["database"] == {"status": "ok", "vendor": connection.vendor}
    assert answer["task_queue"] == {"status": "ok", "waiting": 1, "oldest_waiting_seconds": 420}


def test_a_monitor_with_the_health_token_gets_the_detail_and_a_wrong_token_does_not(
    client: Any, db: None, settings: Any
) -> None:
    settings.HEALTH_CHECK_TOKEN = "monitor-secret-token"
    answer = client.get(HEALTH, **{TOKEN_HEADER: "monitor-secret-token"}).json()
    assert answer["database"]["status"] == "ok"
    assert answer["task_queue"] == {"status": "ok", "waiting": 0, "oldest_waiting_seconds": None}
    assert client.get(HEALTH, **{TOKEN_HEADER: "guess"}).json() == {"status": "ok"}
    # No token configured: sending an empty one gets nothing more.
    settings.HEALTH_CHECK_TOKEN = ""
    assert client.get(HEALTH, **{TOKEN_HEADER: ""}).json() == {"status": "ok"}
