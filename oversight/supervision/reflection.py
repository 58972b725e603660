"""Reads for the reflective tools, the 4x4x4 balance and case progression (issue 15 items 11,
12 and 16).

- Seed 004 Appendix II: which stages of the chosen tool each discussion covered;
- seed 001 "The 4x4x4 model" and "Key elements": the balance of functions, key elements and
  stakeholders "not always within one session, but certainly over the entire supervision
  process", over one supervisee's records with one supervisor;
- seed 004 "Assurance indicators" 4: case progression as movement between RAG ratings and
  legal statuses, period by period, beside the drift counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from oversight.children.models import LegalStatus
from oversight.people.models import SupervisionRelationship

from .models import (
    CaseDiscussion,
    Function,
    KeyElement,
    RagRating,
    ReflectionSettings,
    SessionRecord,
    SessionStatus,
    Stakeholder,
    TallyKind,
)
from .prompts import TOOLS, Tool, tool_for
from .selectors.tallies import Tally, tallies_in

# Decision 0004: counts under five are withheld where they leave the agency's own records.
MINIMUM_GROUP = 5
FEWER_THAN_FIVE = "Fewer than 5"


def withheld(count: int) -> int | str:
    return count if count == 0 or count >= MINIMUM_GROUP else FEWER_THAN_FIVE


def default_tool_key(*, agency_id: int) -> str:
    """The tool the agency offers first (issue 15 item 11); the adapted cycle without a
    setting."""
    found = (
        ReflectionSettings.objects.live()
        .filter(agency_id=agency_id)
        .values_list("default_tool", flat=True)
        .first()
    )
    return tool_for(found).key


def default_tool(*, agency_id: int) -> Tool:
    return tool_for(default_tool_key(agency_id=agency_id))


@dataclass
class Share:
    label: str
    count: int
    of: int
    gap: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.of) if self.of else 0

    @property
    def shown(self) -> int | str:
        return withheld(self.count)


@dataclass
class StageCoverage:
    tool: Tool
    discussions: int
    stages: list[Share] = field(default_factory=list)
    all_stages: int = 0

    @property
    def discussions_shown(self) -> int | str:
        return withheld(self.discussions)

    @property
    def all_stages_shown(self) -> int | str:
        return withheld(self.all_stages)


@dataclass
class Balance:
    relationship: SupervisionRelationship
    records: int
    discussions: int
    functions: list[Share]
    key_elements: list[Share]
    stakeholders: list[Share]
    coverage: list[StageCoverage]

    @property
    def gaps(self) -> list[str]:
        """What no record has served yet: for the pair to plan the next session around."""
        return [s.label for s in (*self.functions, *self.key_elements, *self.stakeholders) if s.gap]


def _shares(choices: Any, counts: Counter[str], of: int) -> list[Share]:
    return [
        Share(label=label, count=counts[value], of=of, gap=of > 0 and counts[value] == 0)
        for value, label in choices
    ]


def stage_coverage(discussions: list[CaseDiscussion]) -> list[StageCoverage]:
    """Per tool used, how many discussions covered each of its stages and how many covered
    all of them."""
    found: list[StageCoverage] = []
    for tool in TOOLS.values():
        used = [d for d in discussions if d.reflective_tool == tool.key]
        if not used:
            continue
        covered = [dict(d.stages_covered()) for d in used]
        coverage = StageCoverage(tool=tool, discussions=len(used))
        coverage.stages = [
            Share(label=stage.title, count=sum(1 for c in covered if c[stage.title]), of=len(used))
            for stage in tool.stages
        ]
        coverage.all_stages = sum(1 for c in covered if all(c.values()))
        found.append(coverage)
    return found


STAGE_TEXT_FIELDS = ("reflective_tool", *{f for t in TOOLS.values() for f in t.fields})


def relationship_balance(relationship: SupervisionRelationship) -> Balance:
    """The balance over the records of the pair's held 1:1 sessions in the relationship's
    agency (seed 001: "certainly over the entire supervision process"). Three queries."""
    records = list(
        SessionRecord.objects.live()
        .filter(
            session__supervisor_id=relationship.supervisor_id,
            session__supervisee_id=relationship.supervisee_id,
            session__agency_id=relationship.agency_id,
            session__status=SessionStatus.HELD,
        )
        .only("pk", "functions_served", "key_elements")
    )
    discussions = list(
        CaseDiscussion.objects.live()
        .filter(record__in=[r.pk for r in records])
        .only("pk", "stakeholders", *STAGE_TEXT_FIELDS)
    )
    functions: Counter[str] = Counter(v for r in records for v in set(r.functions_served))
    elements: Counter[str] = Counter(v for r in records for v in set(r.key_elements))
    stakeholders: Counter[str] = Counter(v for d in discussions for v in set(d.stakeholders))
    return Balance(
        relationship=relationship,
        records=len(records),
        discussions=len(discussions),
        functions=_shares(Function.choices, functions, len(records)),
        key_elements=_shares(KeyElement.choices, elements, len(records)),
        stakeholders=_shares(Stakeholder.choices, stakeholders, len(discussions)),
        coverage=stage_coverage(discussions),
    )


def agency_stage_coverage(
    *, agency_id: int, start: dt.date, end: dt.date
) -> tuple[int, list[StageCoverage], list[Share]]:
    """Across the agency's discussions in the period: stages covered per tool, and how often
    each stakeholder's perspective was considered (issue 15 items 11 and 12)."""
    discussions = list(
        CaseDiscussion.objects.live()
        .filter(agency_id=agency_id, discussed_on__gte=start, discussed_on__lte=end)
        .only("pk", "stakeholders", *STAGE_TEXT_FIELDS)
    )
    stakeholders: Counter[str] = Counter(v for d in discussions for v in set(d.stakeholders))
    return (
        len(discussions),
        stage_coverage(discussions),
        _shares(Stakeholder.choices, stakeholders, len(discussions)),
    )


