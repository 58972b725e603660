"""Issue 4 acceptance: the supervisor sees a drifting child, opens its timeline and escalates;
the agency lead sees the escalation; axe-core finds no violations on those pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from oversight.children import services
from oversight.children.tests.factories import ChildFactory, discussion
from oversight.core.testing import assert_accessible, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_escalates_a_drifting_child_and_the_lead_sees_it(
    cast: Any, live_server: Any, browser_page: Any
) -> None:
    today = timezone.localdate()
    child = ChildFactory.create(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        display_name="Family W – child B",
        legal_status_since=today - dt.timedelta(days=300),
    )
    for days, rag in ((150, "amber"), (90, "red"), (20, "amber")):
        discussion(child, today - dt.timedelta(days=days), rag=rag, supervisor=cast.supervisor)
    assert services.drift_evaluate(child=child)
    page = browser_page

    sign_in(page, live_server.url, "supervisor")
    # Issue 12: the home page counts them and links to the list of drifting children.
    page.get_by_role("link", name=re.compile("flagged for drift")).click()
    assert_accessible(page)
    page.get_by_role("link", name="Family W – child B").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Family W – child B").is_visible()
    assert page.get_by_text("Flagged for drift").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="RAG timeline").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="RAG timeline").is_visible()
    assert page.get_by_role(
        "img", name="RAG rating at each discussion of Family W – child B"
    ).is_visible()
    assert page.get_by_role("cell", name="Worse than last time").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Escalate a concern about this child").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("A child's situation or plan").check()
    page.get_by_label("What is the concern?").fill(
        "Amber or red for three discussions: no evident change in the plan."
    )
    page.get_by_label("What has been tried already?").fill("Plan amended at the last core group.")
    page.get_by_role("button", name="Raise escalation").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Escalation").first.is_visible()
    assert page.get_by_text("Escalation raised.").is_visible()
    assert page.get_by_text("no evident change in the plan").is_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, live_server.url, "agency_lead")
    # Issue 12: the home page counts them and links to the list of escalations.
    page.get_by_role("link", name=re.compile("escalations? awaiting a response")).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("main tbody").get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("no evident change in the plan").is_visible()
    assert page.get_by_role("link", name="Respond or resolve").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/children/escalations/")
    assert page.get_by_role("cell", name="Awaiting response").is_visible()
    assert_accessible(page)


def test_a_practitioner_finds_one_family_among_many(
    cast: Any, live_server: Any, browser_page: Any
) -> None:
    for n in range(40):
        ChildFactory.create(
            agency=cast.agency,
            allocated_practitioner=cast.practitioner,
            display_name=f"Family {n:02d} – child A",
            case_reference=f"HV-{n:03d}",
        )
    page = browser_page
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/children/")
    assert page.get_by_text("40 children, overdue first").is_visible()
    assert_accessible(page)

    page.get_by_label("Name or case reference").fill("HV-017")
    page.get_by_role("button", name="Show children").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 child found").is_visible()
    assert page.get_by_role("link", name="Family 17 – child A").is_visible()
    assert page.get_by_label("Name or case reference").input_value() == "HV-017"
    assert_accessible(page)

    page.goto(f"{live_server.url}/children/?q=HV-017&legal_status=adopted")  # an edited link
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    assert page.get_by_text("40 children, overdue first").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Clear the search").click()
    page.wait_for_load_state()
    assert page.get_by_text("40 children, overdue first").is_visible()


def test_the_lead_finds_resolved_concerns_and_children_to_discuss_before_review(
    cast: Any, live_server: Any, browser_page: Any, time_machine: Any
) -> None:
    """Seed 001 "Quality Assurance" and seed 004 objective 4, as the agency lead meets them:
    from home to the agency's concerns about supervision, filtered to the resolved ones, and
    a child flagged "Discuss before the review" on the children list."""
    from zoneinfo import ZoneInfo

    from oversight.children.tests.factories import ReviewMeetingFactory

    time_machine.move_to(dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London")))
    concern = services.quality_concern_raise(
        actor=cast.practitioner,
        supervisor=cast.supervisor,
        agency=cast.agency,
        kind="standard",
        description="Sessions are only about caseload numbers",
    )
    services.quality_concern_one_to_one(
        concern=concern,
        actor=cast.supervisor,
        met_on=dt.date(2026, 11, 16),
        outcome="Reflective time set aside in each session",
        resolved=True,
        expected_version=concern.version,
    )
    child = ChildFactory.create(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        display_name="Family Q – child A",
        legal_status_since=dt.date(2026, 6, 1),
    )
    discussion(child, dt.date(2026, 9, 20), supervisor=cast.supervisor)
    ReviewMeetingFactory.create(child=child, meets_on=dt.date(2026, 11, 27))
    page = browser_page

    sign_in(page, live_server.url, "agency_lead")
    page.get_by_role(
        "link", name="Concerns about supervision in Testshire Children's Services"
    ).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Concerns about supervision").is_visible()
    page.get_by_label("Show").select_option("resolved")
    page.get_by_role("button", name="Show concerns").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 resolved concern about supervision").is_visible()
    assert page.get_by_text("Resolved at the one-to-one").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/children/?show=before_review")
    row = page.get_by_role("row", name="Family Q – child A")
    assert row.get_by_text("Discuss before the review").is_visible()
    assert_accessible(page)
    row.get_by_role("link", name="Family Q – child A").click()
    page.wait_for_load_state()
    assert page.get_by_text("Discuss before the review").is_visible()
    assert_accessible(page)


def test_lead_of_two_agencies_chooses_the_second_and_saves_its_settings(
    cast: Any, live_server: Any, browser_page: Any
) -> None:
    """Without JavaScript being needed: the settings link lists both agencies (axe finds no
    violations), and the second agency's settings are saved on its own page."""
    from oversight.children.models import DriftSettings
    from oversight.people.models import Role
    from oversight.people.tests.factories import MembershipFactory, RoleAssignmentFactory

    MembershipFactory(person=cast.agency_lead, agency=cast.other_agency, job_title="Named nurse")
    RoleAssignmentFactory(person=cast.agency_lead, agency=cast.other_agency, role=Role.AGENCY_LEAD)
    page = browser_page
    sign_in(page, live_server.url, "agency_lead")
    page.goto(live_server.url + "/children/")
    page.get_by_role("link", name="Drift and escalation settings").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Drift and escalation settings").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=cast.other_agency.name).click()
    page.wait_for_load_state()
    assert page.get_by_role(
        "heading", name=f"Drift and escalation settings: {cast.other_agency.name}"
    ).is_visible()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("Settings saved.").is_visible()
    assert DriftSettings.objects.filter(agency=cast.other_agency).exists()
    assert not DriftSettings.objects.filter(agency=cast.agency).exists()
