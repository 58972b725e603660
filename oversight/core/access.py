"""How views are closed by default and opened by a rule.

Every view in Oversight is a class-based view that names the rule (a `rules` permission
declared in its app's ``rules.py``) that decides access. ``tests/test_access_table.py`` walks
every URL and fails when a view names no rule. Signed-in people without access get 403;
anonymous people are sent to sign in by Django's LoginRequiredMiddleware.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rules.contrib.views import PermissionRequiredMixin

from .models import AuditAction
from .services import RequestOrigin, audit_event_record


class RuleRequiredMixin(PermissionRequiredMixin):
    """Close a view behind one or more ``rules`` permissions, checked against the object
    returned by ``get_permission_object`` (None for list and create views)."""

    raise_exception = True
    request: HttpRequest

    def get_permission_object(self) -> Any:
        # Views that work on an object load it once; rules are checked against it.
        if hasattr(self, "get_object") and callable(self.get_object):
            if getattr(self, "object", None) is None:
                self.object = self.get_object()
            return self.object
        return None


class AuditedReadMixin:
    """Write an audit entry for every successful read of the view's object."""

    request: HttpRequest
    audit_action = AuditAction.VIEW

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)  # type: ignore[misc]
        if response.status_code == 200:
            audit_event_record(
                actor=request.user,  # type: ignore[arg-type]
                action=self.audit_action,
                target=self.object,  # type: ignore[attr-defined]
                origin=RequestOrigin.from_request(request),
                detail=self.get_audit_detail(),
            )
        return response

    def get_audit_detail(self) -> dict[str, Any] | None:
        """What else the entry records about the read (e.g. which part of a page was shown)."""
        return None


class BreadcrumbsMixin:
    """Pages deeper than one level show where they sit: (label, href) pairs, last unlinked."""

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["breadcrumbs"] = self.get_breadcrumbs()
        return context
