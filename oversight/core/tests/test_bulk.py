"""core.bulk.rows_insert: the figures back-fill's writer (decision 0023) keeps every row it is
given and, told to ignore conflicts, leaves a row already kept as it was."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from oversight.assurance.models import SNAPSHOT_FIELDS, ComplianceSnapshot
from oversight.core.bulk import rows_insert

FIELDS = ("agency", "on", "computed_at", "final", "breakdown", *SNAPSHOT_FIELDS)


@pytest.mark.django_db
def test_rows_are_kept_and_a_row_already_there_is_left_as_it_was(cast: Any) -> None:
    agency = cast.agency
    now = timezone.now()
    ComplianceSnapshot.objects.create(
        agency=agency, on=dt.date(2026, 3, 1), people=7, computed_at=now
    )
    rows = [
        (agency.pk, dt.date(2026, 3, day), now, True, {"team": {"1": [day]}}, day, day - 1)
        + (0,) * (len(SNAPSHOT_FIELDS) - 2)
        for day in (1, 2, 3)
    ]

    assert rows_insert(ComplianceSnapshot, FIELDS, rows, ignore_conflicts=True) == 3

    kept = {s.on.day: s for s in ComplianceSnapshot.objects.filter(agency=agency)}
    assert sorted(kept) == [1, 2, 3]
    assert kept[1].people == 7 and kept[1].breakdown == {}
    assert (kept[3].people, kept[3].within_interval) == (3, 2)
    assert kept[3].breakdown == {"team": {"1": [3]}}
