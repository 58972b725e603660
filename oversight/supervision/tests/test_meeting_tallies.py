"""The review meetings' day tallies (decision 0035): "% discussed before the review meeting"
for a past period adds up kept days, and equals judging every meeting again, even when a
discussion is recorded after its meeting's day was kept, a meeting is added or moved, a
session's date is corrected or the agency's review window changes. The services recount the
days they touch; a test here fails if one of them stopped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from oversight.children import services as children_services
from oversight.children.models import MeetingTally, ReviewMeetingKind
from oversight.children.selectors.figures import (
    meetings_counted,
    review_meeting_figures_by_agency,
)
from oversight.core.testing import integrity_verified, today_is
from oversight.supervision import services
from oversight.supervision.models import RagRating

from .factories import ChildFactory, SessionFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 17)
YESTERDAY = TODAY - dt.timedelta(days=1)
QUARTER = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
PERIODS = [QUARTER, (dt.date(2026, 10, 1), TODAY), (dt.date(2026, 7, 1), dt.date(2026, 12, 31))]


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def _record(cast: Any, day: dt.date) -> Any:
    session: Any = SessionFactory(
        agency=cast.agency,
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        planned_start=dt.datetime.combine(day, dt.time(10), tzinfo=LONDON),
    )
    return services.session_record(actor=cast.supervisor, session=session, held_on=day, data={})


def _discuss(cast: Any, record: Any, child: Any) -> Any:
    return services.case_discussion_add(
        actor=cast.supervisor, record=record, child=child, data={"rag_rating": RagRating.AMBER}
    )


def _meeting(cast: Any, child: Any, day: dt.date) -> Any:
    return children_services.review_meeting_add(
        child=child, actor=cast.supervisor, kind=ReviewMeetingKind.CIN_REVIEW, meets_on=day
    )


def _quarter(cast: Any) -> dict[str, int]:
    ids = {cast.agency.pk}
    return review_meeting_figures_by_agency(agency_ids=ids, start=QUARTER[0], end=QUARTER[1])[
        cast.agency.pk
    ]


def _holds(cast: Any) -> None:
    """What the dashboards read (kept days, and the days since counted live) equals every
    meeting judged again."""
    ids = {cast.agency.pk}
    for start, end in PERIODS:
        judged = {"meetings": 0, "discussed_before": 0}
        for (_, _), (meetings, prepared) in meetings_counted(ids, start=start, end=end).items():
            judged["meetings"] += meetings
            judged["discussed_before"] += prepared
        shown = review_meeting_figures_by_agency(agency_ids=ids, start=start, end=end)
        assert shown[cast.agency.pk] == judged, (start, end)


def test_kept_meeting_days_follow_late_discussions_moved_meetings_and_the_window(
    cast: Any,
) -> None:
    child, other = ChildFactory(agency=cast.agency), ChildFactory(agency=cast.agency)
    july, september = _record(cast, dt.date(2026, 7, 6)), _record(cast, dt.date(2026, 9, 7))
    _discuss(cast, july, child)  # ten working days before 20 July: its window's first day
    _meeting(cast, child, dt.date(2026, 7, 20))
    _meeting(cast, child, dt.date(2026, 9, 14))
    moving = _meeting(cast, other, dt.date(2026, 8, 10))
    assert children_services.meeting_tallies_keep(through=YESTERDAY) == 3
    assert MeetingTally.objects.get(agency=cast.agency, kept_through=True).on == YESTERDAY
    _holds(cast)
    assert _quarter(cast) == {"meetings": 3, "discussed_before": 1}

    # Recorded in November for the session of 7 September, a day already kept: the child
    # was discussed before the meeting of 14 September after all.
    _discuss(cast, september, child)
    _holds(cast)
    assert _quarter(cast) == {"meetings": 3, "discussed_before": 2}

    # The other child's meeting moved to October, and one added on a kept day in July.
    children_services.review_meeting_update(
        meeting=moving,
        actor=cast.supervisor,
        kind=ReviewMeetingKind.CIN_REVIEW,
        meets_on=dt.date(2026, 10, 5),
    )
    _meeting(cast, other, dt.date(2026, 7, 27))
    _holds(cast)
    assert _quarter(cast) == {"meetings": 3, "discussed_before": 2}

    # The September session was in fact held on 16 September, after the meeting.
    september.refresh_from_db()
    services.session_record(
        actor=cast.supervisor,
        session=september.session,
        held_on=dt.date(2026, 9, 16),
        data={},
        expected_version=september.version,
    )
    _holds(cast)
    assert _quarter(cast) == {"meetings": 3, "discussed_before": 1}

    # A window of five working days: 6 July is now too early for the meeting of 20 July.
    children_services.drift_settings_update(
        agency=cast.agency,
        actor=cast.supervisor,
        values={"pre_review_working_days": 5},
    )
    _holds(cast)
    assert _quarter(cast) == {"meetings": 3, "discussed_before": 0}


def test_the_nightly_keep_adds_only_the_days_since_and_never_today(cast: Any) -> None:
    child = ChildFactory(agency=cast.agency)
    _meeting(cast, child, dt.date(2026, 7, 20))
    _meeting(cast, child, dt.date(2026, 11, 10))
    _meeting(cast, child, TODAY)
    assert children_services.meeting_tallies_keep(through=dt.date(2026, 11, 1)) == 1
    assert children_services.meeting_tallies_keep(through=dt.date(2026, 11, 1)) == 0
    assert children_services.meeting_tallies_keep(through=YESTERDAY) == 1
    with pytest.raises(ValueError):
        children_services.meeting_tallies_keep(through=TODAY)
    # Today's meeting is counted live.
    _holds(cast)
    assert review_meeting_figures_by_agency(
        agency_ids={cast.agency.pk}, start=TODAY, end=TODAY
    ) == {cast.agency.pk: {"meetings": 1, "discussed_before": 0}}


def test_verify_integrity_names_a_day_whose_meeting_tally_differs(cast: Any) -> None:
    child = ChildFactory(agency=cast.agency)
    _discuss(cast, _record(cast, dt.date(2026, 7, 6)), child)
    _meeting(cast, child, dt.date(2026, 7, 20))
    children_services.meeting_tallies_keep(through=YESTERDAY)
    code, out = integrity_verified()
    assert code == 0
    assert "day tallies of review meetings: all intact" in out
    MeetingTally.objects.filter(agency=cast.agency, kept_through=False).update(prepared=0)
    code, out = integrity_verified()
    assert code == 1
    assert (
        f"BROKEN at Agency {cast.agency.pk}: its review meetings' tally for 20 July 2026 "
        "differs from judging its meetings again" in out
    )
