"""Who may see and change notifications: each person their own, and nobody else's."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import rules


class Permission(StrEnum):
    """Every rule this app registers with ``rules``: views name these, never bare strings."""

    VIEW_OWN = "notifications.view_own"
    CHANGE_PREFERENCES = "notifications.change_preferences"
    MARK_DONE = "notifications.mark_done"


@rules.predicate
def is_recipient(user: Any, notification: Any) -> bool:
    return notification is not None and notification.recipient_id == user.pk


rules.add_perm(Permission.VIEW_OWN, rules.is_authenticated)
rules.add_perm(Permission.CHANGE_PREFERENCES, rules.is_authenticated)
rules.add_perm(Permission.MARK_DONE, rules.is_authenticated & is_recipient)
