"""Heavy figures read from a PostgreSQL read replica when one is configured (issue 14 item 4;
docs/scaling.md; decision 0019).

With ``DATABASE_REPLICA_URL`` set, the settings add a ``replica`` database alias. Reads made
inside ``reading_from_replica()`` go there: the dashboards' tables and the wide-scope home
panels, which already tolerate figures a few minutes old (decision 0003), so a replica's
lag does no harm. Everything else reads from the primary, every write goes to the primary
(an audit event written while a dashboard is open included), and migrations run on the
primary only. Without the alias the context manager does nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Reads inside go to the replica, if there is one. Never wrap anything that writes and
    then reads back what it wrote: the replica may not have it yet."""
    token = _replica_reads.set(replica_configured())
    try:
        yield
    finally:
        _replica_reads.reset(token)


class DashboardReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if _replica_reads.get() else None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return None if db == DEFAULT_DB_ALIAS else False
