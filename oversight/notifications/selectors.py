"""Reading notifications: the header's count and the person's own list."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from oversight.core.prepared import prepared

from .models import PROTECTED_KINDS, Delivery, Kind, Notification, Preference


def unread_count(user: Any) -> int:
    """For the header (core's context processor, ``NotificationsConfig.header_links``)."""
    counted = _unread(person_id=user.pk)
    return counted[0] if counted else 0


@prepared
def _unread(*, person_id: int) -> QuerySet[Any]:
    """The count as one grouped row (none when there is nothing to do), so that it is a read
    compiled once like any other (core.prepared): every page shows it."""
    return (
        Notification.objects.filter(recipient_id=person_id, done_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values_list("unread", flat=True)
    )


def notifications_for(user: Any, *, show_done: bool = False) -> QuerySet[Notification]:
    """The person's own notifications, newest first; done ones only when asked."""
    found = Notification.objects.filter(recipient=user)
    if not show_done:
        found = found.filter(done_at__isnull=True)
    return found.order_by("-created_at", "-id")


def preferences_for(user: Any) -> list[dict[str, Any]]:
    """Each kind with the person's choice (straight away unless they chose otherwise)."""
    chosen = dict(Preference.objects.filter(person=user).values_list("kind", "delivery"))
    return [
        {
            "kind": kind,
            "label": Kind(kind).label,
            "delivery": chosen.get(kind, Delivery.IMMEDIATELY),
            "protected": kind in PROTECTED_KINDS,
        }
        for kind in Kind.values
        if kind != Kind.WEEKLY_DIGEST
    ]
