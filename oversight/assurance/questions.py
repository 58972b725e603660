"""The questions the dashboards open with (issue 12 item 2: "the partnership and agency
dashboards open with the few headline questions a board asks, each with its figure, its
direction over 12 months, and a link down").

A question names the dashboard tables that answer it (they sit on its own page) and, when it
is a headline, how to read its figure and direction. Another app's figures join by adding a
table to ``selectors.dashboards`` and registering a question here, or by naming the table in
an existing question's ``tables``:

    register(Question(slug="audit", ask="Are records good enough?", tables=(TablePart("..."),)))

A table no question names is still shown, on the "Other figures" page, so nothing added to
the dashboards is lost from them. Figures come from the tables and ``children`` selectors
only, through suppression (decision 0004): nothing personal, nothing under five."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from oversight.people.models import Agency

from .selectors.period import Period
from .suppression import WITHHELD, percent, suppress
from .tables import Line, Table

PARTNERSHIP = "partnership"
AGENCY = "agency"
BOTH = frozenset({PARTNERSHIP, AGENCY})
OTHER_SLUG = "other"


@dataclass(frozen=True)
class Scope:
    """What a question is asked of: the partnership (every agency) or one agency, over the
    chosen period, with the dashboard's tables for that period."""

    kind: str
    agencies: list[Agency]
    period: Period
    today: dt.date
    tables: list[Table]

    @property
    def on(self) -> dt.date:
        return min(self.period.end, self.today)

    @property
    def agency_ids(self) -> set[int]:
        return {a.pk for a in self.agencies}

    @property
    def is_partnership(self) -> bool:
        return self.kind == PARTNERSHIP

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    def row(self, key: str, label: str) -> list[Any] | None:
        """The row of table ``key`` whose first cell is ``label``."""
        table = self.table(key)
        if table is None:
            return None
        return next((r for r in table.rows if str(r[0]) == label), None)


@dataclass
class Answer:
    """A headline's figure ("82%"), what it counts, its direction in words with an arrow
    ("up", "down", "level" or "" when there is no trend) and the trend behind it."""

    figure: str
    about: str
    direction: str
    arrow: str = ""
    trend: Table | None = None
    detail: str = ""

    @property
    def arrow_symbol(self) -> str:
        return {"up": "↑", "down": "↓", "level": "→"}.get(self.arrow, "")

    @property
    def compact_trend(self) -> Table | None:
        """The trend drawn small, for the dashboard beside its figure: a narrower drawing,
        so that its words stay readable when it shrinks to a phone's width."""
        if self.trend is None:
            return None
        small = copy.copy(self.trend)
        small.LINE_WIDTH, small.LINE_HEIGHT = 320, 170
        return small

    @property
    def line(self) -> Line | None:
        small = self.compact_trend
        return small.line if small is not None else None


@dataclass(frozen=True)
class TablePart:
    """A dashboard table shown on a question's page, by its key. When small groups leave it
    mostly empty (issue 12 item 2), the page offers a grouping that shows figures: ``wider``,
    the key of a table on the same page with larger groups (staff groups beside teams), or
    ``by_agency``, the same table by agency on the partnership dashboard (for an agency's
    lead), or ``whole`` when the question's headline gives the table's figure for the whole
    partnership or agency."""

    key: str
    wider: str = ""
    by_agency: bool = False
    whole: bool = False


@dataclass(frozen=True)
class Question:
    slug: str
    ask: str
    tables: tuple[TablePart, ...]
    answer: Callable[[Scope], Answer] | None = None  # a headline when set
    scopes: frozenset[str] = BOTH
    summary: str = ""  # one sentence under the question on its page

    @property
    def is_headline(self) -> bool:
        return self.answer is not None


QUESTIONS: list[Question] = []


def register(question: Question) -> Question:
    """Add a question (or replace the one with its slug, keeping its place)."""
    for n, found in enumerate(QUESTIONS):
        if found.slug == question.slug:
            QUESTIONS[n] = question
            return question
    QUESTIONS.append(question)
    return question


def questions_for(kind: str, tables: Sequence[Table] = ()) -> list[Question]:
    """The questions of a dashboard in order, ending with "Other figures" for any of
    ``tables`` that no question names."""
    found = [q for q in QUESTIONS if kind in q.scopes]
    named = {part.key for q in found for part in q.tables}
    rest = tuple(TablePart(t.key) for t in tables if t.key not in named)
    if rest:
        found.append(
            Question(
                slug=OTHER_SLUG,
                ask="Other figures",
                tables=rest,
                summary="Figures that no question above covers yet.",
            )
        )
    return found


