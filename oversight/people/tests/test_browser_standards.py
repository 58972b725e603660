"""Issue 15 items 5, 6, 7 and 9 in a real browser: the lead's pages about supervisors and
safeguarding training, asking for a different supervision arrangement and deciding on it, and
the supervisee's draft of a record. axe-core (WCAG 2.2 AA) finds nothing on any page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from oversight.core.testing import assert_accessible, sign_in, sign_out
from oversight.people import services
from oversight.people.models import SupervisionRelationship, TrainingKind
from oversight.people.tests import factories as f

pytestmark = pytest.mark.browser


def _visit(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert_accessible(page)


def test_lead_pages_change_requests_and_drafts_are_accessible(
    transactional_db: None, live_server: Any, browser_page: Any, cast: Any
) -> None:
    from oversight.contracts.tests.factories import SupervisionPolicyFactory
    from oversight.supervision.tests.factories import SessionFactory

    page = browser_page
    base = live_server.url
    today = timezone.localdate()
    services.supervisor_requirements_set(
        actor=cast.agency_lead,
        agency=cast.agency,
        values={"training_course": "", "experience_years": 2, "qualification": ""},
    )
    f.TrainingRecordFactory(
        person=cast.practitioner,
        kind=TrainingKind.SAFEGUARDING,
        course="Safeguarding children level 3",
        expires_on=today - dt.timedelta(days=3),
    )
    SupervisionPolicyFactory(agency=cast.agency, supervisee_may_draft_record=True)
    session: Any = SessionFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, held=True
    )
    relationship = SupervisionRelationship.objects.get(supervisee=cast.practitioner)

    sign_in(page, base, "practitioner")
    _visit(page, f"{base}/supervision/sessions/{session.pk}/")
    assert page.get_by_role("link", name="Draft the record for your supervisor").is_visible()
    _visit(page, f"{base}/supervision-arrangements/")
    page.get_by_role("link", name="Ask for a change").click()
    assert_accessible(page)
    page.get_by_label("Why would you like a different arrangement?").fill(
        "We would both benefit from a fresh perspective."
    )
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("Change requested").wait_for()
    assert_accessible(page)
    _visit(page, f"{base}/supervision/sessions/{session.pk}/record/draft/edit/")
    page.get_by_label("What we discussed").fill("Caseload and the T family.")
    page.get_by_role("button", name="Save and hand it to your supervisor").click()
    page.get_by_text("Your draft has been handed to your supervisor.").wait_for()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, base, "agency_lead")
    assert page.get_by_text("1 request to change supervision waiting").is_visible()
    _visit(page, f"{base}/contracts/policies/{cast.agency.pk}/new/")
    assert page.get_by_label(
        "The supervisee may draft the record of a 1:1 for the supervisor to complete and sign"
    ).is_visible()
    _visit(page, f"{base}/contracts/policies/{cast.agency.pk}/")
    _visit(page, f"{base}/agencies/{cast.agency.pk}/supervisors/")
    _visit(page, f"{base}/agencies/{cast.agency.pk}/supervisors/requirements/")
    _visit(page, f"{base}/agencies/{cast.agency.pk}/supervisors/{cast.supervisor.pk}/exception/")
    _visit(page, f"{base}/agencies/{cast.agency.pk}/safeguarding-training/")
    _visit(page, f"{base}/agencies/{cast.agency.pk}/supervision-change-requests/")
    page.get_by_role("link", name="Decide").click()
    assert_accessible(page)
    page.get_by_label("Decline: the supervision continues").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Enter why the request is declined").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Reason, or handover notes if you agree").fill("Try a three-way meeting.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Your decision has been recorded").wait_for()
    sign_out(page)

    sign_in(page, base, "supervisor")
    _visit(page, f"{base}/supervision/sessions/{session.pk}/record/draft/")
    page.get_by_role("button", name="Copy the draft into the record").click()
    page.get_by_text("The draft is in the record").wait_for()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, base, "administrator")
    _visit(page, f"{base}/manage/people/{cast.supervisor.pk}/qualifications/new/")
    _visit(page, f"{base}/manage/people/{cast.supervisor.pk}/training/new/")
    assert relationship.pk
