"""GOV.UK Notify as Django's email backend (issue 11 item 7), for public bodies that must send
through Notify: ``EMAIL_BACKEND=oversight.notifications.backends.NotifyEmailBackend`` with
``NOTIFY_API_KEY`` and ``NOTIFY_TEMPLATE_ID``. The template is one of your Notify service's
email templates whose subject is ``((subject))`` and body ``((body))``; Notify sends the
plain-text body (it renders its own HTML). A session's calendar file cannot go through
Notify's template: its email carries the link to the session instead.

It is the outbox's task that calls it (decision 0006): a Notify error is one failed try,
retried with backoff like an SMTP failure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        self.api_key = getattr(settings, "NOTIFY_API_KEY", "")
        self.template_id = getattr(settings, "NOTIFY_TEMPLATE_ID", "")
        if not (self.api_key and self.template_id):
            raise ImproperlyConfigured(
                "GOV.UK Notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID to be set."
            )
        self.base_url = getattr(settings, "NOTIFY_BASE_URL", "") or None
        self.client: Any = None

    def open(self) -> bool:
        if self.client is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            kwargs = {"base_url": self.base_url} if self.base_url else {}
            self.client = NotificationsAPIClient(self.api_key, **kwargs)
            return True
        return False

    def close(self) -> None:
        self.client = None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        self.open()
        sent = 0
        for message in email_messages:
            try:
                for address in message.recipients():
                    self.client.send_email_notification(
                        email_address=address,
                        template_id=self.template_id,
                        personalisation={"subject": message.subject, "body": message.body},
                    )
                sent += 1
            except Exception:
                if not self.fail_silently:
                    raise
        return sent
