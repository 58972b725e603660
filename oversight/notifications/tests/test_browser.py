"""The notifications pages in a real browser: axe-core finds nothing, and marking done and
saving choices work with JavaScript switched off (issue 11 item 2)."""

from __future__ import annotations

from typing import Any

import pytest

from oversight.core.testing import assert_accessible, sign_in
from oversight.notifications.models import Kind, Notification

pytestmark = pytest.mark.browser


def test_notifications_work_without_javascript_and_are_accessible(
    transactional_db: None, live_server: Any, chromium: Any, cast: Any
) -> None:
    Notification.objects.create(
        recipient=cast.practitioner,
        kind=Kind.RECORD_TO_SIGN,
        reason="A record is ready for you to sign",
        link=f"{live_server.url}/",
    )
    for javascript in (True, False):
        context = chromium.new_context(java_script_enabled=javascript)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            sign_in(page, live_server.url, "practitioner")
            page.goto(f"{live_server.url}/notifications/")
            if javascript:  # axe-core runs in the page: only with JavaScript on
                assert_accessible(page)
            else:
                page.get_by_role("link", name="Notifications 1 not done").click()
                page.get_by_role("button", name="Mark as done").click()
                page.get_by_text("Marked as done.").wait_for()
                page.get_by_text("Nothing is waiting for you.").wait_for()
            page.goto(f"{live_server.url}/notifications/choices/")
            if javascript:
                assert_accessible(page)
            else:
                page.get_by_role("group", name="Action due in three days").get_by_label(
                    "In a daily email"
                ).check()
                page.get_by_role("button", name="Save choices").click()
                page.get_by_text("Your choices are saved.").wait_for()
        finally:
            context.close()
    assert Notification.objects.get().done_at is not None
