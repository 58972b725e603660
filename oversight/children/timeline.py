"""The RAG timeline drawn on the server: positions for a small SVG (no JavaScript), with the
same facts as words in the table beside it. Each point carries its letter and label, never
colour alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

WIDTH = 720
HEIGHT = 200
LEFT = 90
RIGHT = 20
ROWS = {"green": 40, "amber": 95, "red": 150}
LABELS = {"green": "Green – improving", "amber": "Amber – the same", "red": "Red – getting worse"}
LETTERS = {"green": "G", "amber": "A", "red": "R"}


@dataclass
class Point:
    x: int
    y: int
    on: dt.date
    rag: str
    letter: str
    label: str
    change: str


@dataclass
class Timeline:
    points: list[Point] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    status_marks: list[dict[str, Any]] = field(default_factory=list)
    polyline: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    width: int = WIDTH
    height: int = HEIGHT
    rows: list[tuple[int, str]] = field(default_factory=list)
    summary: str = ""
    open_flags: list[Any] = field(default_factory=list)


def _change(before: str | None, after: str) -> str:
    order = {"green": 0, "amber": 1, "red": 2}
    if before is None:
        return "First rating"
    if order[after] > order[before]:
        return "Worse than last time"
    if order[after] < order[before]:
        return "Better than last time"
    return "No change"


def timeline_for(
    *,
    ratings: Sequence[tuple[dt.date, str]],
    statuses: Sequence[Any],
    meetings: Sequence[Any],
    flags: Sequence[Any],
    today: dt.date,
) -> Timeline:
    timeline = Timeline(
        rows=[(y, rag.capitalize()) for rag, y in ROWS.items()],
        open_flags=[f for f in flags if f.is_open],
    )
    if not ratings:
        timeline.summary = "Not yet discussed in supervision."
        return timeline
    start = min(ratings[0][0], *(s.starts_on for s in statuses)) if statuses else ratings[0][0]
    end = max(today, ratings[-1][0])
    span = max((end - start).days, 1)

    def x_of(day: dt.date) -> int:
        return LEFT + round((day - start).days / span * (WIDTH - LEFT - RIGHT))

    previous = None
    for on, rag in ratings:
        timeline.points.append(
            Point(x_of(on), ROWS[rag], on, rag, LETTERS[rag], LABELS[rag], _change(previous, rag))
        )
        previous = rag
    timeline.polyline = " ".join(f"{p.x},{p.y}" for p in timeline.points)
    timeline.meetings = [
        {"x": x_of(m.meets_on), "on": m.meets_on, "label": m.get_kind_display()}
        for m in meetings
        if start <= m.meets_on <= end
    ]
    timeline.status_marks = [
        {"x": x_of(s.starts_on), "on": s.starts_on, "label": s.get_status_display()}
        for s in statuses
        if start <= s.starts_on <= end
    ]
    timeline.start, timeline.end = start, end
    counts = {rag: sum(1 for _, r in ratings if r == rag) for rag in ROWS}
    timeline.summary = (
        f"{len(ratings)} discussions from {ratings[0][0]:%-d %B %Y} to {ratings[-1][0]:%-d %B %Y}: "
        f"{counts['green']} green, {counts['amber']} amber, {counts['red']} red. "
        f"Latest: {LABELS[ratings[-1][1]].lower()}."
    )
    return timeline
