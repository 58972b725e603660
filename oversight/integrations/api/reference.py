"""The OpenAPI document and its reference page, for people signed in who register
integrations (leads and administrators). Swagger UI's files come from
drf-spectacular-sidecar, served as our own static files: nothing from a CDN."""

from __future__ import annotations

from typing import Any

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from ..rules import Permission


class ReadsApiReference(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.has_perm(Permission.VIEW_API_REFERENCE))


class SchemaView(SpectacularAPIView):
    permission_required = Permission.VIEW_API_REFERENCE
    authentication_classes = [SessionAuthentication]
    permission_classes = [ReadsApiReference]
    throttle_classes: list[Any] = []


class ReferenceView(SpectacularSwaggerSplitView):
    permission_required = Permission.VIEW_API_REFERENCE
    authentication_classes = [SessionAuthentication]
    permission_classes = [ReadsApiReference]
    throttle_classes: list[Any] = []
    template_name = "integrations/api_reference.html"
    url_name = "api:schema"
