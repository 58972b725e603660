"""A read replica for the dashboards (issue 14 item 4; docs/scaling.md): with a ``replica``
database alias, the partnership dashboard's figures and a lead's wide home panels are read
through it, while the audit event for opening the page, and every other read, go to the
primary. The replica here is a second connection to the same test database, as a streaming
replica is a second server with the same rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.core.routers import REPLICA, reading_from_replica, replica_configured
from oversight.people.models import Person


@pytest.fixture
def replica(transactional_db: None, settings: Any) -> Iterator[Any]:
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    settings.DATABASES = {**settings.DATABASES, REPLICA: {**primary}}
    wrapper = load_backend(primary["ENGINE"]).DatabaseWrapper({**primary}, alias=REPLICA)
    connections[REPLICA] = wrapper  # a connection of its own, to the same database
    cache.clear()
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections[REPLICA]


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """Each statement's first word; a UNION's first part comes in brackets on PostgreSQL."""
    return [q["sql"].lstrip(" \n(").split()[0].upper() for q in captured.captured_queries]


def test_without_a_replica_everything_reads_from_the_primary(db: None) -> None:
    assert not replica_configured()
    with reading_from_replica():
        assert Person.objects.all().db == DEFAULT_DB_ALIAS


def test_inside_the_context_reads_go_to_the_replica_and_writes_to_the_primary(
    replica: Any, cast: Any
) -> None:
    with reading_from_replica():
        assert Person.objects.all().db == REPLICA
        assert Person.objects.select_for_update().db == DEFAULT_DB_ALIAS
        assert Person.objects.filter(pk=cast.auditor.pk).exists()  # the same rows
    assert Person.objects.all().db == DEFAULT_DB_ALIAS


def test_the_partnership_dashboard_reads_its_figures_from_the_replica(
    replica: Any, cast: Any, client: Any
) -> None:
    from oversight.core.models import AuditEvent

    client.force_login(cast.auditor)
    events_before = AuditEvent.objects.count()
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client.get(reverse("assurance:partnership_dashboard"))
    assert response.status_code == 200
    replica_statements = _statements(on_replica)
    assert replica_statements, "the dashboard read nothing from the replica"
    assert set(replica_statements) <= {"SELECT", "WITH"}, replica_statements
    assert on_primary.captured_queries  # the session, the sign-in's checks, the audit log
    assert AuditEvent.objects.count() >= events_before


def test_a_leads_wide_home_panels_read_from_the_replica(
    replica: Any, cast: Any, client: Any
) -> None:
    client.force_login(cast.agency_lead)
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("home")).status_code == 200
    assert on_replica.captured_queries
    assert set(_statements(on_replica)) <= {"SELECT", "WITH"}
