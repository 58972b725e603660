"""Assurance in a real browser: the partnership auditor and an agency lead see their home
panels and dashboards; a supervisee answers the evaluation; every page passes axe-core."""

from __future__ import annotations

import re

import pytest

from oversight.core.testing import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_auditor_and_lead_dashboards(transactional_db, live_server, browser_page, cast):
    page = browser_page
    base = live_server.url

    sign_in(page, base, "auditor")
    page.get_by_role("heading", name="Partnership dashboard and record audits").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Partnership dashboard").first.click()
    page.get_by_role("heading", name="Partnership assurance dashboard").wait_for()
    assert page.get_by_text("Fewer than 5").first.is_visible()
    assert cast.practitioner.display_name not in page.content()
    assert_accessible(page)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Assurance").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record audits").click()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, base, "agency_lead")
    page.get_by_role("heading", name="What needs you today").wait_for()
    assert_accessible(page)
    # Issue 12: the count links to compliance, which names them.
    page.get_by_role("link", name=re.compile("of your staff")).first.click()
    assert page.get_by_text(cast.practitioner.display_name).first.is_visible()
    assert_accessible(page)
    page.goto(base + "/")
    page.get_by_role("link", name="Agency dashboard").first.click()
    page.get_by_role("heading", name=f"{cast.agency.name} assurance dashboard").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Compliance by person").first.click()
    assert_accessible(page)
    page.goto(f"{base}/assurance/agency/{cast.agency.pk}/workforce/")
    page.get_by_role("button", name="Save figures").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    sign_out(page)


def test_supervisee_evaluates_supervision(transactional_db, live_server, browser_page, cast):
    page = browser_page
    sign_in(page, live_server.url, "practitioner")
    page.get_by_role("link", name="1 evaluation of your supervision to give").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send your evaluation").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    for n in range(1, 11):
        page.locator(f"#id_q{n}_0").check()
    page.get_by_label("We need more of:").fill("Time to reflect")
    page.get_by_role("button", name="Send your evaluation").click()
    page.get_by_text("Your answers are anonymous").first.wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("wellbeing pulse to answer")).click()
    assert_accessible(page)


def test_each_chart_data_table_in_the_browser_matches_the_exported_csv(
    transactional_db, live_server, browser_page, cast
):
    """What the auditor reads under each chart is what the CSV export gives them."""
    from .exported import as_shown, csv_tables

    page = browser_page
    sign_in(page, live_server.url, "auditor")
    page.goto(f"{live_server.url}/assurance/partnership/")
    page.get_by_role("heading", name="Partnership assurance dashboard").wait_for()
    shown = page.evaluate(
        """() => Array.from(document.querySelectorAll('table[data-table]')).map(t =>
            Array.from(t.querySelectorAll('tr')).map(r =>
                Array.from(r.querySelectorAll('th, td')).map(
                    c => c.textContent.split(/\\s+/).filter(Boolean).join(' '))))"""
    )
    export = page.get_by_role("link", name="Download every figure as CSV").get_attribute("href")
    response = page.request.get(f"{live_server.url}{export}")
    assert response.headers["content-type"] == "application/zip"
    blocks = [as_shown(rows) for _name, rows in csv_tables(response.body())]
    assert shown and len(shown) == len(blocks)
    for table, block in zip(shown, blocks, strict=True):
        assert table == block  # one CSV file a table, its header first
    assert_accessible(page)
