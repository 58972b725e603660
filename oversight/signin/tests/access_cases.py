"""Who may use each sign-in URL (see oversight/signin/rules.py). The provider's back-channel
logout answers only a signed logout token (tests/test_oidc.py); it is listed with Django's
own open URLs in core's access-table test."""

from typing import Any

from oversight.core.testing import ROLE_NAMES, AccessCase

EVERYONE = set(ROLE_NAMES)


def _provider(cast: Any) -> dict[str, Any]:
    from .factories import IdentityProviderFactory

    provider: Any = IdentityProviderFactory(agency=cast.agency)
    return {"pk": provider.pk}


def _agency(cast: Any) -> dict[str, Any]:
    return {"pk": cast.agency.pk}


CASES = [
    AccessCase("signin:sso_start", allowed=EVERYONE, public=True),
    AccessCase("signin:callback", allowed=EVERYONE, public=True, note="no sign-in under way"),
    AccessCase("signin:second_factor", allowed=EVERYONE),
    AccessCase("signin:security", allowed=EVERYONE),
    AccessCase("signin:authenticator_add", allowed=EVERYONE),
    AccessCase("signin:recovery_codes", allowed=EVERYONE, method="post"),
    AccessCase("signin:passkey_register_begin", allowed=EVERYONE, method="post"),
    AccessCase(
        "signin:passkey_register_complete", allowed=EVERYONE, method="post", note="no ceremony"
    ),
    AccessCase("signin:passkey_verify_begin", allowed=EVERYONE, method="post"),
    AccessCase(
        "signin:passkey_verify_complete", allowed=EVERYONE, method="post", note="no ceremony"
    ),
    AccessCase(
        "signin:second_factor_policy", allowed={"administrator", "agency_lead"}, setup=_agency
    ),
    AccessCase("signin:provider_list", allowed={"administrator"}),
    AccessCase("signin:provider_create", allowed={"administrator"}),
    AccessCase("signin:provider_edit", allowed={"administrator"}, setup=_provider),
]
