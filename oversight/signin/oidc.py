"""The OpenID Connect relying party, on Authlib (and joserfc, which Authlib signs and
verifies with): discovery, the Authorization Code flow with PKCE, state and nonce, client
authentication (``client_secret_basic``, ``client_secret_post``, ``private_key_jwt``), and
full validation of ID tokens and back-channel logout tokens against the provider's JWKS,
fetched again when a token names a key we have not seen (key rotation)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.core.cache import cache
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from .models import ClientAuthMethod, IdentityProvider

HTTP_TIMEOUT = 10
METADATA_SECONDS = 60 * 60
ALGORITHMS = ["RS256", "PS256", "ES256"]
LEEWAY_SECONDS = 60
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


class SignInError(Exception):
    """The provider's answer cannot be trusted or used; the message is for the audit log."""


@dataclass(frozen=True)
class Verified:
    """What a validated ID token says."""

    subject: str
    email: str
    email_verified: bool
    sid: str
    acr: str
    raw: str


def metadata(provider: IdentityProvider) -> dict[str, Any]:
    """The provider's discovery document, kept an hour."""
    key = f"signin:metadata:{provider.issuer}"
    found = cache.get(key)
    if found is None:
        url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=HTTP_TIMEOUT)
            response.raise_for_status()
            found = response.json()
        except (requests.RequestException, ValueError) as error:
            raise SignInError(f"discovery failed: {error}") from error
        if found.get("issuer") != provider.issuer:
            raise SignInError("discovery names another issuer")
        cache.set(key, found, METADATA_SECONDS)
    return found


def _key_set(provider: IdentityProvider, *, refresh: bool = False) -> KeySet:
    key = f"signin:jwks:{provider.issuer}"
    data = None if refresh else cache.get(key)
    if data is None:
        try:
            response = requests.get(metadata(provider)["jwks_uri"], timeout=HTTP_TIMEOUT)
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError, KeyError) as error:
            raise SignInError(f"the provider's keys could not be fetched: {error}") from error
        cache.set(key, data, METADATA_SECONDS)
    return KeySet.import_key_set(data)


def _key_for(provider: IdentityProvider, token: str) -> KeySet:
    """The provider's keys, fetched again once when the token's ``kid`` is not among them."""
    try:
        header = jws.extract_compact(token.encode()).headers()
    except (JoseError, ValueError) as error:
        raise SignInError("the token is not a signed JWT") from error
    kid = header.get("kid")
    keys = _key_set(provider)
    if kid and not any(k.kid == kid for k in keys.keys):
        keys = _key_set(provider, refresh=True)
        if not any(k.kid == kid for k in keys.keys):
            raise SignInError("the token is signed with a key the provider does not publish")
    return keys


def _decode(provider: IdentityProvider, token: str) -> dict[str, Any]:
    keys = _key_for(provider, token)
    try:
        return dict(jwt.decode(token, keys, algorithms=ALGORITHMS).claims)
    except (JoseError, ValueError) as error:
        raise SignInError(f"the token's signature does not verify: {error}") from error


def validate_id_token(provider: IdentityProvider, token: str, *, nonce: str) -> Verified:
    """Signature (the provider's JWKS), issuer, audience, authorised party, expiry, issue
    time and nonce (OpenID Connect Core 3.1.3.7)."""
    claims = _decode(provider, token)
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": provider.issuer},
        sub={"essential": True},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise SignInError(f"the ID token is not valid: {error}") from error
    audience = claims["aud"]
    several = isinstance(audience, list) and len(audience) > 1
    if several and claims.get("azp") != provider.client_id:
        raise SignInError("the ID token was issued to another party")
    return Verified(
        subject=str(claims["sub"]),
        email=str(claims.get("email") or "").strip(),
        email_verified=claims.get("email_verified") is True,
        sid=str(claims.get("sid") or ""),
        acr=str(claims.get("acr") or ""),
        raw=token,
    )


