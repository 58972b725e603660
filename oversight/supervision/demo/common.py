"""Helpers shared by the demo builders: dates, random phrases and decisions."""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import Any

from django.utils import timezone

from oversight.core.workdays import add_working_days

from ..models import (
    Decision,
)

BULK = 2000


def _at(day: dt.date, hour: int) -> dt.datetime:
    # The zone is looked up once, not per row: per row it was 6% of the large build (issue 17).
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=_zone())


@functools.cache
def _zone() -> dt.tzinfo:
    return timezone.get_default_timezone()


def _working(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _pick(rng: random.Random, items: list[str]) -> str:
    return items[rng.randrange(len(items))]


def _decision(
    rng: random.Random,
    today: dt.date,
    *,
    child_id: int,
    agency_id: int,
    actor_id: int,
    day: dt.date,
    text: str,
    why: str,
    **links: Any,
) -> Decision:
    immediate = rng.random() < 0.05
    due = day if immediate else add_working_days(day, 2)
    decision = Decision(
        child_id=child_id,
        agency_id=agency_id,
        decided_on=day,
        decided_by_id=actor_id,
        decision=text,
        rationale=why,
        variation_from_procedure="Review brought forward outside procedure timescales."
        if rng.random() < 0.1
        else "",
        immediate_concern=immediate,
        file_due_on=due,
        created_by_id=actor_id,
        modified_by_id=actor_id,
        created_at=_at(day, 17),
        modified_at=_at(day, 17),
        **links,
    )
    roll = rng.random()
    if (today - day).days <= 2:
        lag = None if roll < 0.6 else 0
    else:
        lag = 0 if roll < 0.82 else rng.randint(1, 6) if roll < 0.95 else None
    if lag is not None:
        recorded = (
            due + dt.timedelta(days=lag) if lag > 0 else day + dt.timedelta(days=rng.randint(0, 1))
        )
        recorded = min(recorded, today)
        decision.recorded_on_file_at = _at(recorded, 15)
        decision.recorded_on_file_by_id = actor_id
        decision.case_system_reference = f"CS-{rng.randint(100000, 999999)}"
    return decision
