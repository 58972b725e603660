"""How views are closed by default and opened by a rule.

Every view in Oversight is a class-based view that names the rule (a `rules` permission
declared in its app's ``rules.py``) that decides access. ``tests/test_access_table.py`` walks
every URL and fails when a view names no rule. Signed-in people without access get 403;
anonymous people are sent to sign in by Django's LoginRequiredMiddleware.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.views.generic.base import TemplateResponseMixin, View
from rules.contrib.views import PermissionRequiredMixin

from .models import AuditAction
from .services import RequestOrigin, audit_event_record

if TYPE_CHECKING:
    # The user model (AUTH_USER_MODEL, people.Person): django-stubs resolves this alias to it,
    # so core names the type without importing the people app (decision 0001).
    from django.contrib.auth.models import _User as User


class AuthenticatedHttpRequest(HttpRequest):
    """A request from someone signed in: ``user`` is our user model, never AnonymousUser.
    Every view behind ``RuleRequiredMixin`` gets one (LoginRequiredMiddleware sends anyone
    else to sign in first), so views pass ``self.request.user`` to services as the ``actor``
    without a cast. The few public views (``login_not_required``) never read ``user``."""

    user: User


class SignedInView(TemplateResponseMixin, View):
    """The base of every view and view mixin that reads ``self.request``: the request is an
    ``AuthenticatedHttpRequest``. Mixins derive from it, not from ``object``, and it derives
    from the two Django classes that declare ``request``, so the type checker sees one
    definition of ``request`` rather than several that disagree."""

    request: AuthenticatedHttpRequest


class RuleRequiredMixin(PermissionRequiredMixin, SignedInView):
    """Close a view behind one or more ``rules`` permissions, checked against the object
    returned by ``get_permission_object`` (None for list and create views)."""

    raise_exception = True

    def get_permission_object(self) -> Any:
        # Views that work on an object load it once; rules are checked against it.
        if hasattr(self, "get_object") and callable(self.get_object):
            if getattr(self, "object", None) is None:
                self.object = self.get_object()
                if self.request.method in ("GET", "HEAD"):
                    self._reuse_object(self.object)
            return self.object
        return None

    def _reuse_object(self, found: Any) -> None:
        """A page that reads (GET) shows the object its rules were checked against: Django's
        ``get()`` asks ``get_object()`` again, which read it (and everything it prefetches)
        a second time (issue 17 item 1: up to 10 queries a page). A POST still reads afresh
        after its checks, as the service it calls may change the object."""
        load = getattr(self, "get_object")  # noqa: B009 (not every view has one)

        def get_object(queryset: Any = None) -> Any:
            return found if queryset is None else load(queryset)

        setattr(self, "get_object", get_object)  # noqa: B010 (views declare their own signature)


class AuditedReadMixin(SignedInView):
    """Write an audit entry for every successful read of the view's object."""

    audit_action = AuditAction.VIEW

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)  # type: ignore[misc]
        if response.status_code == 200:
            audit_event_record(
                actor=self.request.user,
                action=self.audit_action,
                target=self.object,  # type: ignore[attr-defined]
                origin=RequestOrigin.from_request(request),
                detail=self.get_audit_detail(),
            )
        return response

    def get_audit_detail(self) -> dict[str, Any] | None:
        """What else the entry records about the read (e.g. which part of a page was shown)."""
        return None


class BreadcrumbsMixin(SignedInView):
    """Pages deeper than one level show where they sit: (label, href) pairs, last unlinked."""

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["breadcrumbs"] = self.get_breadcrumbs()
        return context
