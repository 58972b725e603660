"""What every page pays before its own work (issue 17 item 1; decision 0026): compiled
templates kept in production, no session write on every page, and the per-request lookups
(session, person, access profile, permissions, the partnership's name) asked once or not
at all."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.template.backends.django import DjangoTemplates
from django.template.loaders import app_directories, cached, filesystem
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

PAGE = "glossary"  # a signed-in page with nothing of its own to look up


@pytest.fixture
def production(monkeypatch: Any) -> Iterator[ModuleType]:
    """The production settings module, as a deployment's environment gives it."""
    for name, value in {
        "SECRET_KEY": "overhead-test-not-secret",
        "ALLOWED_HOSTS": "oversight.example.org",
        "DATABASE_URL": "postgres://oversight@db.example.org:5432/oversight",
        "EMAIL_URL": "smtp://mail.example.org:25",
        "DEFAULT_FROM_EMAIL": "oversight@example.org",
        "CACHE_URL": "dbcache://oversight_cache",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("OVERSIGHT_LOCAL_HTTP", raising=False)
    sys.modules.pop("oversight.settings.production", None)
    yield importlib.import_module("oversight.settings.production")
    sys.modules.pop("oversight.settings.production", None)


@pytest.fixture
def frozen(time_machine: Any) -> dt.datetime:
    """The clock stands still from now (whatever day that is), for exact session ends."""
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    return now


def _session_writes(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")
    ]


def _stored_end(client: Any) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_production_keeps_compiled_templates(production: ModuleType) -> None:
    [options] = production.TEMPLATES
    assert options["BACKEND"] == "django.template.backends.django.DjangoTemplates"
    params = {key: value for key, value in options.items() if key != "BACKEND"}
    engine = DjangoTemplates({**params, "NAME": "production"}).engine
    [loader] = engine.template_loaders
    assert isinstance(loader, cached.Loader)
    assert [type(inner) for inner in loader.loaders] == [
        filesystem.Loader,
        app_directories.Loader,
    ]
    first = engine.get_template("base.html")
    assert engine.get_template("base.html") is first  # compiled once, then kept


def test_production_keeps_a_partnership_of_figures_in_the_database_cache(
    production: ModuleType, monkeypatch: Any
) -> None:
    assert production.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] >= 10_000
    monkeypatch.setenv("CACHE_URL", "dbcache://oversight_cache?max_entries=500")
    sys.modules.pop("oversight.settings.production", None)
    chosen = importlib.import_module("oversight.settings.production")
    assert chosen.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] == 500


def test_production_keeps_database_connections(production: ModuleType) -> None:
    database = production.DATABASES["default"]
    assert database["CONN_MAX_AGE"] >= 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_production_prepares_statements_unless_told_not_to(
    production: ModuleType, monkeypatch: Any
) -> None:
    """psycopg prepares a read used often (decision 0036); Django's own queries keep their
    parameters in the SQL. ``DB_PREPARED_STATEMENTS=false`` for a pooler without them."""
    options = production.DATABASES["default"]["OPTIONS"]
    assert options["prepare_threshold"] == 5
    assert "server_side_binding" not in options
    monkeypatch.setenv("DB_PREPARED_STATEMENTS", "false")
    sys.modules.pop("oversight.settings.production", None)
    without = importlib.import_module("oversight.settings.production")
    assert "prepare_threshold" not in without.DATABASES["default"]["OPTIONS"]


