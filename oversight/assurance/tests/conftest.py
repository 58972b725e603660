from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from oversight.supervision.models import SessionStatus
from oversight.supervision.tests.factories import SessionFactory


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Dashboards keep their figures for a few minutes; each test starts without them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def held(cast: Any) -> Any:
    """Make a held 1:1 in the cast's agency: held(supervisee, days_ago, supervisor=None)."""

    def make(person: Any, days_ago: int, supervisor: Any = None) -> Any:
        on = timezone.localdate() - dt.timedelta(days=days_ago)
        return SessionFactory(
            supervisor=supervisor or cast.supervisor,
            supervisee=person,
            agency=cast.agency,
            status=SessionStatus.HELD,
            held_on=on,
            planned_start=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
        )

    return make
