"""The administrator's list of emails not sent (issue 10 item 2): each failure, and "Send
again" once the mail server is back; a password reset link is never stored or sent again."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from oversight.core.models import OutgoingEmail, OutgoingEmailState
from oversight.core.tests.mailserver import free_port, smtp_server, smtp_settings


def test_the_administrator_sees_emails_not_sent_and_sends_one_again(
    client: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    port = free_port()
    with smtp_settings(port, EMAIL_MAX_ATTEMPTS=1):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("password_reset"), {"email": cast.practitioner.email})
        reset = OutgoingEmail.objects.get()
        assert reset.state == OutgoingEmailState.FAILED
        assert reset.body == ""  # the link is not kept

        client.force_login(cast.administrator)
        index = client.get(reverse("people:manage_index")).content.decode()
        assert re.search(r"Emails not sent</dt>\s*<dd[^>]*>1 ", index)
        listed = client.get(reverse("people:failed_email_list")).content.decode()
        assert "Password reset link" in listed and cast.practitioner.email in listed
        assert "Cannot be sent again" in listed
        assert "ConnectionRefusedError" in listed

        refused = client.post(reverse("people:failed_email_resend", args=[reset.pk]), follow=True)
        assert "A password reset link cannot be sent again" in refused.content.decode()

        alert = OutgoingEmail.objects.create(
            purpose="Disclosure alert to the agency safeguarding lead, Testshire",
            to=cast.agency_lead.email,
            subject="Oversight: a confidentiality disclosure needs your attention",
            body="Sign in to read it.",
            state=OutgoingEmailState.FAILED,
            attempts=6,
        )
        with smtp_server(port) as (_, received):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(reverse("people:failed_email_resend", args=[alert.pk]))
            assert response.status_code == 302
            assert received.count() == 1
    alert.refresh_from_db()
    assert alert.state == OutgoingEmailState.SENT
    page = client.get(reverse("people:failed_email_list")).content.decode()
    assert f"The email to {cast.agency_lead.email} is being sent again" in page
    assert "Disclosure alert" not in page.split("Emails not sent</h1>")[1]


def test_only_the_administrator_sees_emails_not_sent(client: Any, cast: Any) -> None:
    OutgoingEmail.objects.create(
        purpose="Password reset link",
        to=cast.practitioner.email,
        subject="Reset",
        body="",
        state=OutgoingEmailState.FAILED,
        attempts=6,
    )
    client.force_login(cast.administrator)
    assert "Emails not sent" in client.get(reverse("home")).content.decode()
    for name in ("agency_lead", "supervisor", "auditor"):
        client.force_login(cast.by_name(name))
        assert client.get(reverse("people:failed_email_list")).status_code == 403
        assert "Emails not sent" not in client.get(reverse("home")).content.decode()
