"""Who may see and change notifications: each person their own, and nobody else's."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_recipient(user: Any, notification: Any) -> bool:
    return notification is not None and notification.recipient_id == user.pk


rules.add_perm("notifications.view_own", rules.is_authenticated)
rules.add_perm("notifications.change_preferences", rules.is_authenticated)
rules.add_perm("notifications.mark_done", rules.is_authenticated & is_recipient)
