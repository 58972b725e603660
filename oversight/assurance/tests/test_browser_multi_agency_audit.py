"""Issue 13 item 5 in a real browser: the partnership auditor draws a multi-agency audit,
reads a sampled child's records from each agency (never wellbeing), grades each agency's part
and the multi-agency working, without JavaScript-only steps; axe-core finds no violations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from oversight.children.tests.factories import ChildFactory
from oversight.children.tests.multi import discuss, involve
from oversight.core.testing import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_auditor_draws_reads_and_grades_a_multi_agency_audit(
    cast: Any, live_server: Any, browser_page: Any
) -> None:
    today = timezone.localdate()
    child: Any = ChildFactory.create(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        display_name="Family W – child B",
    )
    involve(child, cast.other_agency, worker=cast.other_practitioner, reference="HV-3")
    discuss(
        child,
        agency=cast.agency,
        supervisee=cast.practitioner,
        supervisor=cast.supervisor,
        on=today - dt.timedelta(days=20),
        rag="red",
        notes="SW-AUDIT-NOTE",
    )
    discuss(
        child,
        agency=cast.other_agency,
        supervisee=cast.other_practitioner,
        supervisor=cast.other_supervisor,
        on=today - dt.timedelta(days=10),
        rag="green",
        notes="HV-AUDIT-NOTE",
    )
    page = browser_page
    base = live_server.url
    sign_in(page, base, "auditor")
    page.goto(f"{base}/assurance/audits/")
    page.get_by_role("link", name="Multi-agency audit of children known to two or more").click()
    page.get_by_role("heading", name="Draw a multi-agency audit sample").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Draw the sample").click()
    page.get_by_role("heading", name="Family W – child B").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Session of", exact=False).last.click()
    page.wait_for_load_state()
    body = page.content()
    assert "SW-AUDIT-NOTE" in body or "HV-AUDIT-NOTE" in body
    assert "wellbeing</dd>" not in body and "AUDIT-NOTE wellbeing" not in body
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Grade the agencies' parts and the working").click()
    page.get_by_role("heading", name="Family W – child B").wait_for()
    page.get_by_role("button", name="Save grades").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_role("group", name="The part Testshire Children's Services played").get_by_label(
        "Met", exact=True
    ).check()
    page.get_by_role("group", name="The part Testshire Community Health played").get_by_label(
        "Partly met"
    ).check()
    page.get_by_role("group", name="Multi-agency working").get_by_label("Not met").check()
    page.get_by_label("Findings on the multi-agency working").fill(
        "Health rated green while the council rated red; no one challenged it."
    )
    page.get_by_role("button", name="Save grades").click()
    page.get_by_text("Grades saved.").wait_for()
    assert_accessible(page)
