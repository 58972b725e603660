"""Who may use each notifications URL (see oversight/notifications/rules.py): everyone their
own list and choices; only the recipient marks a notification done."""

from typing import Any

from oversight.core.testing import AccessCase
from oversight.notifications.models import Kind, Notification
from oversight.people.tests.access_cases import EVERYONE


def _practitioners_notification(cast: Any) -> dict[str, Any]:
    notification = Notification.objects.create(
        recipient=cast.practitioner,
        kind=Kind.RECORD_TO_SIGN,
        reason="A record is ready for you to sign",
        link="http://127.0.0.1:8000/",
    )
    return {"pk": notification.pk}


CASES = [
    AccessCase("notifications:list", allowed=EVERYONE),
    AccessCase("notifications:preferences", allowed=EVERYONE),
    AccessCase("notifications:all_done", allowed=EVERYONE, method="post"),
    AccessCase(
        "notifications:done",
        allowed={"practitioner"},
        method="post",
        setup=_practitioners_notification,
    ),
]
