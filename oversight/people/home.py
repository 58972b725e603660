"""Home-page panel for the administrator: emails that were not sent (issue 10 item 2: the
administrator is told when an alert fails for good)."""

from __future__ import annotations

from django.http import HttpRequest

from oversight.core.home import Panel
from oversight.core.models import OutgoingEmail

from .selectors import AccessProfile


def panels(request: HttpRequest, profile: AccessProfile) -> list[Panel]:
    if not profile.is_administrator:
        return []
    failed = OutgoingEmail.objects.failed().count()
    if not failed:
        return []
    return [
        Panel(
            title="Emails not sent",
            template_name="people/panels/failed_emails.html",
            context={"failed": failed},
            order=5,
        )
    ]
