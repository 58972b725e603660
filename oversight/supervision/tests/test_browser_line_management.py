"""Issue 15 items 1-4 in a real browser, with axe-core on every new page: the lead chooses the
decisions that need authorisation; the line manager records oversight with a step-up decision
and an action about caseload, then checks it; the lead returns the decision with a reason; a
supervisor reports a shortfall and the agency's senior manager answers it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from oversight.core.testing import assert_accessible, fill_date, sign_in, sign_out
from oversight.people.models import Role
from oversight.people.tests.factories import RoleAssignmentFactory
from oversight.supervision.models import AuthorisationStatus, Decision, ServiceShortfall

from .factories import ChildFactory

pytestmark = pytest.mark.browser


def test_line_management_walk(
    transactional_db: Any, live_server: Any, browser_page: Any, cast: Any
) -> None:
    page = browser_page
    base = live_server.url
    today = timezone.localdate()
    ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        display_name="Family T – child A",
        case_reference="LCS-2001",
    )
    RoleAssignmentFactory(person=cast.stranger, agency=cast.agency, role=Role.SENIOR_MANAGER)

    # The lead: step-up decisions need a line manager's authorisation.
    sign_in(page, base, "agency_lead")
    page.goto(f"{base}/supervision/oversight/")
    page.get_by_role("link", name="Decisions that need authorisation in").click()
    assert_accessible(page)
    page.get_by_label("Step up to a higher level of intervention").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    sign_out(page)

    # The line manager records oversight with a step-up decision, and an action.
    sign_in(page, base, "line_manager")
    page.goto(f"{base}/supervision/oversight/add/")
    assert_accessible(page)
    page.get_by_label("Child or family").select_option(label="Family T – child A (LCS-2001)")
    fill_date(page, "Date of the decision", today)
    page.get_by_label("Decision", exact=True).fill("Step up to a strategy discussion")
    page.get_by_label("Rationale").fill("Second police notification in a month")
    page.get_by_label("Step up to a higher level of intervention").check()
    page.get_by_role("button", name="Save the record").click()
    page.get_by_text("Management oversight recorded.").wait_for()
    page.get_by_text("Awaiting authorisation").first.wait_for()
    page.get_by_text("1 child allocated").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Add an action").click()
    assert_accessible(page)
    page.get_by_label("Caseload").check()
    page.get_by_label("What is to be done").fill("Reallocate two families")
    page.get_by_label("Who is responsible").select_option(label=cast.practitioner.display_name)
    fill_date(page, "When will you check it is done?", today + dt.timedelta(days=7))
    page.get_by_role("button", name="Add the action").click()
    page.get_by_text("Action added.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Check this action").click()
    assert_accessible(page)
    page.get_by_label("Done").check()
    page.get_by_role("button", name="Save the check").click()
    page.get_by_text("Check recorded.").wait_for()
    sign_out(page)

    # The lead returns the decision with a reason.
    sign_in(page, base, "agency_lead")
    page.goto(f"{base}/supervision/oversight/")
    assert_accessible(page)
    page.get_by_role("link", name="Step up to a higher level of intervention:").click()
    assert_accessible(page)
    page.get_by_label("No, return it with a reason").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("Reason (needed if you return it)").fill("Speak to the school first")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Decision returned with your reason.").wait_for()
    decision = Decision.objects.get()
    assert decision.authorisation == AuthorisationStatus.RETURNED
    sign_out(page)

    # A supervisor reports a shortfall; the senior manager answers it.
    sign_in(page, base, "supervisor")
    page.goto(f"{base}/supervision/shortfalls/")
    assert_accessible(page)
    page.get_by_role("link", name="Report a shortfall").click()
    assert_accessible(page)
    page.get_by_label("Workload").check()
    page.get_by_label("What is happening").fill("Caseloads above 25 since two people left")
    page.get_by_role("button", name="Send to senior managers").click()
    page.get_by_text("Reported to the agency's senior managers.").wait_for()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, base, "stranger")
    page.get_by_text("Shortfalls waiting for your answer").wait_for()
    page.get_by_role("link", name="Workload").first.click()
    assert_accessible(page)
    page.get_by_label("Your answer").fill("Agency cover agreed from next week")
    page.get_by_role("button", name="Send your answer").click()
    page.get_by_text("Answer sent.").wait_for()
    assert_accessible(page)
    assert ServiceShortfall.objects.get().answered_by == cast.stranger
