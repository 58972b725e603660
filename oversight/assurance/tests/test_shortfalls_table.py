"""Issue 15 item 3: shortfalls counted on the agency's dashboard by kind and time to answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from oversight.assurance.selectors.period import Period
from oversight.assurance.selectors.shortfalls import shortfalls_table
from oversight.supervision.models import ServiceShortfall, ShortfallKind

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def test_counts_by_kind_and_days_to_answer(cast: Any) -> None:
    day = dt.date(2026, 3, 2)

    def shortfall(kind: str, answered_after: int | None, agency: Any = None) -> None:
        ServiceShortfall.objects.create(
            agency=agency or cast.agency,
            kind=kind,
            raised_by=cast.supervisor,
            raised_at=_at(day),
            description="x",
            answered_by=None if answered_after is None else cast.agency_lead,
            answered_at=None if answered_after is None else _at(day) + dt.timedelta(answered_after),
        )

    shortfall(ShortfallKind.WORKLOAD, 2)
    shortfall(ShortfallKind.WORKLOAD, 6)
    shortfall(ShortfallKind.WORKLOAD, None)
    shortfall(ShortfallKind.KNOWLEDGE, 1)
    shortfall(ShortfallKind.WORKLOAD, 1, agency=cast.other_agency)
    table = shortfalls_table(cast.agency, Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Workload"] == [3, 2, 1, 4, 6]
    assert rows["Resource shortfall"] == [0, 0, 0, "–", "–"]
    assert rows["Gap in knowledge or skills"] == [1, 1, 0, 1, 1]
    assert rows["All kinds"] == [4, 3, 1, 2, 6]
    earlier = shortfalls_table(cast.agency, Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28)))
    assert earlier.rows[-1][1] == 0
