"""Single sign-on through a real OpenID provider started by the test on loopback (npm's
oidc-provider), once with client_secret_basic and once with private_key_jwt (issue 14 item 1;
decision 0009): the person lands on their own home page; an unknown identity is refused and
audited; tampered, expired and foreign-key ID tokens are refused; the provider's key
rotation is followed; sign-out goes to the provider, whose back-channel logout ends the
session."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from joserfc import jwt
from playwright.sync_api import expect

from oversight.core.models import AuditAction, AuditEvent
from oversight.core.testing import assert_accessible
from oversight.signin import oidc
from oversight.signin.models import ClientAuthMethod, IdentityProvider, LinkedIdentity
from oversight.signin.tests.factories import IdentityProviderFactory
from oversight.signin.tests.provider import RunningProvider, new_key, oidc_provider

CLIENT_KEY = new_key("oversight-client-key")
SECRET = "a-client-secret-for-tests-only-0123456789"
LEAD_EMAIL = "dev.patel@testshire.gov.uk"


def _clients(base: str) -> list[dict[str, Any]]:
    common = {
        "redirect_uris": [f"{base}/account/sign-in/return/"],
        "post_logout_redirect_uris": [f"{base}/account/sign-in/"],
        # Node looks "localhost" up as ::1 first; the test server listens on 127.0.0.1.
        "backchannel_logout_uri": base.replace("localhost", "127.0.0.1")
        + "/account/sign-in/back-channel-logout/",
        "backchannel_logout_session_required": True,
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
    }
    return [
        {
            **common,
            "client_id": "oversight-basic",
            "client_secret": SECRET,
            "token_endpoint_auth_method": "client_secret_basic",
        },
        {
            **common,
            "client_id": "oversight-key",
            "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_signing_alg": "RS256",
            "jwks": {"keys": [CLIENT_KEY.as_dict(private=False)]},
        },
    ]


ACCOUNTS = {
    "lead-subject": {"email": LEAD_EMAIL, "email_verified": True},
    "stranger-subject": {"email": "someone.else@testshire.gov.uk", "email_verified": True},
}


@pytest.fixture
def provider(live_server: Any) -> Iterator[RunningProvider]:
    with oidc_provider(clients=_clients(live_server.url), accounts=ACCOUNTS) as running:
        cache.clear()
        yield running


def _configure(
    provider: RunningProvider, cast: Any, method: str, monkeypatch: Any
) -> IdentityProvider:
    if method == ClientAuthMethod.PRIVATE_KEY_JWT:
        monkeypatch.setenv("OIDC_TESTSHIRE_KEY", CLIENT_KEY.as_pem(private=True).decode())
        client_id, env, key_id = "oversight-key", "OIDC_TESTSHIRE_KEY", CLIENT_KEY.kid or ""
    else:
        monkeypatch.setenv("OIDC_TESTSHIRE_SECRET", SECRET)
        client_id, env, key_id = "oversight-basic", "OIDC_TESTSHIRE_SECRET", ""
    cast.agency_lead.email = LEAD_EMAIL
    cast.agency_lead.save()
    made: Any = IdentityProviderFactory(
        agency=cast.agency,
        name="Testshire Council sign-in",
        issuer=provider.issuer,
        client_id=client_id,
        auth_method=method,
        secret_env=env,
        key_id=key_id,
        email_domains="testshire.gov.uk",
    )
    return made


def _only_loopback(page: Any) -> None:
    """The provider's pages ask for a web font; the tests reach nothing beyond loopback."""
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "http://localhost"))
            else route.abort()
        ),
    )


def _sign_in_at_provider(page: Any, base: str, email: str, login: str) -> None:
    _only_loopback(page)
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Work email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("anything")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.parametrize(
    "method", [ClientAuthMethod.CLIENT_SECRET_BASIC, ClientAuthMethod.PRIVATE_KEY_JWT]
)
def test_a_lead_signs_in_through_their_agency_and_lands_on_their_home_page(
    transactional_db: None,
    live_server: Any,
    provider: RunningProvider,
    browser_page: Any,
    cast: Any,
    monkeypatch: Any,
    method: str,
) -> None:
    configured = _configure(provider, cast, method, monkeypatch)
    page = browser_page
    page.goto(f"{live_server.url}/account/sign-in/")
    assert_accessible(page)
    _sign_in_at_provider(page, live_server.url, LEAD_EMAIL, "lead-subject")
    expect(page).to_have_url(f"{live_server.url}/")
    assert page.locator(".ov-signout__name").inner_text() == "Dev Patel"
    # Signed in by the agency's provider, the lead is not asked for Oversight's own code.
    assert "second-factor" not in page.url
    link = LinkedIdentity.objects.get(provider=configured)
    assert (link.person, link.subject) == (cast.agency_lead, "lead-subject")

    # Sign-out ends the provider's session too (RP-initiated logout), and comes back here.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/account/sign-in/")
    page.goto(f"{live_server.url}/")
    assert "/account/sign-in/" in page.url


