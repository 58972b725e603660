"""Passkeys (WebAuthn) as a second factor, through django-otp-webauthn (issue 14 item 2;
decision 0019). A passkey is a django-otp device like an authenticator app, so the second-
factor middleware, ``has_second_factor`` and the lockout treat it the same way.

The relying party id is the host name the request came to (ALLOWED_HOSTS has checked it), so
a passkey made at oversight.example.org works there and nowhere else; that origin, with its
scheme and port, is the one a browser's answer must name. PASSKEY_ORIGINS may add more."""

from __future__ import annotations

from django.http import HttpRequest
from django_otp_webauthn.helpers import WebAuthnHelper


def _host_name(request: HttpRequest) -> str:
    host = request.get_host()
    if host.startswith("["):  # an IPv6 literal: never a valid relying party id anyway
        return host.partition("]")[0].lstrip("[")
    return host.rpartition(":")[0] if ":" in host else host


def relying_party_id(request: HttpRequest) -> str:
    return _host_name(request)


class PasskeyHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        own = f"{self.request.scheme}://{self.request.get_host()}"
        return sorted({own, *super().get_allowed_origins()})