def _prepared_like(pattern: str) -> int:
    """How many statements this connection has prepared whose SQL is like ``pattern``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [pattern]
        )
        return int(cursor.fetchone()[0])


def _person_named() -> Any:
    from oversight.core.prepared import prepared
    from oversight.people.models import Person

    return prepared(lambda *, username: Person.objects.filter(username=username))


POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own statements"
)


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_a_read_compiled_once_is_planned_once_per_connection(cast: Any) -> None:
    """The fifth time a connection runs a read of core.prepared, psycopg prepares it and
    PostgreSQL keeps its plan (decision 0036); a plain query is not prepared."""
    from oversight.people.models import Person

    read = _person_named()
    before = _prepared_like('%WHERE "people_person"."username" =%')
    with CaptureQueriesContext(connection) as captured:
        for _ in range(6):
            found = read(username=cast.practitioner.username)
            assert [p.pk for p in found] == [cast.practitioner.pk]
    assert _prepared_like('%WHERE "people_person"."username" =%') == before + 1
    # The SQL log and the query-count tests still see each run, prepared or not.
    assert len(captured) == 6
    assert all('"people_person"."username" = ' in q["sql"] for q in captured.captured_queries)
    for _ in range(6):
        assert Person.objects.filter(email=cast.practitioner.email).exists()
    assert _prepared_like('%WHERE "people_person"."email" =%') == 0
    # Room for every read of the five personas' pages, not psycopg's 100.
    assert connection.connection.prepared_max == django_settings.DATABASE_PREPARED_MAX >= 300


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_a_read_of_more_values_than_postgresql_takes_as_parameters_still_answers(
    cast: Any,
) -> None:
    """PostgreSQL takes at most 65,535 parameters: a read of a longer list is sent with its
    values in the SQL, as Django sends every other query."""
    from oversight.core.prepared import prepared
    from oversight.people.models import Person

    read = prepared(lambda *, ids: Person.objects.filter(pk__in=ids).order_by("pk"))
    ids = [cast.practitioner.pk, *range(10_000_000, 10_070_000)]
    assert [p.pk for p in read(ids=ids)] == [cast.practitioner.pk]


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_finding_a_refresh_already_queued_keeps_what_the_connection_prepared(
    cast: Any, settings: Any
) -> None:
    """Every reader of a stale dashboard asks to queue its refresh; all but the first find
    it queued. On the database cache, a plain ``cache.add`` of a key already there fails an
    INSERT and rolls back, and psycopg then forgets every prepared statement of the
    connection (decision 0036)."""
    from django.core.management import call_command

    from oversight.core.singleflight import cache_claim

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_claims",
        },
    }
    call_command("createcachetable", verbosity=0)
    read = _person_named()
    for _ in range(6):
        read(username=cast.practitioner.username)
    before = _prepared_like("%people_person%username%")
    assert before > 0
    assert cache_claim("tables:refreshing", timeout=60)
    assert not cache_claim("tables:refreshing", timeout=60)
    assert _prepared_like("%people_person%username%") == before


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_each_postgresql_connection_plans_for_short_reads() -> None:
    """No JIT, no parallel workers for a page's reads, and random reads priced as from
    memory or SSD (decision 0028): what the planner chooses for every page."""
    with connection.cursor() as cursor:
        shown = {}
        for name in ("jit", "max_parallel_workers_per_gather", "random_page_cost"):
            cursor.execute(f"SHOW {name}")
            shown[name] = cursor.fetchone()[0]
    assert shown == {
        "jit": "off",
        "max_parallel_workers_per_gather": "0",
        "random_page_cost": "1.1",
    }


def test_a_page_soon_after_another_does_not_write_the_session(
    client: Any, cast: Any, frozen: dt.datetime, time_machine: Any
) -> None:
    client.force_login(cast.practitioner)
    client.get(reverse(PAGE))
    end = _stored_end(client)
    time_machine.move_to(frozen + dt.timedelta(seconds=30), tick=False)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(PAGE)).status_code == 200
    assert _session_writes(captured) == []
    assert _stored_end(client) == end


def test_a_page_after_a_minute_renews_the_session(
    client: Any, cast: Any, frozen: dt.datetime, time_machine: Any, settings: Any
) -> None:
    client.force_login(cast.practitioner)
    later = frozen + dt.timedelta(seconds=settings.SESSION_RENEW_SECONDS + 1)
    time_machine.move_to(later, tick=False)
    client.get(reverse(PAGE))
    assert _stored_end(client) == later + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_the_idle_warning_counts_down_what_the_session_has_left(
    client: Any, cast: Any, frozen: dt.datetime, time_machine: Any, settings: Any
) -> None:
    settings.SESSION_RENEW_SECONDS = 600
    client.force_login(cast.practitioner)
    time_machine.move_to(frozen + dt.timedelta(seconds=100), tick=False)
    page = client.get(reverse(PAGE)).content.decode()
    left = settings.SESSION_COOKIE_AGE - 100
    assert re.search(rf'id="idle-warning"[^>]*data-idle-seconds="{left}"', page)
    assert _stored_end(client) == frozen + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_stay_signed_in_always_renews_the_session(
    client: Any, cast: Any, frozen: dt.datetime, time_machine: Any, settings: Any
) -> None:
    settings.SESSION_RENEW_SECONDS = 600
    client.force_login(cast.practitioner)
    later = frozen + dt.timedelta(seconds=100)
    time_machine.move_to(later, tick=False)
    answer = client.post(reverse("still_here"), headers={"Accept": "application/json"})
    assert answer.status_code == 204
    assert _stored_end(client) == later + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_a_signed_in_page_asks_for_each_per_request_lookup_once(
    client: Any, cast: Any, settings: Any, django_assert_max_num_queries: Any
) -> None:
    """Session, person, access profile (one query for roles, posts, supervisees and
    reports) and the notifications count; no permission tables, and the partnership's name
    kept by the process."""
    settings.CACHES = {
        **settings.CACHES,
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    client.force_login(cast.agency_lead)
    client.get(reverse(PAGE))
    with django_assert_max_num_queries(4) as captured:
        page = client.get(reverse(PAGE))
    assert page.status_code == 200
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert "auth_permission" not in tables and "people_partnership" not in tables
    assert "people_roleassignment" in tables and "people_membership" in tables
