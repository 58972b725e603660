"""Invitations (issue 11 item 1): a person added by the administrator, by the form or by a
CSV import, gets an email at a real SMTP server with a link that sets their password once,
within seven days; the administrator sees who is invited, active or closed and can send the
invitation again; "Forgotten your password?" works for someone invited who never finished."""

from __future__ import annotations

import csv
import datetime as dt
import email
import re
import time
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from oversight.core.models import OutgoingEmail
from oversight.core.testing import assert_accessible, sign_in, sign_out, today_is
from oversight.core.tests.mailserver import Received, smtp_server, smtp_settings
from oversight.people import services
from oversight.people.imports import COLUMNS
from oversight.people.invitations import INVITATION_PURPOSE
from oversight.people.models import Person

NEW_PASSWORD = "a-long-walk-by-the-river-7"
LINK = re.compile(r"(https?://[^\s\"<>]+/account/invitation/[^\s\"<>]+/)")


def _text_part(raw: str) -> str:
    message = email.message_from_string(raw)
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode()
    raise AssertionError("no plain-text part")


def _wait_for_mail_to(received: Received, address: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with received.lock:
            for message in received.messages:
                if address in message["to"]:
                    return message
        time.sleep(0.1)
    raise AssertionError(f"no email reached {address}")


def _invitation_link(outbox: list[Any], address: str) -> str:
    sent = [m for m in outbox if address in m.to]
    assert sent, f"nothing sent to {address}"
    found = LINK.search(sent[-1].body)
    assert found
    return found.group(1)


# --- Through the services and the test client ----------------------------------------------


@pytest.mark.django_db
def test_adding_a_person_emails_an_invitation_with_an_absolute_link_and_no_password(
    cast: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with (
        override_settings(SITE_URL="https://oversight.example.org"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        person = services.person_create(
            actor=cast.administrator, given_name="Ola", family_name="Nowak", email="ola@x.org"
        )
    assert person.account_state == "invited"
    [sent] = [m for m in mailoutbox if m.to == ["ola@x.org"]]
    assert sent.body.count("https://oversight.example.org/account/invitation/") == 1
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html" and "Set your password" in html
    # The link is secret: the outbox keeps no copy once it is sent.
    row = OutgoingEmail.objects.get(purpose=INVITATION_PURPOSE, to="ola@x.org")
    assert row.body == "" and row.html_body == ""


@pytest.mark.django_db
def test_the_link_sets_the_password_once_and_the_person_signs_in(
    cast: Any, client: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.person_create(
            actor=cast.administrator, given_name="Ola", family_name="Nowak", email="ola@x.org"
        )
    link = _invitation_link(mailoutbox, "ola@x.org")
    page = client.get(link, follow=True)
    assert "Set your password" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Your password is set" in done.content.decode()
    assert Person.objects.get(email="ola@x.org").account_state == "active"
    signed_in = client.post(
        reverse("login"), {"username": "ola@x.org", "password": NEW_PASSWORD}, follow=True
    )
    assert "Sign out" in signed_in.content.decode()
    client.logout()
    again = client.get(link, follow=True)
    assert "This invitation has expired" in again.content.decode()


@pytest.mark.django_db
def test_the_link_expires_after_seven_days(
    cast: Any, client: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with today_is(dt.date(2027, 3, 1)):
        with django_capture_on_commit_callbacks(execute=True):
            services.person_create(
                actor=cast.administrator, given_name="Ola", family_name="Nowak", email="ola@x.org"
            )
        link = _invitation_link(mailoutbox, "ola@x.org")
    with today_is(dt.date(2027, 3, 7)):
        assert "Set your password" in client.get(link, follow=True).content.decode()
    with today_is(dt.date(2027, 3, 9)):
        assert "This invitation has expired" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_the_administrator_sees_the_state_and_a_resent_invitation_replaces_the_old_link(
    cast: Any, client: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(
            actor=cast.administrator, given_name="Ola", family_name="Nowak", email="ola@x.org"
        )
    first = _invitation_link(mailoutbox, "ola@x.org")
    client.force_login(cast.administrator)
    listing = client.get(reverse("people:manage_person_list")).content.decode()
    assert "Invited" in listing and "Active" in listing
    page = client.get(reverse("people:manage_person", args=[person.pk])).content.decode()
    assert "Send the invitation again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:invitation_resend", args=[person.pk]), follow=True)
    assert "A new invitation is on its way to ola@x.org" in response.content.decode()
    second = _invitation_link(mailoutbox, "ola@x.org")
    assert second != first
    client.logout()
    assert "This invitation has expired" in client.get(first, follow=True).content.decode()
    assert "Set your password" in client.get(second, follow=True).content.decode()
    # Someone active is not sent an invitation.
    client.force_login(cast.administrator)
    refused = client.post(
        reverse("people:invitation_resend", args=[cast.practitioner.pk]), follow=True
    )
    assert "Only someone who has not set a password yet" in refused.content.decode()


@pytest.mark.django_db
def test_forgotten_password_reaches_someone_invited_who_never_finished(
    cast: Any, client: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.person_create(
            actor=cast.administrator, given_name="Ola", family_name="Nowak", email="ola@x.org"
        )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "OLA@x.org"})
    [reset] = mailoutbox
    assert reset.to == ["ola@x.org"] and "/account/password-reset/" in reset.body
    # A closed account still gets nothing.
    mailoutbox.clear()
    services.person_deactivate(actor=cast.administrator, person=cast.stranger, reason="Left")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": cast.stranger.email})
    assert mailoutbox == []


# --- In a real browser, through a real SMTP server -----------------------------------------


def _accept_in_browser(page: Any, base: str, raw: str, username: str) -> None:
    found = LINK.search(_text_part(raw))
    assert found and found.group(1).startswith(base)
    page.goto(found.group(1))
    page.get_by_role("heading", name="Set your password").wait_for()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    page.get_by_text("Your password is set").wait_for()
    sign_in(page, base, username, NEW_PASSWORD)
    page.get_by_role("button", name="Sign out").wait_for()


@pytest.mark.browser
def test_an_invited_person_from_the_form_and_from_an_import_sets_a_password_and_signs_in(
    transactional_db: None, live_server: Any, browser_page: Any, cast: Any, tmp_path: Any
) -> None:
    page = browser_page
    base = live_server.url
    with smtp_server() as (port, received), smtp_settings(port), override_settings(SITE_URL=base):
        sign_in(page, base, "administrator")
        page.goto(f"{base}/manage/people/new/")
        page.get_by_label("Given name").fill("Ola")
        page.get_by_label("Family name").fill("Nowak")
        page.get_by_label("Email").fill("ola.nowak@example.org")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Ola Nowak added.").wait_for()
        page.get_by_text("Invited").first.wait_for()
        assert_accessible(page)

        staff = tmp_path / "staff.csv"
        with staff.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerow(
                {
                    "given_name": "Kit",
                    "family_name": "Marlowe",
                    "email": "kit.marlowe@example.org",
                    "agency": cast.agency.name,
                    "job_title": "Social worker",
                    "start_date": "2025-01-06",
                }
            )
        page.goto(f"{base}/manage/import/")
        page.get_by_label("CSV file of staff").set_input_files(str(staff))
        page.get_by_role("button", name="Check and import").click()
        page.wait_for_load_state()
        sign_out(page)

        added = _wait_for_mail_to(received, "ola.nowak@example.org")
        imported = _wait_for_mail_to(received, "kit.marlowe@example.org")
    subject = email.message_from_string(added["content"])["Subject"]
    assert str(make_header(decode_header(subject))).startswith("You have been invited to Oversight")
    _accept_in_browser(page, base, added["content"], "ola.nowak@example.org")
    assert page.get_by_text("Ola Nowak").first.is_visible()
    sign_out(page)
    _accept_in_browser(page, base, imported["content"], "kit.marlowe@example.org")
    assert Person.objects.get(email="kit.marlowe@example.org").account_state == "active"