def in_question_order(kind: str, tables: Sequence[Table]) -> list[Table]:
    """The tables in the order the dashboard's questions show them, so that the exports and
    the board report follow the pages."""
    order = [part.key for q in questions_for(kind, tables) for part in q.tables]
    return sorted(tables, key=lambda t: order.index(t.key) if t.key in order else len(order))


def question_for(kind: str, slug: str, tables: Sequence[Table] = ()) -> Question | None:
    return next((q for q in questions_for(kind, tables) if q.slug == slug), None)


# --- Reading figures ------------------------------------------------------------------------


def _shown(value: Any) -> str:
    if value in WITHHELD:
        return str(value)
    return "No figure" if value in (None, "") else f"{value}%"


def direction(trend: Table | None) -> tuple[str, str]:
    """The arrow and the words for how the trend's line moved over its months."""
    if trend is None:
        return "", "No 12-month trend: figures for past months are not kept for this yet."
    line = trend.line
    if line is None:
        return "", "No trend: fewer than two months have a figure large enough to show."
    change = round(line.last.value - line.first.value)
    if change == 0:
        return "level", f"No change since {line.first.label} ({line.first.value:g}%)."
    points = f"{abs(change)} percentage point{'s' if abs(change) != 1 else ''}"
    return (
        "up" if change > 0 else "down",
        f"{'Up' if change > 0 else 'Down'} {points} since {line.first.label} "
        f"({line.first.value:g}%).",
    )


def _answer(figure: Any, about: str, trend: Table | None = None, detail: str = "") -> Answer:
    arrow, words = direction(trend)
    return Answer(
        figure=_shown(figure), about=about, direction=words, arrow=arrow, trend=trend, detail=detail
    )


def staff_supervised(scope: Scope) -> Answer:
    """Seed 004: each member of staff supervised within their agency's interval."""
    key = "staff_compliance" if scope.is_partnership else "compliance_by_team"
    table = scope.table(key)
    figure = table.rows[-1][2] if table and table.rows else None
    return _answer(
        figure,
        f"of staff supervised within their interval on {scope.on:%-d %B %Y}",
        scope.table("trend"),
    )


def children_discussed(scope: Scope) -> Answer:
    """Seed 004 objective 4: children in need discussed no more than three months apart."""
    table = scope.table("children")
    totals = table.totals if table is not None else {}
    return _answer(
        percent(totals.get("within_cadence", 0), totals.get("in_cadence", 0)),
        f"of children in need discussed within three months, on {scope.on:%-d %B %Y}",
        scope.table("children_trend"),
    )


def decisions_on_file(scope: Scope) -> Answer:
    """Seed 004: decisions on the child's file within two working days."""
    table = scope.table("decisions")
    totals = table.totals if table is not None else {}
    return _answer(
        percent(totals.get("on_time", 0), totals.get("decisions", 0)),
        f"of decisions made from {scope.period.label} on the child's file within two working days",
        scope.table("decisions_trend"),
    )


def drift_resolved(scope: Scope) -> Answer:
    """Drift flags (seed 004 "drift") raised, resolved with a decision, and still open."""
    table = scope.table("drift_escalation")
    figures = table.totals if table is not None else {}
    raised, resolved, still_open = (figures.get(k, 0) for k in ("raised", "resolved", "open"))
    shown = suppress(still_open, still_open)
    # The figure is a count (flags open today); the direction is of the share resolved, so
    # the words say which (decision 0017).
    trend = scope.table("drift_trend")
    arrow, words = direction(trend)
    if arrow:
        words = f"Flags resolved within the month: {words[0].lower()}{words[1:]}"
    return Answer(
        figure=str(shown),
        about="drift flags open today, waiting for a decision",
        direction=words,
        arrow=arrow,
        trend=trend,
        detail=f"From {scope.period.label}: {suppress(raised, raised)} raised, "
        f"{suppress(resolved, resolved)} resolved.",
    )


def multi_agency_discussed(scope: Scope) -> Answer:
    """Issue 13 item 7: children known to two or more agencies, discussed by every one."""
    label = "Partnership" if scope.is_partnership else scope.agencies[0].name
    row = scope.row("multi_agency", label)
    return _answer(
        row[2] if row else None,
        "of children known to two or more agencies discussed by every agency involved "
        f"within three months, on {scope.on:%-d %B %Y}",
        scope.table("multi_agency_trend"),
    )


# --- The questions, in the order the dashboards ask them -------------------------------------

