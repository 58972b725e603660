"""Issue 12 acceptance, in a real browser: the check-your-answers step before signing (with its
warnings, a refused stale signature and the confirmation page), and the GOV.UK date input's
errors (they name the field, and what was typed is kept). axe-core checks every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from oversight.core.testing import assert_accessible, sign_in
from oversight.supervision import services
from oversight.supervision.models import RecordStatus, SessionChild, SessionRecord

from .factories import ChildFactory, SessionFactory

pytestmark = pytest.mark.browser


def test_check_the_record_then_sign_lands_on_a_confirmation(
    transactional_db: Any, live_server: Any, browser_page: Any, cast: Any
) -> None:
    page = browser_page
    base = live_server.url
    session: Any = SessionFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, held=True
    )
    discussed: Any = ChildFactory(
        agency=cast.agency, allocated_practitioner=cast.practitioner, display_name="Family T – A"
    )
    forgotten: Any = ChildFactory(
        agency=cast.agency, allocated_practitioner=cast.practitioner, display_name="Family W – B"
    )
    for child in (discussed, forgotten):
        SessionChild.objects.create(session=session, child=child, added_by=cast.practitioner)
    record = services.session_record(
        actor=cast.supervisor,
        session=session,
        held_on=session.held_on,
        data={
            "agenda_notes": "Family T; workload",
            "next_session_on": timezone.localdate() + dt.timedelta(days=21),
        },
    )
    services.case_discussion_add(
        actor=cast.supervisor, record=record, child=discussed, data={"rag_rating": "amber"}
    )

    sign_in(page, base, "supervisor")
    page.goto(f"{base}/supervision/sessions/{session.pk}/record/")
    page.get_by_role("link", name="Check the record and sign").click()
    page.get_by_role("heading", name="Check the record before you sign").wait_for()
    assert_accessible(page)
    assert page.get_by_text(
        "1 child brought to the session but not discussed: Family W – B."
    ).is_visible()
    assert page.get_by_text("Empty section: Areas of learning and professional development.")

    # Someone changes the record in another tab after this page was opened: the signature is
    # refused and the page shows the record as it is now.
    other = page.context.new_page()
    other.goto(f"{base}/supervision/sessions/{session.pk}/record/")
    other.get_by_label("What is to be done").fill("Visit Family W this week")
    due = timezone.localdate() + dt.timedelta(days=7)
    group = other.get_by_role("group", name="By when", exact=True)
    group.get_by_label("Day").fill(str(due.day))
    group.get_by_label("Month").fill(str(due.month))
    group.get_by_label("Year").fill(str(due.year))
    other.get_by_role("button", name="Add the action").click()
    other.get_by_text("Action added.").wait_for()
    other.close()

    page.get_by_role("button", name="Sign as supervisor").click()
    page.get_by_text("Someone else changed this record").first.wait_for()
    assert page.get_by_text("Visit Family W this week").is_visible()
    assert_accessible(page)
    assert SessionRecord.objects.get(pk=record.pk).status == RecordStatus.DRAFT

    page.get_by_role("button", name="Sign as supervisor").click()
    page.get_by_role("heading", name="You have signed the record").wait_for()
    assert_accessible(page)
    assert page.get_by_text(
        f"{cast.practitioner.display_name} has been asked to read and sign the record."
    ).is_visible()
    assert SessionRecord.objects.get(pk=record.pk).status == RecordStatus.AWAITING_SUPERVISEE


def test_date_input_errors_name_the_field_and_keep_what_was_typed(
    transactional_db: Any, live_server: Any, browser_page: Any, cast: Any
) -> None:
    page = browser_page
    base = live_server.url
    sign_in(page, base, "supervisor")
    page.goto(f"{base}/supervision/plan/?type=one_to_one")
    page.get_by_label("Supervisee", exact=True).select_option(label=cast.practitioner.display_name)
    date = page.get_by_role("group", name="Date", exact=True)
    for box, typed in (("Day", "31"), ("Month", "2"), ("Year", "2027")):
        date.get_by_label(box).fill(typed)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("button", name="Plan the session").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert_accessible(page)
    message = summary.get_by_role("link").first
    assert "date" in message.inner_text().lower(), "the error names the field"
    assert "Enter a valid date" not in summary.inner_text(), "our words, not Django's"
    # The link takes the person to the field, and the boxes hold what they typed.
    message.click()
    date = page.get_by_role("group", name="Date", exact=True)
    assert date.get_by_label("Day").input_value() == "31"
    assert date.get_by_label("Month").input_value() == "2"
    assert date.get_by_label("Year").input_value() == "2027"
    assert page.locator(".govuk-error-message").first.is_visible()

    # A part left out is named too, and the other parts are kept.
    date.get_by_label("Day").fill("")
    page.get_by_role("button", name="Plan the session").click()
    summary.wait_for()
    assert "date" in summary.inner_text().lower()
    date = page.get_by_role("group", name="Date", exact=True)
    assert date.get_by_label("Month").input_value() == "2"
    assert date.get_by_label("Year").input_value() == "2027"
    assert_accessible(page)
