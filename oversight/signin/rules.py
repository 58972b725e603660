"""Who may use the sign-in pages (issue 14; decision 0009).

- anyone, signed in or not: the sign-in pages (work email, the provider's return);
- everyone signed in: their own second factors (authenticator apps, recovery codes), and the
  page that asks for a code after a password;
- administrator: each agency's identity provider;
- administrator, and an agency's lead for their own agency: which further roles in that agency
  must use a second factor (decision 0019).
"""

from __future__ import annotations

from enum import StrEnum

import rules

from oversight.people.rules import is_administrator, leads_agency


class Permission(StrEnum):
    """Every rule this app registers with ``rules``: views name these, never bare strings."""

    START_SIGN_IN = "signin.start_sign_in"
    USE_SECOND_FACTOR = "signin.use_second_factor"
    MANAGE_PROVIDERS = "signin.manage_providers"
    SET_SECOND_FACTOR_POLICY = "signin.set_second_factor_policy"


rules.add_perm(Permission.START_SIGN_IN, rules.always_allow)
rules.add_perm(Permission.USE_SECOND_FACTOR, rules.is_authenticated)
rules.add_perm(Permission.MANAGE_PROVIDERS, rules.is_authenticated & is_administrator)
rules.add_perm(
    Permission.SET_SECOND_FACTOR_POLICY,
    rules.is_authenticated & (is_administrator | leads_agency),
)