register(
    Question(
        slug="staff-supervised",
        ask="Are staff supervised on time?",
        answer=staff_supervised,
        summary="Staff supervised within their agency's interval, contracts, unsigned records "
        "and overdue actions, and whether supervisors are trained and supervised themselves.",
        tables=(
            TablePart("staff_compliance"),
            TablePart("compliance_by_team", wider="compliance_by_group", by_agency=True),
            TablePart("compliance_by_group", by_agency=True),
            TablePart("trend"),
            TablePart("supervisors", by_agency=True),
        ),
    )
)
register(
    Question(
        slug="children-discussed",
        ask="Are children in need discussed?",
        answer=children_discussed,
        summary="Children in need discussed in supervision within three months, and before "
        "their review meeting.",
        tables=(TablePart("children", whole=True), TablePart("children_trend")),
    )
)
register(
    Question(
        slug="decisions-on-file",
        ask="Are decisions on the child's file within two working days?",
        answer=decisions_on_file,
        summary="Decisions made in supervision and how many reached the child's file within "
        "two working days.",
        tables=(TablePart("decisions", whole=True), TablePart("decisions_trend")),
    )
)
register(
    Question(
        slug="drift",
        ask="Is drift caught and resolved?",
        answer=drift_resolved,
        summary="Drift flags raised and resolved, escalations by level, and how children's "
        "ratings and legal statuses moved.",  # seed 004 indicator 4
        tables=(
            TablePart("drift_escalation", whole=True),
            TablePart("drift_trend"),
            TablePart("case_progression"),
        ),
    )
)
register(
    Question(
        slug="multi-agency",
        ask="Are children known to several agencies discussed by all of them?",
        answer=multi_agency_discussed,
        summary="Children known to two or more agencies, and disagreements about their ratings.",
        tables=(TablePart("multi_agency", whole=True), TablePart("multi_agency_trend")),
    )
)
register(
    Question(
        slug="record-audit",
        ask="What do record audits find?",
        summary="Grades given to sampled supervision records, and in multi-agency audits to "
        "each agency's part and the working between agencies.",
        tables=(TablePart("record_audit"), TablePart("multi_agency_audit")),
    )
)
register(
    Question(
        slug="case-discussions",
        ask="What do case discussions cover?",
        summary="The key elements of supervision, referrals for specialist assessment and "
        "serious case review themes.",
        tables=(
            TablePart("key_elements"),
            TablePart("specialist_referrals"),
            TablePart("review_themes"),
        ),
    )
)
register(
    Question(
        slug="shortfalls",
        ask="Do workload and resource shortfalls reach senior managers, and are they answered?",
        summary="Shortfalls that supervisors and line managers reported to the agency's senior "
        "managers, by kind, and how long an answer took.",  # seed 004 "Line management"
        tables=(TablePart("shortfalls"),),
        scopes=frozenset({AGENCY}),
    )
)
register(
    Question(
        slug="evaluation",
        ask="How do staff rate their supervision?",
        summary="Results of the evaluation of supervision, from rounds that have closed.",
        tables=(TablePart("evaluation"), TablePart("evaluation_statements")),
    )
)
register(
    Question(
        slug="wellbeing",
        ask="How are staff?",
        summary="The wellbeing pulse, for all staff and for supervisors and supervisees "
        "apart, sickness and vacancies.",  # seed 004 indicator 1
        tables=(TablePart("wellbeing"), TablePart("wellbeing_by_role"), TablePart("workforce")),
    )
)


@dataclass
class ShownTable:
    """A table as a question's page shows it, with a word when small groups leave it mostly
    empty and, when there is one, a link to the grouping that shows figures."""

    table: Table
    mostly_withheld: bool = False
    wider_href: str = ""
    wider_label: str = ""


MOSTLY = 0.5
WIDER_WORDS = {"compliance_by_group": "See the same figures by staff group"}


def _mostly_withheld(table: Table) -> bool:
    return bool(table.rows) and table.withheld_share >= MOSTLY


def shown_tables(
    question: Question, tables: Sequence[Table], wider: Callable[[TablePart], tuple[str, str]]
) -> list[ShownTable]:
    """The tables of ``question`` among ``tables``, in the question's order. ``wider`` gives
    the link and its words for a part's grouping on another page (``by_agency``, ``whole``),
    or ("", "") when there is none this reader may see."""
    by_key = {t.key: t for t in tables}
    found = []
    for part in question.tables:
        table = by_key.get(part.key)
        if table is None:
            continue
        shown = ShownTable(table)
        if _mostly_withheld(table):
            shown.mostly_withheld = True
            beside = by_key.get(part.wider)
            if beside is not None and not _mostly_withheld(beside):
                shown.wider_href = f"#table-{beside.key}"
                shown.wider_label = WIDER_WORDS.get(beside.key, "See the same figures grouped")
            else:
                shown.wider_href, shown.wider_label = wider(part)
        found.append(shown)
    return found
