"""The day tallies of records and discussions (decision 0033): what a past period's key
elements, referrals, themes and case progression tables add up is what the records and
discussions themselves say, even when a record is written up after its day was kept, a
rating is changed, or a session's date is corrected. The services recount the days they
touch; a test here would fail if one of them stopped."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from oversight.assurance.selectors.children import key_elements_table, record_tallies
from oversight.assurance.selectors.period import Period
from oversight.children import services as children_services
from oversight.children.models import LegalStatus
from oversight.children.tests.factories import ChildFactory as ChildWithHistory
from oversight.core.testing import integrity_verified, today_is
from oversight.supervision import services
from oversight.supervision.models import DayTally, KeyElement, RagRating, TallyKind
from oversight.supervision.reflection import progression_counts
from oversight.supervision.selectors.tallies import counted, kept_through, tallies_in

from .factories import ChildFactory, SessionFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 17)
QUARTER = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
MONDAYS = [dt.date(2026, 7, 6), dt.date(2026, 7, 13), dt.date(2026, 8, 3), dt.date(2026, 9, 7)]


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def _session(cast: Any, day: dt.date, elements: list[str]) -> Any:
    session: Any = SessionFactory(
        agency=cast.agency,
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        planned_start=dt.datetime.combine(day, dt.time(10), tzinfo=LONDON),
    )
    return services.session_record(
        actor=cast.supervisor, session=session, held_on=day, data={"key_elements": elements}
    )


def _discuss(cast: Any, record: Any, child: Any, rating: str, **data: Any) -> Any:
    return services.case_discussion_add(
        actor=cast.supervisor, record=record, child=child, data={"rag_rating": rating, **data}
    )


def _recounted(agency_ids: list[int], periods: list[tuple[dt.date, dt.date]]) -> dict:
    found: dict[int, list[Counter[tuple[str, str]]]] = {
        pk: [Counter() for _ in periods] for pk in agency_ids
    }
    for (agency_id, n, kind, key), count in counted(
        agency_ids, periods[0][0], periods[-1][1], periods
    ).items():
        found[agency_id][n][(kind, key)] += count
    return found


PERIODS = [
    (dt.date(2026, 7, 1), dt.date(2026, 7, 31)),
    (dt.date(2026, 8, 1), dt.date(2026, 9, 30)),
    (dt.date(2026, 10, 1), TODAY),
]


def _holds(cast: Any) -> None:
    """The kept tallies, and today counted live, equal a recount of every record."""
    ids = [cast.agency.pk]
    assert tallies_in(agency_ids=ids, periods=PERIODS) == _recounted(ids, PERIODS)


def test_kept_tallies_follow_late_records_changed_ratings_and_moved_sessions(cast: Any) -> None:
    child, other = ChildFactory(agency=cast.agency), ChildFactory(agency=cast.agency)
    first, second, third, fourth = (
        _session(cast, MONDAYS[0], [KeyElement.SUPPORT_REFLECTION]),
        _session(cast, MONDAYS[1], []),
        _session(cast, MONDAYS[2], [KeyElement.SUPPORT_REFLECTION]),
        _session(cast, MONDAYS[3], []),
    )
    early = _discuss(cast, first, child, RagRating.GREEN)
    _discuss(cast, third, child, RagRating.RED, specialist_referral=True)
    _discuss(cast, first, other, RagRating.AMBER)
    assert services.day_tallies_keep(through=TODAY - dt.timedelta(days=1)) > 0
    assert kept_through([cast.agency.pk]) == {cast.agency.pk: TODAY - dt.timedelta(days=1)}
    _holds(cast)
    before = tallies_in(agency_ids=[cast.agency.pk], periods=[QUARTER])[cast.agency.pk][0]
    assert before[(TallyKind.MOVE, "green>red")] == 1

    # Written up in November for the session of 13 July, a day already kept: the child's
    # August discussion is now compared with July's amber, not with the green before it.
    _discuss(cast, second, child, RagRating.AMBER, review_themes=["information_sharing"])
    _holds(cast)
    moves = tallies_in(agency_ids=[cast.agency.pk], periods=[QUARTER])[cast.agency.pk][0]
    assert moves[(TallyKind.MOVE, "green>amber")] == 1
    assert moves[(TallyKind.MOVE, "amber>red")] == 1
    assert moves[(TallyKind.MOVE, "green>red")] == 0
    assert moves[(TallyKind.THEME, "information_sharing")] == 1

    # The first rating changed: the discussion after it is compared with the new one.
    services.case_discussion_update(
        actor=cast.supervisor,
        discussion=early,
        data={"rag_rating": RagRating.AMBER},
        expected_version=early.version,
    )
    _holds(cast)

    # The September session was in fact held on 1 October, with a key element recorded.
    services.session_record(
        actor=cast.supervisor,
        session=fourth.session,
        held_on=dt.date(2026, 10, 1),
        data={"key_elements": [KeyElement.PROFESSIONAL_DEVELOPMENT]},
        expected_version=fourth.version,
    )
    _discuss(cast, fourth, other, RagRating.GREEN)
    _holds(cast)
    # What the agency dashboard shows for the quarter: three records, two covering support.
    tallied = record_tallies([cast.agency], Period(*QUARTER))
    table = key_elements_table([cast.agency], tallied)
    assert table.rows[0][1] == "Fewer than 5"
    assert tallied[cast.agency.pk][(TallyKind.RECORDS, "")] == 3
    assert tallied[cast.agency.pk][(TallyKind.ELEMENT, KeyElement.SUPPORT_REFLECTION)] == 2


def test_the_nightly_keep_adds_only_the_days_since_and_never_today(cast: Any) -> None:
    record = _session(cast, MONDAYS[0], [KeyElement.SUPPORT_REFLECTION])
    _discuss(cast, record, ChildFactory(agency=cast.agency), RagRating.GREEN)
    services.day_tallies_keep(through=dt.date(2026, 11, 1))
    kept = DayTally.objects.filter(agency=cast.agency).exclude(kind=TallyKind.THROUGH).count()
    assert services.day_tallies_keep(through=dt.date(2026, 11, 1)) == 0
    services.day_tallies_keep(through=TODAY - dt.timedelta(days=1))
    assert (
        DayTally.objects.filter(agency=cast.agency).exclude(kind=TallyKind.THROUGH).count() == kept
    )
    assert DayTally.objects.get(agency=cast.agency, kind=TallyKind.THROUGH).on == dt.date(
        2026, 11, 16
    )
    with pytest.raises(ValueError):
        services.day_tallies_keep(through=TODAY)
    _holds(cast)


def test_verify_integrity_names_a_day_whose_tally_differs_from_its_records(cast: Any) -> None:
    record = _session(cast, MONDAYS[0], [KeyElement.SUPPORT_REFLECTION])
    _discuss(cast, record, ChildFactory(agency=cast.agency), RagRating.GREEN)
    services.day_tallies_keep(through=TODAY - dt.timedelta(days=1))
    code, out = integrity_verified()
    assert code == 0
    assert "day tallies of records and discussions: all intact" in out
    DayTally.objects.filter(agency=cast.agency, kind=TallyKind.RECORDS).update(n=7)
    code, out = integrity_verified()
    assert code == 1
    assert (
        f"BROKEN at Agency {cast.agency.pk}: its day tally for 6 July 2026 differs from a "
        "recount of its records and discussions" in out
    )


def test_a_change_of_legal_status_on_a_kept_day_counts_on_that_day(cast: Any) -> None:
    """The case progression table's "legal status changes" come from the kept days too: a
    change recorded today for a day already kept moves that day's tally."""
    child: Any = ChildWithHistory(agency=cast.agency)  # a child in need since 18 October
    services.day_tallies_keep(through=TODAY - dt.timedelta(days=1))
    children_services.child_status_change(
        child=child,
        actor=cast.supervisor,
        status=LegalStatus.CHILD_PROTECTION,
        starts_on=dt.date(2026, 11, 2),
    )
    _holds(cast)
    november = (dt.date(2026, 11, 1), dt.date(2026, 11, 16))
    kept = tallies_in(agency_ids=[cast.agency.pk], periods=[november])[cast.agency.pk][0]
    assert kept[(TallyKind.STATUS, "child_in_need>child_protection")] == 1
    shown = progression_counts(agency_ids=[cast.agency.pk], periods=[november])[cast.agency.pk]
    assert shown.moves[("child_in_need", "child_protection")] == [1]
