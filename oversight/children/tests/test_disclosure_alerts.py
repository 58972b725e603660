"""The disclosure's alert to the safeguarding lead as the people waiting for it see it
(issue 10 item 2): a failure that lasts says so, with "Send again", and the administrator is
told; nobody else may send it again. Mail goes to real servers on this machine."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from oversight.core.tests.mailserver import free_port, smtp_server, smtp_settings

NOT_SENT = "Alert not sent — we tried 1 time; the administrator has been told."


def _record(client: Any, cast: Any, capture: Any) -> str:
    client.force_login(cast.supervisor)
    with capture(execute=True):
        response = client.post(
            reverse("children:disclosure_add"),
            {
                "supervisee": cast.practitioner.pk,
                "category": "unsafe_practice",
                "reason": "Home visits recorded that did not happen",
                "what_is_needed": "Audit the last month's visits",
            },
        )
    assert response.status_code == 302, response.content.decode()
    return str(response["Location"])


def test_an_alert_the_mail_server_refuses_is_shown_as_not_sent_with_send_again(
    cast: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    port = free_port()
    with smtp_settings(port, EMAIL_MAX_ATTEMPTS=1):
        page_url = _record(client, cast, django_capture_on_commit_callbacks)
        page = client.get(page_url).content.decode()
        assert NOT_SENT in page
        assert "Alert being sent" not in page
        assert "Send again" in page

        client.force_login(cast.administrator)
        assert "Emails not sent" in client.get(reverse("home")).content.decode()
        listed = client.get(reverse("people:failed_email_list")).content.decode()
        assert "Disclosure alert to the agency safeguarding lead" in listed
        assert cast.agency_lead.email in listed
        assert "Home visits" not in listed

        client.force_login(cast.supervisor)
        with (
            smtp_server(port) as (_, received),
            django_capture_on_commit_callbacks(execute=True),
        ):
            resend = reverse("children:disclosure_alert_resend", args=[page_url.split("/")[-2]])
            response = client.post(resend)
        assert response["Location"] == page_url
        page = client.get(page_url).content.decode()
    assert "The alert is being sent again" in page
    assert "Alerted" in page and NOT_SENT not in page
    assert [m["to"] for m in received.messages] == [[cast.agency_lead.email]]
    assert "Home visits" not in received.messages[0]["content"]


def test_only_the_supervisor_and_the_lead_see_a_failed_alert_and_may_send_it_again(
    cast: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with smtp_settings(free_port(), EMAIL_MAX_ATTEMPTS=1):
        page_url = _record(client, cast, django_capture_on_commit_callbacks)
        resend = reverse("children:disclosure_alert_resend", args=[page_url.split("/")[-2]])
        for name in ("practitioner", "line_manager", "other_lead", "administrator"):
            client.force_login(cast.by_name(name))
            assert client.post(resend).status_code == 403, name
        client.force_login(cast.practitioner)
        told = client.get(page_url).content.decode()
        client.force_login(cast.agency_lead)
        lead_page = client.get(page_url).content.decode()
    assert "Send again" not in told and "Alert not sent" not in told
    assert NOT_SENT in lead_page and "Send again" in lead_page
