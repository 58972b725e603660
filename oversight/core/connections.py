"""PostgreSQL plans the reads every page makes once per connection (decision 0036).

Django writes each query's parameters into its SQL on the client, so PostgreSQL parses and
plans every query afresh. The reads compiled once per process (``core.prepared``, decision
0029) are sent with their parameters apart instead, so that psycopg prepares each on its
fifth use in a connection and PostgreSQL keeps its plan. Everything else is sent as Django
sends it: a figure computed over a partnership ran slower with its parameters apart, and a
query may carry more values than PostgreSQL's 65,535 parameters."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

# A read with more values than this (a list of thousands of ids) is sent as Django sends it:
# each length of its list would be a statement of its own, never used five times.
MOST_PARAMETERS = 1000


def preparing(connection: Any) -> bool:
    return connection.vendor == "postgresql" and bool(
        connection.settings_dict["OPTIONS"].get("prepare_threshold")
    )


@contextmanager
def parameters_apart(connection: Any, parameters: int) -> Iterator[None]:
    """Inside, this connection's queries are sent with their parameters apart from the SQL
    (psycopg's server-side binding), if statements are prepared at all (not with
    ``DB_PREPARED_STATEMENTS=false``) and the query has at most MOST_PARAMETERS."""
    if not preparing(connection) or parameters > MOST_PARAMETERS:
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.cursor_factory
    raw.cursor_factory = _parameters_apart_cursor()
    try:
        yield
    finally:
        raw.cursor_factory = before


@functools.cache
def _parameters_apart_cursor() -> type:
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        ServerBindingCursor,
    )

    class ParametersApartCursor(ServerBindingCursor):
        """Django's cursor with server-side binding, keeping each statement it runs where
        Django's debug cursor reads it (the SQL log, ``CaptureQueriesContext``): psycopg
        leaves it unset when it runs a statement already prepared."""

        def _send_query_prepared(self, name: bytes, pgq: Any, **kwargs: Any) -> None:
            self._query = pgq
            super()._send_query_prepared(name, pgq, **kwargs)

    return ParametersApartCursor


def keep_prepared_statements(sender: Any, connection: Any, **kwargs: Any) -> None:
    """psycopg keeps 100 prepared statements per connection and forgets the least recently
    used. The load of all five personas sends more distinct reads than that, round and round,
    so each was forgotten before it came back and none stayed prepared: keep more."""
    if preparing(connection):
        connection.connection.prepared_max = settings.DATABASE_PREPARED_MAX
