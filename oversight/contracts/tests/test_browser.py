"""The contract loop in a real browser: the supervisor drafts, the supervisee signs, the
supervisor signs; every page passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest

from oversight.contracts.models import ContractStatus, SupervisionContract
from oversight.core.testing import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_draft_sign_and_countersign(transactional_db, live_server, browser_page, cast):
    page = browser_page
    base = live_server.url
    supervisee = cast.practitioner.display_name

    sign_in(page, base, "supervisor")
    page.get_by_role("link", name="Contracts", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Draft a contract with {supervisee}").first.click()
    page.get_by_role("heading", name=f"Draft a contract with {supervisee}").wait_for()
    assert_accessible(page)
    page.get_by_label("How notice of changes and cancellations is given").fill(
        "Two working days' notice of any change; cancellations rearranged within a week."
    )
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    assert page.get_by_text("Two working days' notice of any change").is_visible()
    assert_accessible(page)
    contract_url = page.url
    sign_out(page)

    sign_in(page, base, "practitioner")
    page.get_by_role("link", name="1 supervision contract to sign").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sign contract").click()
    page.get_by_text("Confirm that you have read and agree").first.wait_for()
    assert_accessible(page)
    page.get_by_label("I have read this contract and agree to it").check()
    page.get_by_role("button", name="Sign contract").click()
    page.get_by_text("The other party still has to sign").wait_for()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, base, "supervisor")
    page.goto(contract_url)
    page.get_by_role("link", name="Sign this contract").click()
    page.get_by_label("I have read this contract and agree to it").check()
    page.get_by_role("button", name="Sign contract").click()
    page.get_by_text("The contract is now active").wait_for()
    assert page.get_by_role("link", name="Edit draft").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Printable version").click()
    assert_accessible(page)

    contract = SupervisionContract.objects.get()
    assert contract.status == ContractStatus.ACTIVE
    assert contract.supervisor_signed_by == cast.supervisor
    assert contract.supervisee_signed_by == cast.practitioner