# --- Case progression (seed 004 "Assurance indicators" 4; issue 15 item 16) ---------------

RAG_ORDER: dict[str, int] = {RagRating.RED: 0, RagRating.AMBER: 1, RagRating.GREEN: 2}


@dataclass
class TransitionRow:
    label: str
    counts: list[int | str]


@dataclass
class Progression:
    periods: list[tuple[dt.date, dt.date]]
    rag_summary: list[TransitionRow]
    rag_moves: list[TransitionRow]
    status_moves: list[TransitionRow]
    status_changes: list[int | str]

    @property
    def period_labels(self) -> list[str]:
        return [f"{start:%b %Y} to {end:%b %Y}" for start, end in self.periods]


def _rows(counts: dict[tuple[str, str], list[int]], labels: Any) -> list[TransitionRow]:
    return [
        TransitionRow(f"{labels(a)} to {labels(b)}", [withheld(c) for c in row])
        for (a, b), row in sorted(counts.items(), key=lambda item: -sum(item[1]))
    ]


@dataclass
class ProgressionCounts:
    """Raw counts per period, before any withholding."""

    summary: dict[str, list[int]]
    rag: dict[tuple[str, str], list[int]]
    moves: dict[tuple[str, str], list[int]]

    @property
    def status_changes(self) -> list[int]:
        return [
            sum(row[n] for row in self.moves.values()) for n in range(len(self.summary["same"]))
        ]


def progression_counts(
    *,
    agency_ids: list[int],
    periods: list[tuple[dt.date, dt.date]],
    tallies: dict[int, list[Tally]] | None = None,
) -> dict[int, ProgressionCounts]:
    """Movement between RAG ratings (a discussion of a child compared with its previous one
    in the agency, within LOOKBACK) and between legal statuses (one status period to the
    next), counted in the period the move happened, for each agency. Both come from the day
    tallies (decision 0033), read here unless the caller already has them."""
    size = len(periods)
    found = {
        pk: ProgressionCounts(
            summary={k: [0] * size for k in ("better", "same", "worse")},
            rag=defaultdict(lambda: [0] * size),
            moves=defaultdict(lambda: [0] * size),
        )
        for pk in agency_ids
    }
    if tallies is None:
        tallies = tallies_in(agency_ids=agency_ids, periods=periods)
    for agency_id, by_period in tallies.items():
        counts = found[agency_id]
        for index, tally in enumerate(by_period):
            for (kind, key), moves in tally.items():
                if kind == TallyKind.STATUS:
                    earlier, status = key.split(">")
                    counts.moves[(earlier, status)][index] += moves
                    continue
                if kind != TallyKind.MOVE:
                    continue
                before_rating, rating = key.split(">")
                before, after = RAG_ORDER.get(before_rating, 1), RAG_ORDER.get(rating, 1)
                change = "better" if after > before else "worse" if after < before else "same"
                counts.summary[change][index] += moves
                if before_rating != rating:
                    counts.rag[(before_rating, rating)][index] += moves
    return found


def _rag_label(value: str) -> str:
    if value not in RagRating.values:
        return value
    return f"{value.title()} ({RagRating(value).label.lower()})"


def _status_label(value: str) -> str:
    return LegalStatus(value).label if value in LegalStatus.values else value


def case_progression(*, agency_id: int, periods: list[tuple[dt.date, dt.date]]) -> Progression:
    """One agency's moves by period, counts under five withheld (decision 0004)."""
    counts = progression_counts(agency_ids=[agency_id], periods=periods)[agency_id]
    summary = counts.summary
    return Progression(
        periods=periods,
        rag_summary=[
            TransitionRow(
                "Rated better than at the discussion before",
                [withheld(c) for c in summary["better"]],
            ),
            TransitionRow("Rated the same", [withheld(c) for c in summary["same"]]),
            TransitionRow("Rated worse", [withheld(c) for c in summary["worse"]]),
        ],
        rag_moves=_rows(counts.rag, _rag_label),
        status_moves=_rows(counts.moves, _status_label),
        status_changes=[withheld(c) for c in counts.status_changes],
    )


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def quarters_ending(today: dt.date, count: int = 4) -> list[tuple[dt.date, dt.date]]:
    """The last ``count`` calendar quarters, the current one last (to today)."""
    start = _month_start(today).replace(month=3 * ((today.month - 1) // 3) + 1)
    periods: list[tuple[dt.date, dt.date]] = []
    end = today
    for _ in range(count):
        periods.append((start, end))
        end = start - dt.timedelta(days=1)
        month = start.month - 3
        year = start.year
        if month < 1:
            month += 12
            year -= 1
        start = dt.date(year, month, 1)
    return list(reversed(periods))
