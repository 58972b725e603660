"""A figure table: the source of truth behind every chart, page table and export (issue 5
item 3: "each chart has its data table"). Built once by the dashboards; rendered as an SVG
bar chart and a GOV.UK table, and written unchanged to CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format

from oversight.core.exports import safe_row

from .suppression import WITHHELD


@dataclass
class Bar:
    label: str
    value: float | None
    text: str
    y: int
    width: float


@dataclass
class Point:
    label: str
    value: float
    x: float
    y: float


@dataclass
class Line:
    """A trend drawn as a line (issue 12 item 2: "trends are line charts with their data
    tables"): the points of the table's chart column, on a 0–100 scale."""

    points: list[Point]
    polyline: str
    first: Point
    last: Point


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    chart_column: int | None = None  # a 0–100 column drawn as bars, or as a line
    note: str = ""
    chart_kind: str = "bars"  # "line" for a trend over time
    # Counts for the whole partnership or agency behind the rows, never shown or exported as
    # they are: a headline question makes its percentage from them, through suppression.
    totals: dict[str, int] = field(default_factory=dict)

    CHART_WIDTH = 360
    ROW_HEIGHT = 28
    LINE_WIDTH = 600
    LINE_HEIGHT = 200
    LINE_LEFT = 40
    LINE_BOTTOM = 30

    @property
    def withheld_share(self) -> float:
        """The share of figure cells (all but the first column) withheld as small groups."""
        cells = [cell for row in self.rows for cell in row[1:]]
        if not cells:
            return 0.0
        return sum(cell in WITHHELD for cell in cells) / len(cells)

    @property
    def is_line(self) -> bool:
        return self.chart_kind == "line"

    @property
    def line(self) -> Line | None:
        """The chart column as a line over the rows, skipping withheld months; None when
        fewer than two months have a figure."""
        if self.chart_column is None or not self.is_line:
            return None
        figures = [
            (cell_text(row[0]), float(row[self.chart_column]))
            for row in self.rows
            if _is_number(row[self.chart_column])
        ]
        if len(figures) < 2:
            return None
        span = self.LINE_WIDTH - self.LINE_LEFT - 10
        step = span / (len(self.rows) - 1) if len(self.rows) > 1 else 0
        labels = [cell_text(row[0]) for row in self.rows]
        plot = self.LINE_HEIGHT - self.LINE_BOTTOM - 10
        points = [
            Point(
                label,
                value,
                round(self.LINE_LEFT + labels.index(label) * step, 1),
                round(10 + plot * (1 - value / 100), 1),
            )
            for label, value in figures
        ]
        polyline = " ".join(f"{p.x},{p.y}" for p in points)
        return Line(points, polyline, points[0], points[-1])

    @property
    def line_grid(self) -> list[tuple[int, float]]:
        plot = self.LINE_HEIGHT - self.LINE_BOTTOM - 10
        return [(v, round(10 + plot * (1 - v / 100), 1)) for v in (0, 25, 50, 75, 100)]

    @property
    def line_label(self) -> str:
        line = self.line
        column = self.columns[self.chart_column] if self.chart_column is not None else ""
        if line is None:
            return f"Line chart: {self.caption}. The table that follows gives every figure."
        return (
            f"Line chart: {self.caption}, {column}, from {line.first.value:g}% in "
            f"{line.first.label} to {line.last.value:g}% in {line.last.label}. The table that "
            "follows gives every figure."
        )

    @property
    def bars(self) -> list[Bar]:
        if self.chart_column is None:
            return []
        bars = []
        for n, row in enumerate(self.rows):
            value = row[self.chart_column]
            number = None if value in (None, "", *WITHHELD) else float(value)
            text = "no figure" if value in WITHHELD else ("none" if number is None else f"{value}%")
            width = 0.0 if number is None else max(0.0, min(100.0, number)) * self.CHART_WIDTH / 100
            bars.append(Bar(cell_text(row[0]), number, text, n * self.ROW_HEIGHT, width))
        return bars

    @property
    def chart_height(self) -> int:
        return max(1, len(self.rows)) * self.ROW_HEIGHT

    @property
    def chart_label(self) -> str:
        column = self.columns[self.chart_column] if self.chart_column is not None else ""
        return f"Bar chart: {self.caption}, {column}. The table that follows gives every figure."


@dataclass
class Headline:
    """A question a board asks, answered by a figure and its direction over the trend
    (issue 12 items 2 and 5: the board report opens with the headline figures and their
    trend charts)."""

    question: str
    figure: str
    direction: str
    table: Table | None
    about: str = ""  # what the figure counts, when the figure does not say


def headlines(tables: list[Table]) -> list[Headline]:
    """The headline of each trend among the tables: its latest figure and how it moved."""
    found = []
    for table in tables:
        line = table.line
        if line is None:
            continue
        change = round(line.last.value - line.first.value)
        moved = (
            "no change"
            if change == 0
            else f"{'up' if change > 0 else 'down'} {abs(change)} "
            f"percentage point{'s' if abs(change) != 1 else ''}"
        )
        found.append(
            Headline(
                question=TREND_QUESTIONS.get(table.key, table.caption),
                figure=f"{line.last.value:g}% on {line.last.label}",
                direction=f"{moved.capitalize()} since {line.first.label} ({line.first.value:g}%).",
                table=table,
            )
        )
    return found


TREND_QUESTIONS = {
    "trend": "Are staff supervised on time?",
    "decisions_trend": "Are decisions on the child's file within two working days?",
    "children_trend": "Are children in need discussed?",
    "drift_trend": "Is drift caught and resolved?",
    "multi_agency_trend": "Are children known to several agencies discussed by all of them?",
}


def cell_text(value: Any) -> str:
    """A cell as the page shows it: dates the British way ("17 Nov 2026")."""
    if isinstance(value, dt.date):
        return date_format(value)
    return "" if value is None else str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def numeric_columns(table: Table) -> set[int]:
    """The columns whose figures are numbers: a withheld marker never sits among them in a
    spreadsheet, where it would turn the column into text."""
    return {
        n
        for n in range(len(table.columns))
        if any(n < len(row) and _is_number(row[n]) for row in table.rows)
        or (
            n > 0
            and table.rows
            and all(n < len(row) and row[n] in (None, "", *WITHHELD) for row in table.rows)
        )
    }


NOTE_COLUMN = "Note"


def spreadsheet_rows(table: Table) -> tuple[list[str], list[list[Any]]]:
    """The header and rows for a spreadsheet: a withheld figure in a numeric column becomes an
    empty cell, and the row's note says which figures were withheld and why ("Fewer than 5",
    "Hidden"), so a column of numbers stays numbers and can be summed and filtered."""
    numeric = numeric_columns(table)
    rows: list[list[Any]] = []
    any_note = False
    for row in table.rows:
        cells = list(row)
        notes = []
        for n in sorted(numeric):
            if n < len(cells) and cells[n] in WITHHELD:
                notes.append(f"{table.columns[n]}: {cells[n]}")
                cells[n] = None
        any_note = any_note or bool(notes)
        rows.append([*cells, "; ".join(notes)])
    if not any_note:
        return list(table.columns), [r[:-1] for r in rows]
    return [*table.columns, NOTE_COLUMN], rows


def restore_withheld(header: list[str], rows: list[list[Any]]) -> list[list[Any]]:
    """The page's rows back from a spreadsheet's (the inverse of ``spreadsheet_rows``), for
    tests that compare what each route shows."""
    if not header or header[-1] != NOTE_COLUMN:
        return rows
    restored = []
    for row in rows:
        cells = list(row[:-1])
        for note in filter(None, (row[-1] or "").split("; ")):
            column, marker = note.rsplit(": ", 1)
            cells[header.index(column)] = marker
        restored.append(cells)
    return restored


_NOT_IN_NAMES = re.compile(r"[\\/:*?\[\]'\x00-\x1f]")


def file_title(table: Table, *, limit: int = 31) -> str:
    """A readable name for the table's sheet or file, from its caption (a worksheet's name
    holds at most 31 characters and none of \\ / : * ? [ ] ')."""
    title = " ".join(_NOT_IN_NAMES.sub(" ", table.caption).split())
    if len(title) > limit:
        cut = title[: limit + 1]
        title = cut[: cut.rfind(" ")] if " " in cut else title[:limit]
    return title.rstrip(" ,.;-") or table.key[:limit]


def _unique_titles(tables: list[Table], limit: int) -> list[str]:
    seen: dict[str, int] = {}
    titles = []
    for table in tables:
        title = file_title(table, limit=limit)
        count = seen.get(title.lower(), 0)
        seen[title.lower()] = count + 1
        if count:
            suffix = f" ({count + 1})"
            title = title[: limit - len(suffix)] + suffix
        titles.append(title)
    return titles


def _csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(table.columns))
    for row in table.rows:
        writer.writerow(safe_row(row))
    # UTF-8 with a byte-order mark: Excel then reads names with accents as they are.
    return out.getvalue().encode("utf-8-sig")


