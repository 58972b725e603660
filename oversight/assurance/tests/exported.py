"""Reading exports back as a person's spreadsheet program would: a CSV (or each CSV in a zip)
with its byte-order mark, an XLSX sheet by sheet with the withheld markers put back from the
note column, so tests can compare what each route shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from typing import Any

from openpyxl import load_workbook

from oversight.assurance.tables import cell_text, restore_withheld

BOM = "\ufeff"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith(BOM), "a CSV for Excel starts with a byte-order mark"
    return [row for row in csv.reader(io.StringIO(text[1:])) if row]


def as_shown(rows: list[list[str]]) -> list[list[str]]:
    """CSV rows as the page shows them: the CSV writes dates as 2026-10-31, which every
    spreadsheet reads as a date; the page says 31 Oct 2026."""
    return [
        [cell_text(dt.date.fromisoformat(c)) if ISO_DATE.fullmatch(c) else c for c in row]
        for row in rows
    ]


def csv_tables(content: bytes) -> list[tuple[str, list[list[str]]]]:
    """(file name, rows with the header first) for each table: one CSV, or a zip of them."""
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return [(name, _csv_rows(archive.read(name))) for name in sorted(archive.namelist())]
    return [("", _csv_rows(content))]


def xlsx_tables(content: bytes) -> list[tuple[str, list[list[str]]]]:
    """(sheet name, rows with the header first) for each table sheet, as the page shows the
    cells: dates the British way, withheld figures back in their columns."""
    book = load_workbook(io.BytesIO(content))
    tables = []
    for sheet in book.worksheets:
        if sheet.title == "About":
            continue
        rows: list[list[Any]] = [list(r) for r in sheet.iter_rows(values_only=True)]
        header = [str(v) for v in rows[0]]
        body = restore_withheld(header, rows[1:])
        width = len(body[0]) if body else len(header)
        tables.append((sheet.title, [header[:width], *[[_text(v) for v in row] for row in body]]))
    return tables


def _text(value: Any) -> str:
    if hasattr(value, "date") and callable(value.date):  # openpyxl reads dates as datetimes
        value = value.date()
    return cell_text(value)
