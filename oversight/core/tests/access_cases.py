"""Who may use core's own URLs (see oversight/core/rules.py). The readiness probe is open to
everyone, signed in or not: a load balancer has no account (its detail is for an
administrator or a monitor's token)."""

from oversight.core.testing import ROLE_NAMES, AccessCase

EVERYONE = set(ROLE_NAMES)

CASES = [
    AccessCase("health_ready", allowed=EVERYONE, public=True),
    AccessCase("glossary", allowed=EVERYONE),
    AccessCase("kept_typing", allowed=EVERYONE),
    AccessCase("kept_typing", allowed=EVERYONE, method="post", data={"discard": "0"}),
    AccessCase("still_here", allowed=EVERYONE, method="post"),
]
