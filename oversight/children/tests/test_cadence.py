"""The cadence rules (seed 004 objective 4) and working days (seed 001 standard 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.children.cadence import (
    ceiling_due_on,
    next_discussion_due,
    review_prepared,
    review_window_opens_on,
    working_days_before,
)
from oversight.children.models import LegalStatus
from oversight.core.workdays import add_working_days

D = dt.date


def due(**kwargs):
    base = {
        "status": LegalStatus.CHILD_IN_NEED,
        "status_since": D(2026, 1, 1),
        "last_discussed_on": None,
        "ceiling_days": 92,
    }
    return next_discussion_due(**{**base, **kwargs})


def test_never_discussed_counts_from_status_start():
    cadence = due(status_since=D(2026, 3, 1))
    assert cadence.due_on == D(2026, 6, 1)
    assert cadence.reason == "Since the status began"


def test_counts_from_last_discussion():
    cadence = due(last_discussed_on=D(2026, 2, 10))
    assert cadence.due_on == D(2026, 5, 13)
    assert cadence.reason == "Since the last discussion"


def test_month_end_uses_days_not_calendar_months():
    # 30 November + 92 days is 2 March (not "28 February" by month arithmetic).
    assert ceiling_due_on(
        last_discussed_on=D(2026, 11, 30), status_since=D(2026, 1, 1), ceiling_days=92
    ) == D(2027, 3, 2)
    assert ceiling_due_on(
        last_discussed_on=D(2026, 1, 31), status_since=D(2026, 1, 1), ceiling_days=92
    ) == D(2026, 5, 3)


def test_leap_year_29_february():
    assert ceiling_due_on(
        last_discussed_on=D(2028, 2, 29), status_since=D(2028, 1, 1), ceiling_days=92
    ) == D(2028, 5, 31)
    assert ceiling_due_on(
        last_discussed_on=D(2027, 12, 1), status_since=D(2027, 1, 1), ceiling_days=92
    ) == D(2028, 3, 2)


def test_status_change_restarts_the_clock():
    # Discussed in January under child in need; a protection plan from 1 March restarts it.
    cadence = due(
        status=LegalStatus.CHILD_PROTECTION,
        status_since=D(2026, 3, 1),
        last_discussed_on=D(2026, 1, 15),
    )
    assert cadence.due_on == D(2026, 6, 1)
    assert cadence.reason == "Since the status began"


@pytest.mark.parametrize("status", [LegalStatus.EARLY_HELP, LegalStatus.CLOSED, LegalStatus.OTHER])
def test_statuses_outside_the_cadence_are_never_due(status):
    assert due(status=status).due_on is None


@pytest.mark.parametrize(
    "status",
    [LegalStatus.CHILD_IN_NEED, LegalStatus.CHILD_PROTECTION, LegalStatus.LOOKED_AFTER],
)
def test_statuses_in_the_cadence_are_due(status):
    assert due(status=status).due_on is not None


def test_shorter_agency_ceiling():
    assert due(ceiling_days=42, last_discussed_on=D(2026, 2, 1)).due_on == D(2026, 3, 15)


def test_ceiling_is_never_longer_than_three_months():
    assert due(ceiling_days=200, last_discussed_on=D(2026, 2, 1)).due_on == D(2026, 5, 4)


def test_review_meeting_brings_the_due_date_forward():
    # Meeting Friday 20 March 2026; its ten-working-day window opens on Friday 6 March.
    cadence = due(
        last_discussed_on=D(2026, 2, 1),
        next_meeting_on=D(2026, 3, 20),
        previous_meeting_on=D(2026, 2, 20),
    )
    assert cadence.due_on == D(2026, 3, 20)
    assert cadence.reason == (
        "Before the review meeting on 20 March 2026 (its window opens 6 March 2026)"
    )
    assert cadence.review_window == "between 6 March 2026 and 20 March 2026"


def test_a_discussion_outside_the_window_does_not_prepare_for_the_review():
    """Seed 004 objective 4: discussed on 1 February, after the previous meeting, but long
    before the 20 March meeting's window (from 6 March): it prepares for nothing, so the
    child is due by the meeting, not three months after 1 February."""
    cadence = due(
        last_discussed_on=D(2026, 2, 1),
        next_meeting_on=D(2026, 3, 20),
        previous_meeting_on=D(2026, 1, 5),
    )
    assert cadence.due_on == D(2026, 3, 20)
    assert "Before the review meeting on 20 March 2026" in cadence.reason
    assert not cadence.discuss_before_review(D(2026, 3, 5))
    assert cadence.discuss_before_review(D(2026, 3, 6))
    assert cadence.discuss_before_review(D(2026, 3, 20))


def test_a_discussion_inside_the_window_prepares_for_the_review():
    cadence = due(
        last_discussed_on=D(2026, 3, 6),
        next_meeting_on=D(2026, 3, 20),
        previous_meeting_on=D(2026, 1, 5),
    )
    assert cadence.due_on == D(2026, 6, 6)
    assert not cadence.discuss_before_review(D(2026, 3, 10))


def test_the_window_is_the_agencys_number_of_working_days():
    # Five working days before Friday 20 March 2026 is Friday 13 March: the 10 March
    # discussion is outside it.
    cadence = due(
        last_discussed_on=D(2026, 3, 10),
        next_meeting_on=D(2026, 3, 20),
        window_working_days=5,
    )
    assert cadence.due_on == D(2026, 3, 20)
    assert cadence.review_window_opens_on == D(2026, 3, 13)


def test_review_window_skips_bank_holidays():
    # Meeting Tuesday 7 April 2026: Good Friday 3 April and Easter Monday 6 April don't count.
    assert working_days_before(D(2026, 4, 7), 2, "ENG") == D(2026, 4, 1)
    # Scotland has no Easter Monday holiday.
    assert working_days_before(D(2026, 4, 7), 2, "SCT") == D(2026, 4, 2)


def test_review_already_prepared_for_does_not_bring_it_forward():
    cadence = due(
        last_discussed_on=D(2026, 3, 10),
        next_meeting_on=D(2026, 3, 20),
        previous_meeting_on=D(2026, 1, 5),
    )
    assert cadence.due_on == D(2026, 6, 10)


def test_review_prepared_rules():
    opens = review_window_opens_on(meets_on=D(2026, 3, 20), window_working_days=10, nation="ENG")
    assert opens == D(2026, 3, 6)

    def prepared(last, previous=None):
        return review_prepared(
            meets_on=D(2026, 3, 20),
            last_discussed_on=last,
            window_opens_on=opens,
            previous_meeting_on=previous,
        )

    assert prepared(D(2026, 3, 6))
    assert prepared(D(2026, 3, 20))  # on the day of the meeting
    assert not prepared(D(2026, 3, 5))
    assert not prepared(D(2026, 3, 21))
    assert not prepared(None)
    # Held before the previous meeting, it prepared for that one, not this.
    assert not prepared(D(2026, 3, 9), previous=D(2026, 3, 10))
    assert prepared(D(2026, 3, 11), previous=D(2026, 3, 10))


def test_overdue_and_due_soon():
    cadence = due(last_discussed_on=D(2026, 1, 1))
    assert cadence.due_on == D(2026, 4, 3)
    assert cadence.is_overdue(D(2026, 4, 4))
    assert not cadence.is_overdue(D(2026, 4, 3))
    assert cadence.is_due_soon(D(2026, 3, 25))
    assert cadence.days_overdue(D(2026, 4, 10)) == 7


# --- Working days for decisions on the child's file (seed 001 standard 6) -----------------


def test_decision_on_christmas_eve_2026_is_due_on_30_december_in_england():
    assert add_working_days(D(2026, 12, 24), 2, "ENG") == D(2026, 12, 30)


def test_decision_on_a_friday_is_due_on_tuesday():
    assert add_working_days(D(2026, 11, 20), 2, "ENG") == D(2026, 11, 24)


def test_decision_before_st_andrews_day_in_scotland():
    # St Andrew's Day (Monday 30 November 2026) is a bank holiday in Scotland only.
    assert add_working_days(D(2026, 11, 27), 2, "SCT") == D(2026, 12, 2)
    assert add_working_days(D(2026, 11, 27), 2, "ENG") == D(2026, 12, 1)


def test_working_days_before_is_the_inverse_on_working_days():
    assert working_days_before(D(2026, 12, 30), 2, "ENG") == D(2026, 12, 24)


# --- Properties ---------------------------------------------------------------------------

dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))


@settings(deadline=None)
@given(
    status_since=dates,
    gap=st.integers(min_value=-400, max_value=400),
    ceiling=st.integers(min_value=7, max_value=92),
    meeting_in=st.one_of(st.none(), st.integers(min_value=0, max_value=200)),
)
def test_due_date_never_before_its_start_nor_beyond_the_ceiling(
    status_since, gap, ceiling, meeting_in
):
    last = status_since + dt.timedelta(days=gap)
    start = max(status_since, last)
    meeting = start + dt.timedelta(days=meeting_in) if meeting_in is not None else None
    cadence = next_discussion_due(
        status=LegalStatus.CHILD_IN_NEED,
        status_since=status_since,
        last_discussed_on=last,
        ceiling_days=ceiling,
        next_meeting_on=meeting,
    )
    assert cadence.ceiling_due_on is not None
    assert start <= cadence.ceiling_due_on <= start + dt.timedelta(days=ceiling)
    assert cadence.due_on is not None
    assert cadence.due_on <= start + dt.timedelta(days=ceiling)
    assert cadence.due_on >= min(start, meeting or start) - dt.timedelta(days=30)


@settings(deadline=None)
@given(start=dates, ceiling=st.integers(min_value=7, max_value=92))
def test_without_a_meeting_the_due_date_is_start_plus_ceiling_exactly(start, ceiling):
    cadence = next_discussion_due(
        status=LegalStatus.LOOKED_AFTER,
        status_since=start,
        last_discussed_on=None,
        ceiling_days=ceiling,
    )
    assert cadence.due_on == start + dt.timedelta(days=ceiling)
    assert cadence.due_on >= start
