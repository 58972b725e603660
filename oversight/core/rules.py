"""Who may use core's own pages: the glossary is for everyone signed in (closed to the public
like every page but sign-in and the health probe)."""

from __future__ import annotations

import rules

rules.add_perm("core.view_glossary", rules.is_authenticated)
