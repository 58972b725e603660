"""A lead registers the agency's case system in the browser, copies the secret shown once,
subscribes it to webhooks and opens the delivery log; axe-core finds nothing on those pages.
The API reference renders from packaged Swagger UI files under the site's own CSP."""

from __future__ import annotations

from typing import Any

import pytest

from oversight.core.testing import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_registers_a_case_system_and_subscribes_it(
    cast: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    sign_in(page, live_server.url, "agency_lead")
    page.goto(f"{live_server.url}/integrations/")
    assert_accessible(page)
    page.get_by_role("link", name="Register an integration").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Name").fill("Mosaic — Testshire CSC")
    page.get_by_label("Read decisions due on the child's file").check()
    page.get_by_label("Confirm decisions are on the child's file").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Integration registered").is_visible()
    assert page.get_by_text("It is shown only once").is_visible()
    assert page.get_by_test_id("secret").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Back to Mosaic — Testshire CSC").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Send events to the case system").click()
    page.wait_for_load_state()
    page.get_by_label("Address to send to").fill("https://mosaic.example.org/hooks")
    page.get_by_label("A decision is overdue on the child's file").check()
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state()
    assert page.get_by_text("whsec_").is_visible()
    page.get_by_role("link", name="Back to Mosaic — Testshire CSC").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Delivery log").click()
    page.wait_for_load_state()
    assert page.get_by_text("Nothing has been sent yet.").is_visible()
    assert_accessible(page)


def test_the_api_reference_renders_under_the_sites_csp(
    cast: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    sign_in(page, live_server.url, "agency_lead")
    page.goto(f"{live_server.url}/api/v1/reference/")
    page.get_by_text("Confirm a decision is on the child's file").first.wait_for()
    assert not [r for r in refused if "script" in r], refused
