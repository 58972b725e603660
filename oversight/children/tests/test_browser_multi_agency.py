"""Issue 13 acceptance in a real browser: the health lead adds health's involvement with a
child the council holds (found by NHS number); then a health visitor and a social worker, in
different agencies, both see the child's multi-agency summary with each other's latest rating,
and neither sees the other's notes. axe-core finds no violations on these pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from oversight.children.tests.factories import ChildFactory
from oversight.children.tests.multi import discuss
from oversight.core.testing import assert_accessible, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_health_visitor_and_a_social_worker_see_one_summary_but_not_each_others_notes(
    cast: Any, live_server: Any, browser_page: Any
) -> None:
    today = timezone.localdate()
    child = ChildFactory.create(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        display_name="Family V – child A",
        nhs_number="9434765919",
        legal_status_since=today - dt.timedelta(days=300),
    )
    discuss(
        child,
        agency=cast.agency,
        supervisee=cast.practitioner,
        supervisor=cast.supervisor,
        on=today - dt.timedelta(days=20),
        rag="red",
        notes="SW-PRIVATE-NOTE",
    )
    page = browser_page

    sign_in(page, live_server.url, "other_lead")
    page.goto(f"{live_server.url}/children/involvements/add/")
    assert_accessible(page)
    page.get_by_label("The child's NHS number").fill("943 476 5919")
    page.get_by_label("Your agency's case reference").fill("HV-2041")
    page.get_by_label("Allocated worker (the named contact for other agencies)").select_option(
        label=cast.other_practitioner.display_name
    )
    page.get_by_label("To safeguard and promote the child's welfare", exact=False).check()
    page.get_by_role("button", name="Add involvement").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your agency's involvement is added.").is_visible()
    assert page.get_by_role("heading", name="Family V – child A").is_visible()
    assert_accessible(page)
    sign_out(page)

    # Health's own supervision discusses the child: green.
    discuss(
        child,
        agency=cast.other_agency,
        supervisee=cast.other_practitioner,
        supervisor=cast.other_supervisor,
        on=today - dt.timedelta(days=3),
        rag="green",
        notes="HV-PRIVATE-NOTE",
    )

    for username, own_reference in (("other_practitioner", "HV-2041"), ("practitioner", None)):
        sign_in(page, live_server.url, username)
        page.goto(f"{live_server.url}/children/{child.pk}/")
        table = page.get_by_role("table", name="Agencies involved with Family V – child A")
        council = table.get_by_role("row").filter(has_text="Testshire Children's Services")
        health = table.get_by_role("row").filter(has_text="Testshire Community Health")
        assert council.get_by_text("Red").is_visible()
        assert health.get_by_text("Green").is_visible()
        assert council.get_by_text(cast.practitioner.display_name).is_visible()
        assert health.get_by_text(cast.other_practitioner.display_name).is_visible()
        body = page.content()
        assert "SW-PRIVATE-NOTE" not in body
        assert "HV-PRIVATE-NOTE" not in body
        if own_reference:
            assert health.get_by_text(f"Your reference: {own_reference}").is_visible()
        assert_accessible(page)
        sign_out(page)
