"""The full pages behind the home page's "what needs you today" (issue 12 item 1): the records
waiting to be signed, one list, and the person's open actions."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.overdue import mark_overdue
from oversight.people.selectors import access_profile

from .. import selectors
from ..rules import Permission, mark_viewer_roles


class RecordsToSignView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    permission_required = Permission.LIST_RECORDS_TO_SIGN
    template_name = "supervision/records_to_sign.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        day = timezone.localdate()
        profile = access_profile(user)
        mine, others = selectors.records_to_sign(
            user, supervisee_ids=profile.supervisee_ids, today=day
        )
        context["mine"] = mark_overdue(mine, day)
        context["others"] = mark_overdue(others, day)
        mark_viewer_roles([r.session for r in [*mine, *others]], user)
        context["overdue"] = sum(1 for r in [*mine, *others] if r.is_overdue_on(day))
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [("Home", reverse("home")), ("Records to sign", None)]


class ActionListView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    permission_required = Permission.LIST_ACTIONS
    template_name = "supervision/action_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = timezone.localdate()
        actions = mark_overdue(selectors.actions_open_for(self.request.user), day)
        context["actions"] = actions
        context["overdue"] = sum(1 for a in actions if a.is_overdue_on(day))
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [("Home", reverse("home")), ("Your actions", None)]
