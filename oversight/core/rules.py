"""Who may use core's own pages: the glossary is for everyone signed in (closed to the public
like every page but sign-in and the health probe)."""

from __future__ import annotations

import rules

rules.add_perm("core.view_glossary", rules.is_authenticated)
# What a person typed before the idle sign-out is theirs alone (core.kept_typing), and anyone
# signed in may ask to stay signed in.
rules.add_perm("core.view_kept_typing", rules.is_authenticated)
rules.add_perm("core.stay_signed_in", rules.is_authenticated)
