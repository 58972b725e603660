"""The rules that decide when a child is next due to be discussed, and whether a child is
drifting, as plain functions of dates and ratings (no database), so they can be tested alone.

Cadence (seed 004 objective 4): a child in need, on a protection plan or looked after is
discussed in supervision no more than three months apart. The ceiling is counted in **days**
(the agency's ``child_discussion_ceiling_days``, at most 92: the longest three calendar months)
from the later of the last discussion and the day the current status began, so a status
change restarts the clock and a discussion under an earlier status does not count.

Review meetings (seed 004 objective 4, "scheduled discussion prior to review meetings"): a
discussion prepares for a meeting only when it is held inside the agency's window before that
meeting (``pre_review_working_days``, default 10 working days before it, up to the day of the
meeting) and after the child's previous meeting. An older discussion prepares for nothing, so
a child whose next meeting is not yet prepared for is due by the day of the meeting and, once
the window has opened, flagged "Discuss before the review". The next discussion due is the
earlier of the ceiling and the meeting. The same rule (``review_prepared``) decides the
"discussed before the review meeting" figures.

Drift (seed 004 objective 3 and Introduction, "lack of evident change"): see ``drift_findings``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from oversight.core.workdays import is_working_day

from .models import CADENCE_STATUSES, DriftRule

DEFAULT_CEILING_DAYS = 92
DEFAULT_PRE_REVIEW_WORKING_DAYS = 10
DUE_SOON_DAYS = 14


@lru_cache(maxsize=8192)  # thousands of children share a few hundred meeting dates
def working_days_before(day: dt.date, days: int, nation: str = "ENG") -> dt.date:
    """The date ``days`` working days before ``day`` (``day`` itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    remaining = days
    while remaining:
        day -= dt.timedelta(days=1)
        if is_working_day(day, nation):
            remaining -= 1
    return day


def counts_for_cadence(status: str) -> bool:
    return status in CADENCE_STATUSES


def ceiling_due_on(
    *, last_discussed_on: dt.date | None, status_since: dt.date, ceiling_days: int
) -> dt.date:
    """From the later of the last discussion and the status start, plus the ceiling."""
    start = status_since
    if last_discussed_on is not None and last_discussed_on > start:
        start = last_discussed_on
    return start + dt.timedelta(days=min(ceiling_days, DEFAULT_CEILING_DAYS))


def review_window_opens_on(*, meets_on: dt.date, window_working_days: int, nation: str) -> dt.date:
    """The first day of the window before a meeting in which a discussion prepares for it."""
    return working_days_before(meets_on, window_working_days, nation)


def review_prepared(
    *,
    meets_on: dt.date,
    last_discussed_on: dt.date | None,
    window_opens_on: dt.date,
    previous_meeting_on: dt.date | None = None,
) -> bool:
    """Whether the last discussion on or before the meeting prepared for it (seed 004
    objective 4): held inside the window before the meeting and after the previous meeting.
    Only the last discussion on or before the meeting is needed: if any discussion falls in
    the window, the last one does."""
    if last_discussed_on is None or last_discussed_on > meets_on:
        return False
    if last_discussed_on < window_opens_on:
        return False
    return previous_meeting_on is None or last_discussed_on > previous_meeting_on


@dataclass(frozen=True)
class Cadence:
    """A child's next discussion due, and why."""

    due_on: dt.date | None
    reason: str
    ceiling_due_on: dt.date | None = None
    # Set while the next review meeting is not prepared for: the meeting day (the last day a
    # discussion can prepare for it) and the first day of its window.
    review_due_on: dt.date | None = None
    review_window_opens_on: dt.date | None = None

    def is_overdue(self, today: dt.date) -> bool:
        return self.due_on is not None and self.due_on < today

    def is_due_soon(self, today: dt.date, within_days: int = DUE_SOON_DAYS) -> bool:
        return self.due_on is not None and today <= self.due_on <= today + dt.timedelta(
            days=within_days
        )

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.due_on).days if self.is_overdue(today) and self.due_on else 0

    def discuss_before_review(self, today: dt.date) -> bool:
        """The "Discuss before the review" flag: the window before the next meeting has
        opened and no discussion in it has prepared for the meeting yet."""
        return (
            self.review_window_opens_on is not None
            and self.review_due_on is not None
            and self.review_window_opens_on <= today <= self.review_due_on
        )

    @property
    def review_window(self) -> str:
        """The window in words, e.g. "between 6 March and 20 March 2026"."""
        if self.review_window_opens_on is None or self.review_due_on is None:
            return ""
        return f"between {self.review_window_opens_on:%-d %B %Y} and {self.review_due_on:%-d %B %Y}"


