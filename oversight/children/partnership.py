"""Drift and disagreement across the agencies involved with a child (issue 13 item 3), as
plain functions of dates and ratings (no database), so they can be tested alone.

The per-agency rules (``cadence.drift_findings``) still run as before. These are added at
partnership level, for a child known to two or more agencies:

- **No agency discussed the child** within three months: counted, like the cadence ceiling,
  as ``PARTNERSHIP_DAYS`` (92, the longest three calendar months) from the later of the last
  discussion by any involved agency and the day the second agency became involved. Flagged
  from the day after that.
- **Not discussed before a shared review meeting**: the child's latest review meeting, held
  (before today) within the last three months, while two or more agencies were involved, was
  not prepared for by any involved agency, i.e. no agency discussed the child inside the
  window before it (the holding agency's ``pre_review_working_days``, up to the day of the
  meeting; seed 004 objective 4).
- **Divergent ratings**: among each involved agency's latest rating within the last three
  months (the same period), one is red or amber and another green. This prompts a
  multi-agency conversation or a challenge through the escalation route (seed 004 objective
  7; seed 002: analysis "supplemented and challenged by the multi-agency team").

Each finding carries ``since``: the day the situation it names began. A flag for the rule
raised on or after that day, even one since acknowledged, already covers it, so an
acknowledged flag is not raised again for the same meeting, the same ratings or the same gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .models import DriftRule

PARTNERSHIP_DAYS = 92
CONCERNING = frozenset({"red", "amber"})


@dataclass(frozen=True)
class Finding:
    rule: str
    reason: str
    since: dt.date


@dataclass(frozen=True)
class PastMeeting:
    meets_on: dt.date
    kind: str
    window_opens_on: dt.date


def _d(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def partnership_findings(
    *,
    agencies: dict[int, str],
    involved_since: dt.date,
    discussions: Sequence[tuple[dt.date, int, str]],
    meeting: PastMeeting | None,
    today: dt.date,
    in_cadence: bool = True,
) -> list[Finding]:
    """The partnership rules the child meets on ``today``. ``agencies`` are the agencies
    involved today (id → name), ``involved_since`` the day the second of them became
    involved, ``discussions`` every discussion on or before today as (date, agency id,
    rating), ``meeting`` the child's latest review meeting before today, if any."""
    if len(agencies) < 2:
        return []
    findings: list[Finding] = []
    ours = [(on, agency, rag) for on, agency, rag in discussions if agency in agencies]
    period_starts = today - dt.timedelta(days=PARTNERSHIP_DAYS)

    if in_cadence:
        last = max((on for on, _, _ in ours), default=None)
        start = max(last, involved_since) if last else involved_since
        due = start + dt.timedelta(days=PARTNERSHIP_DAYS)
        if today > due:
            said = f"last on {_d(last)}" if last else "not since the agencies became involved"
            findings.append(
                Finding(
                    DriftRule.PARTNERSHIP_OVERDUE,
                    f"No involved agency has discussed the child in supervision for more "
                    f"than three months ({said}).",
                    due + dt.timedelta(days=1),
                )
            )

    if (
        meeting is not None
        and meeting.meets_on < today
        and meeting.meets_on >= max(involved_since, period_starts)
    ):
        prepared = any(meeting.window_opens_on <= on <= meeting.meets_on for on, _, _ in ours)
        if not prepared:
            findings.append(
                Finding(
                    DriftRule.PARTNERSHIP_REVIEW,
                    f"No involved agency discussed the child in supervision between "
                    f"{_d(meeting.window_opens_on)} and the {meeting.kind.lower()} on "
                    f"{_d(meeting.meets_on)}.",
                    meeting.meets_on,
                )
            )

    latest: dict[int, tuple[dt.date, str]] = {}
    for on, agency, rag in ours:
        if on >= period_starts and (agency not in latest or on >= latest[agency][0]):
            latest[agency] = (on, rag)
    concerned = [(a, on, rag) for a, (on, rag) in latest.items() if rag in CONCERNING]
    improving = [(a, on, rag) for a, (on, rag) in latest.items() if rag == "green"]
    if concerned and improving:
        named = sorted(concerned + improving, key=lambda r: (agencies[r[0]], r[1]))
        findings.append(
            Finding(
                DriftRule.DIVERGENT,
                "The agencies' latest ratings disagree: "
                + "; ".join(f"{agencies[a]} {rag} on {_d(on)}" for a, on, rag in named)
                + ". Talk it through together, or challenge through the escalation route.",
                max(on for _, on, _ in named),
            )
        )
    return findings


def still_to_raise(
    findings: list[Finding], flags: Sequence[tuple[str, dt.date, bool]]
) -> list[Finding]:
    """The findings no flag covers yet. ``flags`` are the child's flags of these rules as
    (rule, raised on, still open)."""
    keep = []
    for finding in findings:
        covered = any(
            rule == finding.rule and (is_open or raised_on >= finding.since)
            for rule, raised_on, is_open in flags
        )
        if not covered:
            keep.append(finding)
    return keep
