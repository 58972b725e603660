"""The administration pages' form view: core's ServiceFormView (a valid form calls a service;
its ValidationError, a stale edit included, goes back into the error summary with everything
typed kept) on the people app's template, rule and breadcrumbs."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, cast

from django.shortcuts import get_object_or_404
from django.urls import reverse

from oversight.core.views import ServiceFormView

from ..models import Person
from ..rules import Permission


class ManageFormView(ServiceFormView):
    """Subclasses set ``form_class``, ``heading`` and ``perform(form)``; object pages also set
    ``model`` (the URL's ``pk`` is loaded once, before the access check)."""

    # Another app's administration form (signin's providers) names its own app's rule.
    permission_required: StrEnum = Permission.MANAGE_ORGANISATION
    template_name = "people/manage/form.html"
    model: Any = None
    section: tuple[str, str] | None = ("Administration", "people:manage_index")

    def get_queryset(self) -> Any:
        return self.model._default_manager.all()

    def get_object(self) -> Any:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_permission_object(self) -> Any:
        if self.model is None:
            return None
        return super().get_permission_object()

    @property
    def actor(self) -> Person:
        return cast(Person, self.request.user)

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        crumbs: list[tuple[str, str | None]] = [("Home", reverse("home"))]
        if self.section:
            crumbs.append((self.section[0], reverse(self.section[1])))
        crumbs.extend(self.extra_crumbs())
        crumbs.append((self.get_heading(), None))
        return crumbs

    def extra_crumbs(self) -> list[tuple[str, str | None]]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object"] = getattr(self, "object", None)
        return context