NOT_COUNTED = Cadence(None, "Not in a status that needs regular discussion")


def next_discussion_due(
    *,
    status: str,
    status_since: dt.date,
    last_discussed_on: dt.date | None,
    ceiling_days: int,
    next_meeting_on: dt.date | None = None,
    previous_meeting_on: dt.date | None = None,
    window_working_days: int = DEFAULT_PRE_REVIEW_WORKING_DAYS,
    nation: str = "ENG",
) -> Cadence:
    if not counts_for_cadence(status):
        return NOT_COUNTED
    by_ceiling = ceiling_due_on(
        last_discussed_on=last_discussed_on, status_since=status_since, ceiling_days=ceiling_days
    )
    by_review: dt.date | None = None
    opens_on: dt.date | None = None
    if next_meeting_on is not None:
        opens_on = review_window_opens_on(
            meets_on=next_meeting_on, window_working_days=window_working_days, nation=nation
        )
        if review_prepared(
            meets_on=next_meeting_on,
            last_discussed_on=last_discussed_on,
            window_opens_on=opens_on,
            previous_meeting_on=previous_meeting_on,
        ):
            opens_on = None
        else:
            by_review = next_meeting_on
    if by_review is not None and by_review < by_ceiling:
        return Cadence(
            by_review,
            f"Before the review meeting on {by_review:%-d %B %Y} "
            f"(its window opens {opens_on:%-d %B %Y})",
            by_ceiling,
            by_review,
            opens_on,
        )
    never = last_discussed_on is None or last_discussed_on < status_since
    reason = "Since the status began" if never else "Since the last discussion"
    return Cadence(by_ceiling, reason, by_ceiling, by_review, opens_on)


# --- Drift --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DriftThresholds:
    consecutive_enabled: bool = True
    consecutive_count: int = 3
    worsening_enabled: bool = True
    overdue_enabled: bool = True
    repeated_enabled: bool = True
    repeated_count: int = 6
    repeated_months: int = 6


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def drift_findings(
    *,
    ratings: Sequence[tuple[dt.date, str]],
    cadence: Cadence,
    today: dt.date,
    thresholds: DriftThresholds,
) -> list[tuple[str, str]]:
    """Which drift rules a child meets now, with a reason in words, from its RAG ratings in
    date order (oldest first).

    - consecutive: amber or red at the last N discussions (default 3);
    - worsening: the last discussion is red and the one before it was green;
    - overdue: in a status that needs discussion and the next discussion due has passed;
    - repeated: the last M discussions (default 6) were all amber, spanning at least the set
      number of months (default 6) — a long-running concern such as neglect that never
      reaches "getting worse" and never improves.
    """
    found: list[tuple[str, str]] = []
    n = thresholds.consecutive_count
    if thresholds.consecutive_enabled and len(ratings) >= n:
        last = ratings[-n:]
        if all(r in ("amber", "red") for _, r in last):
            found.append(
                (
                    DriftRule.CONSECUTIVE,
                    f"Amber or red at the last {n} discussions "
                    f"({last[0][0]:%-d %b %Y} to {last[-1][0]:%-d %b %Y}).",
                )
            )
    if thresholds.worsening_enabled and len(ratings) >= 2:
        (before_on, before), (after_on, after) = ratings[-2], ratings[-1]
        if before == "green" and after == "red":
            found.append(
                (
                    DriftRule.WORSENING,
                    f"Green (improving) on {before_on:%-d %b %Y}, then red (getting worse) "
                    f"on {after_on:%-d %b %Y}.",
                )
            )
    if thresholds.overdue_enabled and cadence.is_overdue(today) and cadence.due_on:
        found.append(
            (
                DriftRule.OVERDUE,
                f"Discussion was due by {cadence.due_on:%-d %b %Y} "
                f"({cadence.days_overdue(today)} days ago). {cadence.reason}.",
            )
        )
    m = thresholds.repeated_count
    if thresholds.repeated_enabled and len(ratings) >= m:
        last = ratings[-m:]
        first_on, last_on = last[0][0], last[-1][0]
        if all(r == "amber" for _, r in last) and first_on <= _months_before(
            last_on, thresholds.repeated_months
        ):
            found.append(
                (
                    DriftRule.REPEATED,
                    f"Amber at each of the last {m} discussions over "
                    f"{(last_on - first_on).days // 30} months, never improving and never "
                    "escalated: a long-running repeated concern (for example neglect).",
                )
            )
    return found
