"""People pages in a real browser: three roles (and an agency lead) sign in through the form
and visit what they use; axe-core (WCAG 2.2 AA) finds nothing on any page. One form works
with JavaScript switched off."""

from __future__ import annotations

import csv
from typing import Any

import pytest

from oversight.core.testing import assert_accessible, sign_in, sign_out
from oversight.people.imports import COLUMNS
from oversight.people.models import Agency, Person

pytestmark = pytest.mark.browser


def _visit(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert_accessible(page)


def test_roles_see_their_pages_and_every_page_is_accessible(
    transactional_db: None, live_server: Any, browser_page: Any, cast: Any, tmp_path: Any
) -> None:
    page = browser_page
    base = live_server.url

    sign_in(page, base, "practitioner")
    assert page.get_by_text("Your safeguarding supervisor").is_visible()
    assert page.get_by_text(cast.supervisor.display_name).first.is_visible()
    assert_accessible(page)
    _visit(page, f"{base}/people/{cast.practitioner.pk}/")
    _visit(page, f"{base}/agencies/")
    _visit(page, f"{base}/agencies/{cast.agency.pk}/")
    page.get_by_role("link", name=cast.team.name).click()
    page.get_by_role("heading", name=cast.team.name).wait_for()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, base, "supervisor")
    assert page.get_by_role("heading", name="What needs you today").is_visible()
    assert page.get_by_role("link", name="1 supervisee", exact=True).is_visible()
    assert page.get_by_text("Training valid").first.is_visible()
    assert_accessible(page)
    _visit(page, f"{base}/people/")
    page.get_by_role("link", name=cast.practitioner.display_name).first.click()
    page.get_by_role("heading", name=cast.practitioner.display_name).wait_for()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, base, "agency_lead")
    assert page.get_by_role("heading", name="Your agency's supervision").is_visible()
    _visit(page, f"{base}/people/")
    _visit(page, f"{base}/teams/{cast.team.pk}/")
    sign_out(page)

    sign_in(page, base, "administrator")
    page.get_by_role("link", name="Administration", exact=True).first.click()
    page.get_by_role("heading", name="Administration").wait_for()
    assert_accessible(page)
    for path in (
        "/manage/agencies/",
        "/manage/agencies/new/",
        f"/manage/agencies/{cast.agency.pk}/edit/",
        f"/manage/agencies/{cast.agency.pk}/teams/new/",
        f"/manage/agencies/{cast.agency.pk}/staff-groups/new/",
        "/manage/people/",
        "/manage/people/new/",
        f"/manage/people/{cast.practitioner.pk}/",
        f"/manage/people/{cast.practitioner.pk}/edit/",
        f"/manage/people/{cast.practitioner.pk}/close/",
        f"/manage/people/{cast.practitioner.pk}/posts/new/",
        f"/manage/people/{cast.practitioner.pk}/supervisor/new/",
        f"/manage/people/{cast.practitioner.pk}/line-manager/new/",
        f"/manage/people/{cast.practitioner.pk}/roles/new/",
        f"/manage/people/{cast.practitioner.pk}/training/new/",
    ):
        _visit(page, base + path)

    # A form with an error: the summary links to the field and the page stays accessible.
    page.goto(f"{base}/manage/agencies/new/")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)

    # Handover through the form: the new supervisor takes over with notes.
    page.goto(f"{base}/manage/people/{cast.practitioner.pk}/supervisor/new/")
    page.get_by_label("Safeguarding supervisor").select_option(label=str(cast.agency_lead))
    page.get_by_label("Agency").select_option(label=cast.agency.name)
    page.get_by_label("Handover notes").fill("Two families need a visit this week.")
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Supervision started.").wait_for()
    assert page.get_by_text("Two families need a visit this week.").is_visible()
    assert_accessible(page)

    # A failed import lists the bad row and imports nothing.
    bad = tmp_path / "staff.csv"
    with bad.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow(
            {
                "given_name": "Ola",
                "family_name": "Nowak",
                "email": "ola@example.org",
                "agency": cast.agency.name,
                "job_title": "Social worker",
                "start_date": "2025-01-06",
                "supervisor_email": "nobody@x.org",
            }
        )
    page.goto(f"{base}/manage/import/")
    assert_accessible(page)
    page.get_by_label("CSV file of staff").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text(
        "Row 2: supervisor_email nobody@x.org is not a person in the file or the system"
    ).wait_for()
    assert_accessible(page)  # the import's own page, with its outcome
    assert not Person.objects.filter(email="ola@example.org").exists()
    page.get_by_role("link", name="Correct the file and import it again").click()
    page.get_by_role("heading", name="Recent imports").wait_for()
    assert page.get_by_role("link", name="staff.csv").is_visible()
    assert_accessible(page)


def test_a_form_works_without_javascript(
    transactional_db: None, live_server: Any, chromium: Any, cast: Any
) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server.url, "administrator")
        page.goto(f"{live_server.url}/manage/agencies/new/")
        page.get_by_label("Name").fill("Testshire Police")
        page.get_by_label("Sector").select_option(label="Police")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Testshire Police added.").wait_for()
    finally:
        context.close()
    assert Agency.objects.filter(name="Testshire Police").exists()


def test_the_page_count_between_previous_and_next_is_readable(
    transactional_db: None, live_server: Any, browser_page: Any, cast: Any
) -> None:
    """More people than fit on a page: 'Page 1 of 2' reads dark on white, not dark on the
    blue that marks a linked current page (axe color-contrast found it on every paged list)."""
    from oversight.people.tests.factories import PersonFactory

    PersonFactory.create_batch(50)
    page = browser_page
    sign_in(page, live_server.url, "administrator")
    page.goto(f"{live_server.url}/manage/people/")
    count = page.get_by_role("navigation", name="Pagination").get_by_text("Page 1 of 2")
    assert count.is_visible()
    assert count.evaluate("e => getComputedStyle(e).backgroundColor") in (
        "rgba(0, 0, 0, 0)",
        "rgb(255, 255, 255)",
    )
    assert_accessible(page)
    page.get_by_role("link", name="Next page").click()
    page.get_by_text("Page 2 of 2").wait_for()
    assert_accessible(page)
