"""Who may use core's own pages: everyone signed in may read the glossary, keep or discard
what they typed before the idle sign-out (only ever their own: core.kept_typing) and ask to
stay signed in. Closed to the public like every page but sign-in and the health probe."""

from __future__ import annotations

from enum import StrEnum

import rules


class Permission(StrEnum):
    """Every rule core registers with ``rules``: views name these, never bare strings."""

    VIEW_GLOSSARY = "core.view_glossary"
    VIEW_KEPT_TYPING = "core.view_kept_typing"
    STAY_SIGNED_IN = "core.stay_signed_in"


for permission in Permission:
    rules.add_perm(permission, rules.is_authenticated)
