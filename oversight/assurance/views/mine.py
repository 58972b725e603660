"""Your supervisees and reports: the last and next session of each, most overdue first (issue
12 item 1: the detail behind the home page's count; issue 5 item 2)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.views.generic import TemplateView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin

from ..home import my_people_context
from ..rules import Permission


class MyPeopleView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    permission_required = Permission.VIEW_MY_PEOPLE
    template_name = "assurance/my_people.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["c"] = my_people_context(self.request.user, shown=None)
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [("Home", reverse("home")), ("Your supervisees and reports", None)]
