"""The notifications page, marking done and the preferences page (issue 11 item 2). Each
works without JavaScript: marking done is a form that posts and comes back to the list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.views import ServiceFormView

from . import selectors, services
from .forms import PreferencesForm
from .models import Notification
from .rules import Permission


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("home")), *extra]


class NotificationListView(RuleRequiredMixin, BreadcrumbsMixin, ListView):
    permission_required = Permission.VIEW_OWN
    template_name = "notifications/list.html"
    context_object_name = "notifications"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Notification]:
        self.show_done = self.request.GET.get("show") == "all"
        return selectors.notifications_for(self.request.user, show_done=self.show_done)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["show_done"] = self.show_done
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(("Notifications", None))


class NotificationDoneView(RuleRequiredMixin, View):
    permission_required = Permission.MARK_DONE
    http_method_names = ["post"]
    object: Notification | None = None

    def get_object(self) -> Notification:
        return get_object_or_404(Notification, pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        notification = self.object or self.get_object()
        services.notification_mark_done(actor=self.request.user, notification=notification)
        messages.success(request, "Marked as done.")
        return HttpResponseRedirect(reverse("notifications:list"))


class NotificationAllDoneView(RuleRequiredMixin, View):
    permission_required = Permission.VIEW_OWN
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        count = services.notifications_mark_all_done(actor=self.request.user)
        messages.success(request, f"{count} marked as done.")
        return HttpResponseRedirect(reverse("notifications:list"))


class PreferencesView(ServiceFormView):
    permission_required = Permission.CHANGE_PREFERENCES
    template_name = "notifications/preferences.html"
    form_class = PreferencesForm
    heading = "Choose which emails you get"
    submit_label = "Save choices"
    success_message = "Your choices are saved."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "rows": selectors.preferences_for(self.request.user)}

    def perform(self, form: Any) -> None:
        services.preferences_update(actor=self.actor, choices=form.choices())

    def get_success_url(self) -> str:
        return reverse("notifications:preferences")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(("Notifications", reverse("notifications:list")), ("Your choices", None))
