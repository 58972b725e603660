"""Who is calling and what they may do: a hashed API key in ``Authorization: Bearer
<client id>.<secret>`` names an integration; each endpoint needs one scope; calls are
counted per client (DRF throttling with the cache)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from ..models import Integration
from ..selectors import integration_by_client_id

INVALID = "Send a valid API key: Authorization: Bearer <client id>.<secret>."


class IntegrationAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Integration] | None:
        parts = get_authorization_header(request).split()
        if not parts:
            return None
        if parts[0].lower() != b"bearer" or len(parts) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        try:
            client_id, _, secret = parts[1].decode("ascii").partition(".")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(INVALID) from error
        if not secret or "\x00" in client_id:
            raise exceptions.AuthenticationFailed(INVALID)
        integration = integration_by_client_id(client_id)
        if integration is None or not integration.secret_matches(secret):
            raise exceptions.AuthenticationFailed(INVALID)
        return integration.service_person, integration

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class HasScope(BasePermission):
    """The view names the scope each method needs (``scopes = {"GET": "children:read"}``)."""

    message = "This integration has not been given the scope this call needs."

    def has_permission(self, request: Request, view: Any) -> bool:
        integration = request.auth
        if not isinstance(integration, Integration):
            raise exceptions.NotAuthenticated(INVALID)
        scope = view.scopes.get(request.method) or view.scopes.get("GET")
        if scope is None or not integration.has_scope(scope):
            self.message = f"This integration does not have the {scope} scope."
            return False
        return True


class PerClientThrottle(SimpleRateThrottle):
    """``API_RATE`` calls per client (default 1200 a minute), counted in the cache."""

    scope = "integration"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        integration = request.auth
        if not isinstance(integration, Integration):
            return None
        return f"throttle:integration:{integration.client_id}"


class IntegrationAuthScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document describes the API key."""

    target_class = IntegrationAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Authorization: Bearer <client id>.<secret>",
        }