def validate_logout_token(provider: IdentityProvider, token: str) -> dict[str, Any]:
    """A back-channel logout token (OpenID Connect Back-Channel Logout 1.0, 2.6)."""
    claims = _decode(provider, token)
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        iat={"essential": True},
        jti={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise SignInError(f"the logout token is not valid: {error}") from error
    if "nonce" in claims:
        raise SignInError("a logout token carries no nonce")
    if BACKCHANNEL_EVENT not in (claims.get("events") or {}):
        raise SignInError("the logout token names no logout event")
    if not claims.get("sid") and not claims.get("sub"):
        raise SignInError("the logout token names no session and no subject")
    return claims


def provider_secret(provider: IdentityProvider) -> str:
    """The client secret or private key from the environment variable the provider names."""
    value = os.environ.get(provider.secret_env, "") if provider.secret_env else ""
    if not value:
        raise SignInError(f"the environment variable {provider.secret_env!r} is not set")
    if provider.auth_method == ClientAuthMethod.PRIVATE_KEY_JWT and not value.lstrip().startswith(
        "-----BEGIN"
    ):
        try:
            value = Path(value).read_text()
        except OSError as error:
            raise SignInError("the private key file cannot be read") from error
    return value


def _session(provider: IdentityProvider, redirect_uri: str) -> OAuth2Session:
    secret = provider_secret(provider)
    if provider.auth_method == ClientAuthMethod.PRIVATE_KEY_JWT:
        token_endpoint = metadata(provider)["token_endpoint"]
        headers = {"kid": provider.key_id} if provider.key_id else None
        session = OAuth2Session(
            provider.client_id,
            RSAKey.import_key(secret),
            token_endpoint_auth_method=PrivateKeyJWT(token_endpoint, headers=headers),
            redirect_uri=redirect_uri,
            scope=provider.scopes,
        )
    else:
        session = OAuth2Session(
            provider.client_id,
            secret,
            token_endpoint_auth_method=provider.auth_method,
            redirect_uri=redirect_uri,
            scope=provider.scopes,
        )
    return session


@dataclass(frozen=True)
class Started:
    url: str
    state: str
    nonce: str
    code_verifier: str


def authorization_start(
    provider: IdentityProvider, *, redirect_uri: str, login_hint: str
) -> Started:
    """Where to send the person: the provider's authorisation endpoint with PKCE (S256), a
    fresh state and nonce, the provider's ACR values and the typed email as a hint."""
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    code_verifier = secrets.token_urlsafe(48)
    session = OAuth2Session(
        provider.client_id,
        redirect_uri=redirect_uri,
        scope=provider.scopes,
        code_challenge_method="S256",
    )
    extra: dict[str, str] = {"nonce": nonce}
    if provider.acr_values:
        extra["acr_values"] = provider.acr_values
    if login_hint:
        extra["login_hint"] = login_hint
    url, _ = session.create_authorization_url(
        metadata(provider)["authorization_endpoint"],
        state=state,
        code_verifier=code_verifier,
        **extra,
    )
    return Started(url=url, state=state, nonce=nonce, code_verifier=code_verifier)


def code_exchange(
    provider: IdentityProvider, *, code: str, redirect_uri: str, code_verifier: str
) -> str:
    """The ID token the token endpoint gives for the code, with the client authenticated as
    the provider's method says."""
    session = _session(provider, redirect_uri)
    try:
        token = session.fetch_token(
            metadata(provider)["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=code_verifier,
            timeout=HTTP_TIMEOUT,
        )
    except Exception as error:  # Authlib raises OAuthError or requests' errors
        raise SignInError(f"the token request failed: {error}") from error
    id_token = token.get("id_token")
    if not id_token:
        raise SignInError("the provider returned no ID token")
    return str(id_token)


def end_session_url(
    provider: IdentityProvider, *, id_token: str, post_logout_redirect_uri: str
) -> str | None:
    """RP-initiated logout at the provider, when it offers it."""
    try:
        endpoint = metadata(provider).get("end_session_endpoint")
    except SignInError:
        return None
    if not endpoint:
        return None
    query = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": post_logout_redirect_uri,
        "client_id": provider.client_id,
    }
    return f"{endpoint}?{urlencode(query)}"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