def csv_export(tables: list[Table], *, stem: str) -> tuple[bytes, str, str]:
    """One table a CSV file, its header in the first row, as the page shows it; several tables
    come as a zip of one file each, named by caption. Returns the content, its file name and
    its media type. No cell is a formula (core.exports)."""
    if len(tables) == 1:
        return _csv_bytes(tables[0]), f"{stem}.csv", "text/csv; charset=utf-8"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (table, title) in enumerate(
            zip(tables, _unique_titles(tables, limit=80), strict=True), start=1
        ):
            archive.writestr(f"{n:02d} {title}.csv", _csv_bytes(table))
    return out.getvalue(), f"{stem}.zip", "application/zip"


def _written(sheet: Any, value: Any, **style: Any) -> Any:
    """A styled cell for a write-only sheet."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def xlsx_bytes(tables: list[Table], *, about: Sequence[tuple[str, str]] = ()) -> bytes:
    """One worksheet a table, named by its caption; the header in row 1, frozen, with filters;
    dates as dates and numbers as numbers, a withheld figure as an empty cell with a note
    (``spreadsheet_rows``). A last sheet, "About", gives each table's caption and note. No cell
    is a formula (core.exports). ``about`` adds lines such as the report's title and period to
    that sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # Written as a stream (openpyxl's write-only mode): a fifth to a quarter quicker for a
    # 1,600-row export, and the rows are not held as cell objects.
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for table, title in zip(tables, _unique_titles(tables, limit=31), strict=True):
        sheet = book.create_sheet(title=title)
        header, rows = spreadsheet_rows(table)
        dated = set()
        for n, name in enumerate(header):
            width = max([len(str(name)), *(len(cell_text(r[n])) for r in rows)], default=8)
            sheet.column_dimensions[get_column_letter(n + 1)].width = min(60, width + 2)
            if any(isinstance(r[n], dt.date) for r in rows):
                dated.add(n)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        sheet.append([_written(sheet, value, font=bold) for value in safe_row(header)])
        for row in rows:
            values = safe_row(row)
            if dated:
                values = [
                    _written(sheet, value, number_format="d mmm yyyy") if n in dated else value
                    for n, value in enumerate(values)
                ]
            sheet.append(values)
    notes = book.create_sheet(title="About")
    notes.column_dimensions["A"].width = 34
    notes.column_dimensions["B"].width = 60
    notes.freeze_panes = "A2"
    notes.append([_written(notes, v, font=bold) for v in ["Sheet", "What it shows", "Note"]])
    for table, title in zip(tables, _unique_titles(tables, limit=31), strict=True):
        notes.append(safe_row([title, table.caption, table.note]))
    if about:
        notes.append([])
        for label, value in about:
            notes.append(safe_row([label, value, ""]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
