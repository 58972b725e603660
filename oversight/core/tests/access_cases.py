"""Who may use core's own URLs. The readiness probe is open to everyone, signed in or not:
a load balancer has no account (its detail is for an administrator or a monitor's token)."""

from oversight.core.testing import ROLE_NAMES, AccessCase

CASES = [AccessCase("health_ready", allowed=set(ROLE_NAMES), public=True)]
