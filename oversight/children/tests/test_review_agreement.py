"""Property: on random children, discussions and meetings, the figures the dashboards read
(``review_meeting_figures``, ``cadence_figures``, built from SQL annotations) give the same
answer as working each child out from its own dates with the rule as written (seed 004
objective 4: a discussion prepares for a meeting only inside the agency's window before it,
after the previous meeting)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.children import selectors
from oversight.children.cadence import next_discussion_due, working_days_before
from oversight.children.tests.factories import (
    ChildFactory,
    DriftSettingsFactory,
    ReviewMeetingFactory,
    discussion,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 17)
STATUS_SINCE = dt.date(2026, 3, 2)
START, END = TODAY - dt.timedelta(days=120), TODAY


def _prepared(meets_on: dt.date, discussed: list[dt.date], meetings: list[dt.date], window: int):
    """The rule from the definition: some discussion inside the window before the meeting
    (up to the day) and after the previous meeting."""
    opens = working_days_before(meets_on, window, "ENG")
    previous = max((m for m in meetings if m < meets_on), default=None)
    return any(opens <= d <= meets_on and (previous is None or d > previous) for d in discussed)


child_dates = st.tuples(
    st.lists(st.integers(min_value=-150, max_value=0), max_size=4, unique=True),
    st.lists(st.integers(min_value=-130, max_value=40), max_size=3, unique=True),
)


@pytest.fixture
def on_today(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London")), tick=False
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(children=st.lists(child_dates, min_size=1, max_size=3), window=st.integers(0, 15))
def test_the_review_figures_agree_with_each_childs_answer(cast, on_today, children, window):
    with transaction.atomic():
        DriftSettingsFactory(agency=cast.agency, pre_review_working_days=window)
        expected_meetings = expected_prepared = expected_flagged = expected_overdue = 0
        for discussed_in, meetings_in in children:
            child = ChildFactory(
                agency=cast.agency,
                allocated_practitioner=cast.practitioner,
                legal_status_since=STATUS_SINCE,
            )
            discussed = [TODAY + dt.timedelta(days=n) for n in discussed_in]
            meetings = [TODAY + dt.timedelta(days=n) for n in meetings_in]
            for on in discussed:
                discussion(child, on, supervisor=cast.supervisor)
            for on in meetings:
                ReviewMeetingFactory(child=child, meets_on=on)
            for on in meetings:
                if START <= on <= END:
                    expected_meetings += 1
                    expected_prepared += _prepared(on, discussed, meetings, window)
            upcoming = min((m for m in meetings if m >= TODAY), default=None)
            cadence = next_discussion_due(
                status=child.legal_status,
                status_since=STATUS_SINCE,
                last_discussed_on=max(discussed, default=None),
                ceiling_days=92,
                next_meeting_on=upcoming,
                previous_meeting_on=max((m for m in meetings if m < TODAY), default=None),
                window_working_days=window,
            )
            expected_overdue += cadence.is_overdue(TODAY)
            window_open = upcoming is not None and (
                working_days_before(upcoming, window, "ENG") <= TODAY
            )
            expected_flagged += window_open and not _prepared(upcoming, discussed, meetings, window)
            assert cadence.discuss_before_review(TODAY) == (
                window_open and not _prepared(upcoming, discussed, meetings, window)
            )
        figures = selectors.review_meeting_figures(
            agency_ids={cast.agency.pk}, start=START, end=END
        )
        cadence_figures = selectors.cadence_figures(agency_ids={cast.agency.pk}, on=TODAY)
        transaction.set_rollback(True)
    assert figures == {"meetings": expected_meetings, "discussed_before": expected_prepared}
    assert cadence_figures.in_cadence == len(children)
    assert cadence_figures.overdue == expected_overdue
    assert cadence_figures.discuss_before_review == expected_flagged
