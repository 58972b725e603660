"""The second factor, enforced on every page (issue 14 item 2; decision 0009).

After a password, a person who must use a second factor (``selectors.second_factor_required``)
reaches nothing but the second-factor pages and sign-out until they have entered a code (or,
with none set up yet, set one up). A sign-in through the agency's identity provider counts:
the provider asked for its own second factor (its ACR values). Test settings may name
authentication backends whose sessions count as having passed it
(``SIGNIN_SECOND_FACTOR_PASSED_BACKENDS``: the test client's ``force_login``, see
``oversight.signin.testing``); production names none.

The same middleware lets a page a provider's sign-out starts from send its form to that
provider (the Content-Security-Policy's ``form-action``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import django_otp.middleware
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.models import Device

from oversight.core.prepared import prepared

from .selectors import has_second_factor, second_factor_required

SESSION_PROVIDER = "signin.provider"
SESSION_PROVIDER_ORIGIN = "signin.provider_origin"
SESSION_NOT_REQUIRED = "signin.second_factor_not_required"
OPEN_VIEWS = {
    "login",
    "logout",
    "health",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "signin:second_factor",
    "signin:authenticator_add",
    "signin:passkey_register_begin",
    "signin:passkey_register_complete",
    "signin:passkey_verify_begin",
    "signin:passkey_verify_complete",
    "signin:sso_start",
    "signin:callback",
    "signin:backchannel_logout",
}


def second_factor_done(request: HttpRequest) -> bool:
    session = request.session
    if session.get(SESSION_PROVIDER):
        return True
    passed = getattr(settings, "SIGNIN_SECOND_FACTOR_PASSED_BACKENDS", [])
    if session.get(BACKEND_SESSION_KEY) in passed:
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        origin = getattr(request, "session", {}).get(SESSION_PROVIDER_ORIGIN)
        if origin and not hasattr(response, "_csp_update"):
            response._csp_update = {"form-action": [origin]}  # type: ignore[attr-defined]
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS:
            return None
        if request.session.get(SESSION_NOT_REQUIRED) or second_factor_done(request):
            return None
        if not second_factor_required(user):
            # Asked once a session: roles rarely change, and every page would pay for it.
            request.session[SESSION_NOT_REQUIRED] = True
            return None
        target = "signin:second_factor" if has_second_factor(user) else "signin:authenticator_add"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))


class OTPMiddleware(django_otp.middleware.OTPMiddleware):
    """django-otp's, reading the session's second-factor device with SQL compiled once
    (core.prepared; decision 0029): every page of someone who signed in with one reads it."""

    def _device_from_persistent_id(self, persistent_id: str) -> Any:
        persistent_id = self._normalize_persistent_id(persistent_id)
        try:
            model_label, device_id = persistent_id.rsplit("/", 1)
            model = apps.get_model(model_label)
            found_id = int(device_id)
        except (ValueError, LookupError):
            return None
        if not issubclass(model, Device):
            return None
        found = _device_read(model)(device_id=found_id)
        return found[0] if found else None


_DEVICE_READS: dict[Any, Any] = {}


def _device_read(model: Any) -> Any:
    """One compiled read per kind of device (authenticator app, backup codes, passkey)."""
    if model not in _DEVICE_READS:
        _DEVICE_READS[model] = prepared(lambda *, device_id: model.objects.filter(id=device_id)[:1])
    return _DEVICE_READS[model]
