"""One computation at a time for a figure many readers want at once (issue 17 item 2). When
ten people open a dashboard whose figures are not kept yet, one request computes them and
the others wait for it and then read what it kept, instead of each worker doing the same
work. The lock is ``cache.add`` on the shared cache (the database cache in production,
decision 0003), which is atomic across processes, so no new service is needed."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

POLL_SECONDS = 0.05


def cache_claim(key: str, value: object = 1, *, timeout: int) -> bool:
    """``cache.add``, asking first whether the key is held. On the database cache an add of
    a key already there is an INSERT that fails and a ROLLBACK, and psycopg forgets every
    statement the connection had prepared on any rollback (decision 0036): a reader finding
    a refresh already queued would cost every later read of its connection a new plan."""
    return not cache.has_key(key) and cache.add(key, value, timeout=timeout)


def single_flight(
    key: str,
    compute: Callable[[], T],
    *,
    kept: Callable[[], T | None],
    timeout: float = 120,
) -> T:
    """``kept()`` if it has the answer; otherwise one caller (whoever takes the lock for
    ``key``) runs ``compute()``, which must keep its answer where ``kept()`` reads it, and the
    others wait and read that. A holder that dies frees the lock after ``timeout`` seconds;
    a waiter that waits longer computes it itself rather than fail the page."""
    found = kept()
    if found is not None:
        return found
    lock = f"single-flight:{key}"
    token = uuid.uuid4().hex
    deadline = time.monotonic() + timeout
    while True:
        if cache_claim(lock, token, timeout=int(timeout) + 1):
            try:
                found = kept()  # another caller may have finished just before we took it
                return compute() if found is None else found
            finally:
                if cache.get(lock) == token:
                    cache.delete(lock)
        time.sleep(POLL_SECONDS)
        found = kept()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            return compute()
