"""Issue 15 items 11, 12, 16 and 17 in a real browser, axe-core on every page: the Gibbs
discussion form, the balance page, the agency's reflection and case progression page and its
settings, and the evidence page with an error (and a download)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from oversight.core.testing import assert_accessible, fill_date, sign_in, sign_out
from oversight.people.models import SupervisionRelationship
from oversight.supervision import services

from .factories import ChildFactory, SessionFactory

pytestmark = pytest.mark.browser


def test_reflection_pages(
    transactional_db: Any, live_server: Any, browser_page: Any, cast: Any
) -> None:
    page = browser_page
    base = live_server.url
    child: Any = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    session: Any = SessionFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, held=True
    )
    record = services.session_record(
        actor=cast.supervisor,
        session=session,
        held_on=session.held_on,
        data={
            "next_session_on": timezone.localdate() + dt.timedelta(days=20),
            "functions_served": ["support"],
        },
    )
    relationship = SupervisionRelationship.objects.get(
        supervisor=cast.supervisor, supervisee=cast.practitioner
    )

    sign_in(page, base, "agency_lead")
    page.goto(f"{base}/supervision/agency/{cast.agency.pk}/reflection/")
    assert_accessible(page)
    page.get_by_role("link", name="Change the reflective tool").click()
    assert_accessible(page)
    page.get_by_label("Gibbs' reflective cycle").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Reflective tool saved.").wait_for()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, base, "supervisor")
    page.goto(f"{base}/supervision/sessions/{session.pk}/record/discussions/add/")
    page.get_by_text("The supervisory cycle: Gibbs' reflective cycle").wait_for()
    assert_accessible(page)
    page.get_by_label("Child or family").select_option(str(child.pk))
    page.get_by_label("Red – getting worse").check()
    page.get_by_label("Feelings").fill("Uneasy at the visit.")
    page.get_by_label("Staff").check()
    page.get_by_role("button", name="Save the discussion").click()
    page.get_by_text("1 of 6 stages: Feelings").wait_for()
    assert_accessible(page)
    page.goto(f"{base}/supervision/relationships/{relationship.pk}/balance/")
    assert_accessible(page)
    sign_out(page)

    assert record.pk
    sign_in(page, base, "practitioner")
    page.goto(f"{base}/supervision/")
    page.get_by_role("link", name="Your evidence for revalidation and registration").click()
    assert_accessible(page)
    fill_date(page, "From", dt.date(2026, 5, 1))
    fill_date(page, "To", dt.date(2026, 1, 1))
    page.get_by_role("button", name="Download your evidence").click()
    page.get_by_text("The last day must be the same as or after the first day.").first.wait_for()
    assert_accessible(page)