@pytest.mark.browser
def test_an_unknown_identity_is_refused_and_the_refusal_audited(
    transactional_db: None,
    live_server: Any,
    provider: RunningProvider,
    browser_page: Any,
    cast: Any,
    monkeypatch: Any,
) -> None:
    _configure(provider, cast, ClientAuthMethod.CLIENT_SECRET_BASIC, monkeypatch)
    page = browser_page
    _sign_in_at_provider(page, live_server.url, "someone.else@testshire.gov.uk", "stranger-subject")
    expect(page.get_by_role("heading", name="You cannot sign in to Oversight")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/")
    assert "/account/sign-in/" in page.url
    event = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).latest("id")
    assert event.detail["email"] == "someone.else@testshire.gov.uk"
    assert event.detail["reason"] == "no person in Oversight has this email address"
    assert not LinkedIdentity.objects.exists()


@pytest.mark.browser
def test_back_channel_logout_from_the_provider_ends_the_session(
    transactional_db: None,
    live_server: Any,
    provider: RunningProvider,
    browser_page: Any,
    cast: Any,
    monkeypatch: Any,
) -> None:
    """The person signs out at the provider itself (not through Oversight): the provider
    posts a logout token and the Oversight session ends."""
    _configure(provider, cast, ClientAuthMethod.CLIENT_SECRET_BASIC, monkeypatch)
    page = browser_page
    _sign_in_at_provider(page, live_server.url, LEAD_EMAIL, "lead-subject")
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"{provider.issuer}/session/end")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/")
    assert "/account/sign-in/" in page.url


# --- ID tokens crafted with the provider's own keys ---------------------------------------


def _token(key: Any, **claims: Any) -> str:
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def _claims(provider: IdentityProvider, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": provider.issuer,
        "sub": "lead-subject",
        "aud": provider.client_id,
        "iat": now,
        "exp": now + 300,
        "nonce": "the-nonce",
        "email": LEAD_EMAIL,
        "email_verified": True,
    }
    claims.update(overrides)
    return claims


@pytest.fixture
def configured(
    db: None, provider: RunningProvider, cast: Any, monkeypatch: Any
) -> IdentityProvider:
    return _configure(provider, cast, ClientAuthMethod.CLIENT_SECRET_BASIC, monkeypatch)


def test_a_token_signed_with_the_providers_key_is_accepted(
    provider: RunningProvider, configured: IdentityProvider
) -> None:
    token = _token(provider.signing_keys[0], **_claims(configured))
    verified = oidc.validate_id_token(configured, token, nonce="the-nonce")
    assert (verified.subject, verified.email, verified.email_verified) == (
        "lead-subject",
        LEAD_EMAIL,
        True,
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"exp": -600, "iat": -900}, id="expired"),
        pytest.param({"aud": "another-client"}, id="another-audience"),
        pytest.param({"iss": "http://127.0.0.1:1"}, id="another-issuer"),
        pytest.param({"nonce": "a-replayed-nonce"}, id="wrong-nonce"),
    ],
)
def test_a_token_with_wrong_claims_is_refused(
    provider: RunningProvider, configured: IdentityProvider, change: dict[str, Any]
) -> None:
    now = int(time.time())
    values = {k: (now + v if k in ("exp", "iat") else v) for k, v in change.items()}
    token = _token(provider.signing_keys[0], **_claims(configured, **values))
    with pytest.raises(oidc.SignInError):
        oidc.validate_id_token(configured, token, nonce="the-nonce")


def test_a_tampered_token_is_refused(
    provider: RunningProvider, configured: IdentityProvider
) -> None:
    import base64
    import json

    token = _token(provider.signing_keys[0], **_claims(configured))
    header, _, signature = token.split(".")
    forged = _claims(configured, email="dev.patel.admin@testshire.gov.uk")
    body = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    with pytest.raises(oidc.SignInError):
        oidc.validate_id_token(configured, f"{header}.{body}.{signature}", nonce="the-nonce")


def test_a_token_signed_with_another_key_under_the_providers_key_id_is_refused(
    provider: RunningProvider, configured: IdentityProvider
) -> None:
    impostor = new_key(provider.signing_keys[0].kid or "")
    with pytest.raises(oidc.SignInError):
        oidc.validate_id_token(
            configured, _token(impostor, **_claims(configured)), nonce="the-nonce"
        )


def test_a_key_the_provider_rotated_in_is_fetched_again(
    provider: RunningProvider, configured: IdentityProvider
) -> None:
    """Our copy of the provider's keys knows only the first key; a token signed with the
    second (published since) makes us fetch the keys again, and it is accepted."""
    first = provider.signing_keys[0]
    cache.set(f"signin:jwks:{configured.issuer}", {"keys": [first.as_dict(private=False)]})
    token = _token(provider.signing_keys[1], **_claims(configured))
    assert oidc.validate_id_token(configured, token, nonce="the-nonce").subject == "lead-subject"
    with pytest.raises(oidc.SignInError):
        oidc.validate_id_token(
            configured, _token(new_key("never-published"), **_claims(configured)), nonce="the-nonce"
        )
