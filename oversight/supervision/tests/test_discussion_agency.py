"""Each case discussion names the agency whose supervision it took place in (decision 0032),
so the dashboards count a period's discussions by agency without joining every one to its
record and session. The service that adds discussions writes it; ``manage.py
verify_integrity`` names a row that disagrees with its session; case progression, counted by
the database, equals a recount of every discussion one by one."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from oversight.core.testing import integrity_verified, today_is
from oversight.supervision import services
from oversight.supervision.models import CaseDiscussion, RagRating
from oversight.supervision.reflection import RAG_ORDER, progression_counts
from oversight.supervision.selectors.tallies import LOOKBACK

from .factories import CaseDiscussionFactory, ChildFactory, SessionFactory, SessionRecordFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def test_a_discussion_added_names_its_sessions_agency(cast: Any) -> None:
    session = SessionFactory(
        agency=cast.agency,
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        status="held",
        held_on=TODAY - dt.timedelta(days=2),
    )
    record: Any = SessionRecordFactory(session=session)
    child: Any = ChildFactory(agency=cast.agency)
    discussion = services.case_discussion_add(
        actor=cast.supervisor,
        record=record,
        child=child,
        data={"rag_rating": RagRating.AMBER, "risks": "Attendance is falling."},
    )
    assert CaseDiscussion.objects.get(pk=discussion.pk).agency_id == cast.agency.pk
    code, out = integrity_verified()
    assert code == 0
    assert "case discussions' agencies: all intact" in out


def test_verify_integrity_names_a_discussion_whose_agency_is_not_its_sessions(cast: Any) -> None:
    discussion: Any = CaseDiscussionFactory(record__session__agency=cast.agency)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE supervision_casediscussion SET agency_id = %s WHERE id = %s",
            [cast.other_agency.pk, discussion.pk],
        )
    code, out = integrity_verified()
    assert code == 1
    assert (
        f"BROKEN at CaseDiscussion {discussion.pk}: its agency is not the agency of its session"
        in out
    )


def _recount(
    agency_ids: list[int], periods: list[tuple[dt.date, dt.date]]
) -> dict[int, dict[str, list[int]]]:
    """Case progression the plain way: every discussion, in order, each compared with the one
    before it of the same child in the same agency when that one is within LOOKBACK."""
    found = {pk: {k: [0] * len(periods) for k in ("better", "same", "worse")} for pk in agency_ids}
    rows = sorted(
        CaseDiscussion.objects.live()
        .filter(record__session__agency_id__in=agency_ids)
        .values_list("record__session__agency_id", "child_id", "discussed_on", "id", "rag_rating")
    )
    previous: dict[tuple[int, int], tuple[str, dt.date]] = {}
    for agency_id, child_id, day, _, rating in rows:
        before = previous.get((agency_id, child_id))
        previous[(agency_id, child_id)] = (rating, day)
        n = next((i for i, (s, e) in enumerate(periods) if s <= day <= e), None)
        if before is None or n is None or day - before[1] > LOOKBACK:
            continue
        b, a = RAG_ORDER.get(before[0], 1), RAG_ORDER.get(rating, 1)
        found[agency_id]["better" if a > b else "worse" if a < b else "same"][n] += 1
    return found


@pytest.mark.parametrize("kept", [False, True], ids=["counted live", "from the day tallies"])
def test_case_progression_counted_by_the_database_equals_a_recount(cast: Any, kept: bool) -> None:
    """Two agencies, children discussed in both (the multi-agency child), a child discussed
    again after more than the look-back, discussions on the periods' edges and archived: the
    database's pairs equal the recount, period by period and agency by agency, whether
    counted live or added up from the kept day tallies (decision 0033)."""
    chooser = random.Random(32)
    agencies = [cast.agency, cast.other_agency]
    children = [ChildFactory(agency=cast.agency) for _ in range(6)]
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(0, 680, 17)]
    days += [dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 1)]
    by_agency_day: dict[tuple[int, dt.date], Any] = {}
    made: list[Any] = []
    for day in days:
        for agency in agencies:
            for child in chooser.sample(children, 3):
                record = by_agency_day.get((agency.pk, day))
                if record is None:
                    record = SessionRecordFactory(
                        session=SessionFactory(agency=agency, status="held", held_on=day)
                    )
                    by_agency_day[(agency.pk, day)] = record
                made.append(
                    CaseDiscussionFactory(
                        record=record,
                        child=child,
                        discussed_on=day,
                        rag_rating=chooser.choice(list(RagRating.values)),
                    )
                )
    gone = chooser.sample(made, 8)
    CaseDiscussion.objects.filter(pk__in=[d.pk for d in gone]).update(archived_at=timezone.now())
    # Discussed in 2024, then not again for more than a year: no move to count.
    returning = ChildFactory(agency=cast.agency)
    for day in (dt.date(2024, 9, 1), dt.date(2025, 11, 3)):
        CaseDiscussionFactory(
            record=SessionRecordFactory(
                session=SessionFactory(agency=cast.agency, status="held", held_on=day)
            ),
            child=returning,
            discussed_on=day,
            rag_rating=RagRating.RED,
        )
    if kept:
        services.day_tallies_keep(through=TODAY - dt.timedelta(days=1))
    periods = [
        (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 9, 30)),
    ]
    ids = [a.pk for a in agencies]
    expected = _recount(ids, periods)
    found = progression_counts(agency_ids=ids, periods=periods)
    assert {pk: dict(counts.summary) for pk, counts in found.items()} == expected
    # Something moved in every period, in each agency, so the comparison says something.
    assert all(sum(expected[pk][k][n] for k in expected[pk]) for pk in ids for n in range(3))
    moves: dict[int, int] = defaultdict(int)
    for counts in found.values():
        for row in counts.rag.values():
            for n, count in enumerate(row):
                moves[n] += count
    assert all(moves[n] for n in range(3))
