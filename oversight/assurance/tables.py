"""A figure table: the source of truth behind every chart, page table and export (issue 5
item 3: "each chart has its data table"). Built once by the dashboards; rendered as an SVG
bar chart and a GOV.UK table, and written unchanged to CSV and XLSX."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

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
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    chart_column: int | None = None  # a 0–100 column drawn as bars
    note: str = ""

    CHART_WIDTH = 360
    ROW_HEIGHT = 28

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
            bars.append(Bar(str(row[0]), number, text, n * self.ROW_HEIGHT, width))
        return bars

    @property
    def chart_height(self) -> int:
        return max(1, len(self.rows)) * self.ROW_HEIGHT

    @property
    def chart_label(self) -> str:
        column = self.columns[self.chart_column] if self.chart_column is not None else ""
        return f"Bar chart: {self.caption}, {column}. The table that follows gives every figure."


def csv_text(tables: list[Table]) -> str:
    """Every table, one after another, each headed by its caption. No cell is a formula
    (core.exports)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for table in tables:
        writer.writerow(safe_row([table.caption]))
        writer.writerow(safe_row(table.columns))
        for row in table.rows:
            writer.writerow(safe_row(row))
        writer.writerow([])
    return out.getvalue()


def xlsx_bytes(tables: list[Table]) -> bytes:
    """One worksheet per table (named by its key), the caption in the first row. No cell is
    a formula (core.exports)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # streams rows: a lead's thousands of people stay quick
    for table in tables:
        sheet = book.create_sheet(title=table.key[:31])
        sheet.append(safe_row([table.caption]))
        sheet.append(safe_row(table.columns))
        for row in table.rows:
            sheet.append(safe_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
