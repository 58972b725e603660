"""Assurance in a real browser: the partnership auditor and an agency lead see their home
panels and dashboards; a supervisee answers the evaluation; every page passes axe-core."""

from __future__ import annotations

import re

import pytest

from oversight.core.testing import assert_accessible, sign_in, sign_out
from oversight.people.tests import factories as pf

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


TABLES_SCRIPT = """() => Array.from(document.querySelectorAll('table[data-table]')).map(t =>
    Array.from(t.querySelectorAll('tr')).map(r =>
        Array.from(r.querySelectorAll('th, td')).map(
            c => c.textContent.split(/\\s+/).filter(Boolean).join(' '))))"""


def test_each_chart_data_table_in_the_browser_matches_the_exported_csv(
    transactional_db, live_server, browser_page, cast
):
    """What the auditor reads under each chart, on the pages of the dashboard's questions, is
    what the CSV export gives them, in the same order."""
    from .exported import as_shown, csv_tables

    page = browser_page
    sign_in(page, live_server.url, "auditor")
    page.goto(f"{live_server.url}/assurance/partnership/")
    page.get_by_role("heading", name="Partnership assurance dashboard").wait_for()
    dashboard = page.url
    links = page.evaluate(
        """() => Array.from(document.querySelectorAll('a[href*="/questions/"]'))
            .map(a => a.href)"""
    )
    shown = []
    for link in dict.fromkeys(links):  # each question's page, in the dashboard's order
        page.goto(link)
        shown += page.evaluate(TABLES_SCRIPT)
    page.goto(dashboard)
    export = page.get_by_role("link", name="Download every figure as CSV").get_attribute("href")
    response = page.request.get(f"{live_server.url}{export}")
    assert response.headers["content-type"] == "application/zip"
    blocks = [as_shown(rows) for _name, rows in csv_tables(response.body())]
    assert shown and len(shown) == len(blocks)
    for table, block in zip(shown, blocks, strict=True):
        assert table == block  # one CSV file a table, its header first
    assert_accessible(page)


SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"
CHARTS_FIT = """() => Array.from(document.querySelectorAll('svg.ov-chart__svg'))
    .every(svg => svg.getBoundingClientRect().right <= window.innerWidth)"""


def test_dashboards_fit_the_screen_and_answer_questions(
    transactional_db, live_server, browser_page, cast
):
    """Issue 12 item 2: no sideways scrolling at 1280 px on the dashboards and their question
    pages, charts that scale down to 320 px, and axe-core finds nothing."""
    for n in range(6):  # a wide partnership: long agency names make wide tables
        agency = pf.AgencyFactory(
            partnership=cast.agency.partnership, name=f"Northshire Agency With A Long Name {n}"
        )
        pf.MembershipFactory(agency=agency)
    page = browser_page
    base = live_server.url
    sign_in(page, base, "agency_lead")
    pages = [f"{base}/assurance/partnership/", f"{base}/assurance/agency/{cast.agency.pk}/"]
    for dashboard in list(pages):
        page.goto(dashboard)
        pages += page.evaluate(
            """() => Array.from(document.querySelectorAll('a[href*="/questions/"]'))
                .map(a => a.href)"""
        )
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for url in dict.fromkeys(pages):
            page.goto(url)
            if width == 1280:
                assert not page.evaluate(SCROLLS_SIDEWAYS), f"{url} scrolls sideways at 1280 px"
            assert page.evaluate(CHARTS_FIT), f"a chart is wider than {width} px on {url}"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(pages[0])
    page.get_by_role("heading", name="Are staff supervised on time?").wait_for()
    page.get_by_text("Figures for this chart").first.click()
    assert page.locator("table[data-trend]").first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See the figures for “Are staff supervised on time?”").click()
    page.get_by_role("heading", name="Are staff supervised on time?", level=1).wait_for()
    assert_accessible(page)
    page.goto(f"{base}/assurance/agency/{cast.agency.pk}/questions/staff-supervised/")
    page.get_by_text("most of its figures are not shown").first.wait_for()
    assert_accessible(page)


def test_dashboards_work_without_javascript(transactional_db, live_server, chromium, cast):
    """The period is chosen and the questions followed with scripts switched off."""
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "auditor")
        page.goto(f"{live_server.url}/assurance/partnership/")
        page.get_by_text("Change the period").click()
        for name, value in (("start_day", "1"), ("start_month", "1"), ("start_year", "2026")):
            page.locator(f"[name='{name}']").fill(value)
        for name, value in (("end_day", "31"), ("end_month", "3"), ("end_year", "2026")):
            page.locator(f"[name='{name}']").fill(value)
        page.get_by_role("button", name="Show this period").click()
        page.get_by_text("Figures for 1 January 2026 to 31 March 2026").wait_for()
        page.get_by_role("link", name="See the figures for “Is drift caught and resolved?”").click()
        page.get_by_role("heading", name="Is drift caught and resolved?", level=1).wait_for()
        assert page.locator("table[data-table='drift_escalation']").count() == 1
    finally:
        context.close()
