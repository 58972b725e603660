"""The whole supervision loop in a real browser, as two people (issue 3 acceptance): the
supervisor plans a session, the supervisee adds agenda items, the supervisor records it with two
case discussions and three actions and signs, the supervisee signs, the PDF downloads, and the
next session shows the open actions for follow-up. axe-core checks every page of the walk."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from oversight.core.testing import assert_accessible, fill_date, sign_in, sign_out
from oversight.supervision.models import Action, RecordStatus, SessionRecord

from .factories import ChildFactory

pytestmark = pytest.mark.browser


def _plan(page: Any, base: str, supervisee: str, day: dt.date, hour: str) -> None:
    page.goto(f"{base}/supervision/")
    assert_accessible(page)
    page.get_by_role("link", name="Plan a session").click()
    assert_accessible(page)
    page.get_by_label("Planned 1:1").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("Supervisee", exact=True).select_option(label=supervisee)
    fill_date(page, "Date", day)
    page.get_by_label("Start time").fill(hour)
    page.get_by_label("Duration in minutes").fill("90")
    page.get_by_label("Place (optional)").fill("Quiet room, first floor")
    page.get_by_role("button", name="Plan the session").click()
    page.get_by_text("Session planned.").wait_for()
    assert_accessible(page)


def test_supervision_loop(
    transactional_db: Any, live_server: Any, browser_page: Any, cast: Any
) -> None:
    page = browser_page
    base = live_server.url
    today = timezone.localdate()
    supervisee = cast.practitioner.display_name
    ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        display_name="Family T – child A",
        case_reference="LCS-1001",
    )
    ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        display_name="Family W – child B",
        case_reference="LCS-1002",
    )

    # The supervisor plans today's session.
    sign_in(page, base, "supervisor")
    _plan(page, base, supervisee, today, "00:05")
    session_url = page.url
    sign_out(page)

    # The supervisee prepares: two agenda items and the children to bring.
    sign_in(page, base, "practitioner")
    page.goto(session_url)
    assert_accessible(page)
    page.get_by_role("link", name="Prepare for the session").click()
    assert_accessible(page)
    for text in ("Family T: still no change at home", "My caseload is too high"):
        page.get_by_label("What do you want to discuss?").fill(text)
        page.get_by_role("button", name="Add to the agenda").click()
        page.get_by_text("Agenda item added.").wait_for()
    page.get_by_label("Family T – child A (LCS-1001)").check()
    page.get_by_label("Family W – child B (LCS-1002)").check()
    page.get_by_role("button", name="Save the children to bring").click()
    page.get_by_text("Children to bring saved.").wait_for()
    assert_accessible(page)
    sign_out(page)

    # The supervisor sees the agenda and records the session.
    sign_in(page, base, "supervisor")
    page.goto(session_url)
    assert page.get_by_text("My caseload is too high").is_visible()
    page.get_by_role("link", name="Record the session").click()
    assert_accessible(page)
    page.get_by_label("Areas of learning and professional development opportunities").fill(
        "Neglect toolkit training"
    )
    page.get_by_label("Support", exact=True).check()
    page.get_by_label("Time the session started (optional)").fill("10:05")
    page.get_by_label("Emotional impact of the work").fill("Tired after a hard visit")
    page.get_by_role("button", name="Save the record").click()
    page.get_by_text("Record saved.").wait_for()
    assert_accessible(page)
    record_url = page.url

    for child, reference, rating in (
        ("Family T – child A", "LCS-1001", "Amber – staying the same"),
        ("Family W – child B", "LCS-1002", "Red – getting worse"),
    ):
        page.get_by_role("link", name="Add a case discussion").click()
        assert_accessible(page)
        page.get_by_label("Child or family").select_option(label=f"{child} ({reference})")
        page.get_by_label(rating).check()
        page.get_by_label("Risks to the child and from whom or what").fill("Cumulative neglect")
        page.get_by_text("Questions for reflection (FOCUS)").click()
        page.get_by_label("Reflection", exact=True).fill("I felt I was being shown a tidy home")
        page.get_by_text("Prompts: reflective considerations").click()
        page.get_by_label("Professional curiosity").check()
        page.get_by_label("The child is being referred for specialist assessment").check()
        page.get_by_label("Decision (optional)").fill("Ask for an early review meeting")
        page.get_by_label("Rationale for the decision").fill("No change in three months")
        page.get_by_role("button", name="Save the discussion").click()
        page.get_by_text(f"Case discussion about {child} added.").wait_for()
    assert_accessible(page)

    for what in ("Speak to child A alone", "Share the chronology with school", "Book training"):
        page.get_by_label("What is to be done").fill(what)
        fill_date(page, "By when", today + dt.timedelta(days=14))
        page.get_by_role("button", name="Add the action").click()
        page.get_by_text("Action added.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Check the record and sign").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sign as supervisor").click()
    page.get_by_role("heading", name="You have signed the record").wait_for()
    assert_accessible(page)
    sign_out(page)

    # The supervisee reads, comments and signs, then downloads the signed copy.
    sign_in(page, base, "practitioner")
    page.goto(record_url)
    assert page.get_by_text("Tired after a hard visit").is_visible()
    assert_accessible(page)
    page.get_by_label("Your comments (optional)").fill("I think child B is amber, not red.")
    page.get_by_label("What would make supervision work better for you? (optional)").fill(
        "A room away from the duty desk"
    )
    page.get_by_role("button", name="Sign as supervisee").click()
    page.get_by_text("You have signed the record. It is now locked.").wait_for()
    assert_accessible(page)
    assert page.get_by_role("button", name="Save the record").count() == 0
    assert page.get_by_text("A room away from the duty desk").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the signed record (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    record = SessionRecord.objects.get()
    assert record.status == RecordStatus.SIGNED
    assert record.case_discussions.count() == 2
    assert Action.objects.filter(origin_record=record, status="open").count() == 3
    sign_out(page)

    # The next session lists the open actions for follow-up.
    sign_in(page, base, "supervisor")
    _plan(page, base, supervisee, today + dt.timedelta(days=28), "10:00")
    next_url = page.url
    sign_out(page)
    sign_in(page, base, "practitioner")
    page.goto(next_url)
    page.get_by_role("link", name="Prepare for the session").click()
    for what in ("Speak to child A alone", "Share the chronology with school", "Book training"):
        page.get_by_role("cell", name=what).wait_for()  # waits for the page, then is shown
    assert_accessible(page)
