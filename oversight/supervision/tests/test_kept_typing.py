"""Typed work is never lost to the idle sign-out (issue 12 item 3): a record sent after the
session expired is kept, the supervisor signs in again and puts it back; nobody else who
signs in on that browser sees it. In a real browser with a short idle limit: the warning
comes before the sign-out and "Stay signed in" keeps the session."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.urls import reverse

from oversight.core.testing import TEST_PASSWORD, assert_accessible, sign_in
from oversight.supervision.models import SessionRecord

TYPED = "Long reflection on the Brennan family, written over an hour."


def _typed_by(html: str) -> str:
    found = re.search(r'name="_typed_by" value="([^"]+)"', html)
    assert found, "every form of a signed-in person carries who is typing"
    return found.group(1)


def _post_after_expiry(client: Any, cast: Any, held_session: Any) -> Any:
    client.force_login(cast.supervisor)
    page = client.get(reverse("supervision:record", args=[held_session.pk])).content.decode()
    note = _typed_by(page)
    client.logout()  # the idle sign-out: the session is gone
    return client.post(
        reverse("supervision:record_save", args=[held_session.pk]),
        {
            "_typed_by": note,
            "held_on": held_session.held_on.isoformat(),
            "learning_development": TYPED,
            "version": "",
        },
    )


def test_a_record_sent_after_the_sign_out_is_kept_and_put_back_after_signing_in(
    cast: Any, client: Any, held_session: Any
) -> None:
    response = _post_after_expiry(client, cast, held_session)
    assert response.status_code == 302
    assert response.url == "/account/sign-in/?next=%2Faccount%2Fkept-typing%2F"
    sign_in_page = client.get(response.url).content.decode()
    assert "What you typed has been kept" in sign_in_page

    client.force_login(cast.supervisor)
    kept = client.get(reverse("kept_typing")).content.decode()
    assert TYPED in kept
    assert "Save what you typed" in kept
    target = reverse("supervision:record_save", args=[held_session.pk])
    form = re.search(rf'<form method="post" action="{target}".*?</form>', kept, re.S)
    assert form, "the kept form goes back where it was sent"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[0]))
    saved = client.post(target, fields)
    assert saved.status_code == 302
    record = SessionRecord.objects.get(session=held_session)
    assert record.learning_development == TYPED


def test_nobody_else_signing_in_on_that_browser_sees_what_was_typed(
    cast: Any, client: Any, held_session: Any
) -> None:
    _post_after_expiry(client, cast, held_session)
    client.force_login(cast.line_manager)
    kept = client.get(reverse("kept_typing")).content.decode()
    assert TYPED not in kept
    assert "Nothing is waiting" in kept
    # Dropped for good: the supervisor signing in afterwards finds nothing either.
    client.logout()
    client.force_login(cast.supervisor)
    assert TYPED not in client.get(reverse("kept_typing")).content.decode()


def test_a_form_without_a_genuine_note_is_not_kept(
    cast: Any, client: Any, held_session: Any
) -> None:
    response = client.post(
        reverse("supervision:record_save", args=[held_session.pk]),
        {"_typed_by": "forged", "learning_development": TYPED},
    )
    assert response.status_code == 302 and "kept-typing" not in response.url
    client.force_login(cast.supervisor)
    assert TYPED not in client.get(reverse("kept_typing")).content.decode()


def test_the_typed_text_can_be_thrown_away(cast: Any, client: Any, held_session: Any) -> None:
    _post_after_expiry(client, cast, held_session)
    client.force_login(cast.supervisor)
    client.post(reverse("kept_typing"), {"discard": "0"})
    assert TYPED not in client.get(reverse("kept_typing")).content.decode()


@pytest.mark.browser
def test_the_idle_warning_keeps_you_signed_in_and_an_expired_save_keeps_the_text(
    transactional_db: Any, live_server: Any, browser_page: Any, cast: Any, settings: Any
) -> None:
    from oversight.supervision.tests.factories import SessionFactory

    settings.SESSION_COOKIE_AGE = 6  # the warning comes 3 s before the sign-out
    held: Any = SessionFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, held=True
    )
    page = browser_page
    sign_in(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}{reverse('supervision:record', args=[held.pk])}")
    warning = page.get_by_role("dialog", name="You will be signed out soon")
    warning.wait_for(timeout=10_000)
    assert_accessible(page)
    page.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="hidden")
    time.sleep(3.5)  # past the idle limit the page was opened with
    page.reload()
    assert page.get_by_role("heading", name="Sign in to Oversight").count() == 0

    page.get_by_label("Areas of learning and professional development opportunities").fill(TYPED)
    warning.wait_for(timeout=10_000)
    # No answer to the warning: the session ends, the page says so and the save still works.
    page.get_by_text("You have been signed out because").wait_for(timeout=10_000)
    time.sleep(1)
    page.get_by_role("button", name="Save the record").click()
    page.get_by_text("What you typed has been kept").wait_for()
    assert_accessible(page)
    page.get_by_label("Username or email address").fill("supervisor")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    settings.SESSION_COOKIE_AGE = 30 * 60
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="What you typed before you were signed out").wait_for()
    assert page.get_by_text(TYPED).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save what you typed").click()
    page.get_by_text("Record saved.").wait_for()
    assert SessionRecord.objects.get(session=held).learning_development == TYPED
