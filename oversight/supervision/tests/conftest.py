from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from .factories import ChildFactory, SessionFactory, SessionRecordFactory


@pytest.fixture
def session(cast: Any) -> Any:
    """A planned 1:1 between the cast's supervisor and practitioner next week."""
    return SessionFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency
    )


@pytest.fixture
def held_session(cast: Any) -> Any:
    return SessionFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, held=True
    )


@pytest.fixture
def record(held_session: Any) -> Any:
    return SessionRecordFactory(session=held_session)


@pytest.fixture
def child(cast: Any) -> Any:
    return ChildFactory(
        agency=cast.agency, allocated_practitioner=cast.practitioner, display_name="Family T – A"
    )


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()
