"""Who may use the sign-in pages (issue 14; decision 0009).

- anyone, signed in or not: the sign-in pages (work email, the provider's return);
- everyone signed in: their own second factors (authenticator apps, recovery codes), and the
  page that asks for a code after a password;
- administrator: each agency's identity provider.
"""

from __future__ import annotations

import rules

from oversight.people.rules import is_administrator

rules.add_perm("signin.start_sign_in", rules.always_allow)
rules.add_perm("signin.use_second_factor", rules.is_authenticated)
rules.add_perm("signin.manage_providers", is_administrator)
