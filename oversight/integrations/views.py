"""Pages for registering and looking after integrations (issue 16 items 2 and 4). A secret
is shown once, on the page that answers the post that made it, and never again."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, ListView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.services import RequestOrigin
from oversight.core.views import ServiceFormView
from oversight.people.models import Agency
from oversight.people.selectors import access_profile

from . import selectors, services
from .forms import IntegrationForm, ScopesForm, SubscriptionForm, SwitchOffForm
from .models import Integration, WebhookDelivery, WebhookSubscription
from .rules import Permission


def _crumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Integrations", reverse("integrations:list")), *more]


def _secret_page(
    request: HttpRequest, *, integration: Integration, heading: str, label: str, secret: str
) -> HttpResponse:
    return render(
        request,
        "integrations/secret.html",
        {
            "integration": integration,
            "heading": heading,
            "label": label,
            "secret": secret,
            "breadcrumbs": _crumbs((integration.name, None)),
        },
    )


class IntegrationListView(RuleRequiredMixin, BreadcrumbsMixin, ListView):
    permission_required = Permission.LIST_INTEGRATIONS
    template_name = "integrations/list.html"
    context_object_name = "integrations"

    def get_queryset(self) -> QuerySet[Integration]:
        return selectors.integrations_visible_to(self.request.user)


class IntegrationRegisterView(ServiceFormView):
    permission_required = Permission.REGISTER_INTEGRATION
    form_class = IntegrationForm
    template_name = "integrations/form.html"
    heading = "Register an integration"
    intro = (
        "An integration lets your agency's case-management system use Oversight's API for "
        "your agency's children, decisions, staff and sessions, and nothing of any other "
        "agency's. It gets a client id and a secret, shown once."
    )
    submit_label = "Register"

    def agencies(self) -> QuerySet[Agency]:
        profile = access_profile(self.request.user)
        found = Agency.objects.live().order_by("name")
        return found if profile.is_administrator else found.filter(pk__in=profile.led_agency_ids)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agencies": self.agencies()}

    def form_valid(self, form: Any) -> HttpResponse:
        registered = self.attempt(
            form,
            lambda: services.integration_register(
                actor=self.actor,
                agency=form.cleaned_data["agency"],
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                origin=self.origin(),
            ),
        )
        if not registered:
            return self.form_invalid(form)
        integration, secret = self.result
        return _secret_page(
            self.request,
            integration=integration,
            heading="Integration registered",
            label="Secret",
            secret=secret,
        )

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(("Register", None))


class IntegrationMixin(RuleRequiredMixin, BreadcrumbsMixin):
    permission_required = Permission.MANAGE_INTEGRATION
    kwargs: dict[str, Any]

    def get_object(self) -> Integration:
        return get_object_or_404(
            Integration.objects.live().select_related("agency", "service_person"),
            pk=self.kwargs["pk"],
        )

    def origin(self) -> RequestOrigin:
        return RequestOrigin.from_request(self.request)


class IntegrationDetailView(IntegrationMixin, DetailView):  # type: ignore[misc]
    template_name = "integrations/detail.html"
    context_object_name = "integration"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["subscriptions"] = selectors.subscriptions_of(self.object)
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs((self.object.name, None))


class IntegrationRotateView(IntegrationMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        integration = self.get_permission_object()
        try:
            secret = services.integration_secret_rotate(
                actor=self.request.user,
                integration=integration,
                origin=self.origin(),
            )
        except ValidationError:
            return HttpResponseRedirect(reverse("integrations:list"))
        return _secret_page(
            request,
            integration=integration,
            heading="New secret",
            label="Secret",
            secret=secret,
        )


class IntegrationScopesView(IntegrationMixin, ServiceFormView):
    form_class = ScopesForm
    template_name = "integrations/form.html"
    heading = "Change what it may do"
    success_message = "Saved."

    def get_initial(self) -> dict[str, Any]:
        integration = self.get_permission_object()
        return {"scopes": integration.scopes, "version": integration.version}

    def perform(self, form: Any) -> Any:
        return services.integration_scopes_change(
            actor=self.actor,
            integration=self.object,
            scopes=form.cleaned_data["scopes"],
            expected_version=form.cleaned_data.get("version"),
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("integrations:detail", args=[self.object.pk])


class IntegrationSwitchOffView(IntegrationMixin, ServiceFormView):
    form_class = SwitchOffForm
    template_name = "integrations/form.html"
    heading = "Switch off this integration"
    intro = "Its calls are refused and nothing more is sent to it. Its history is kept."
    submit_label = "Switch off"
    success_message = "Switched off."

    def perform(self, form: Any) -> Any:
        return services.integration_switch_off(
            actor=self.actor,
            integration=self.object,
            reason=form.cleaned_data["reason"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("integrations:list")


class SubscriptionAddView(IntegrationMixin, ServiceFormView):
    form_class = SubscriptionForm
    template_name = "integrations/form.html"
    heading = "Send events to the case system"
    intro = (
        "Each event is sent as a signed POST with ids, dates and what changed: never what "
        "was discussed and never anything about wellbeing."
    )
    submit_label = "Subscribe"

    def form_valid(self, form: Any) -> HttpResponse:
        integration = self.object
        subscribed = self.attempt(
            form,
            lambda: services.webhook_subscribe(
                actor=self.actor,
                integration=integration,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                origin=self.origin(),
            ),
        )
        if not subscribed:
            return self.form_invalid(form)
        _, secret = self.result
        return _secret_page(
            self.request,
            integration=integration,
            heading="Subscribed",
            label="Signing secret",
            secret=secret,
        )


class SubscriptionMixin(IntegrationMixin):
    def get_object(self) -> Any:
        subscription = get_object_or_404(
            WebhookSubscription.objects.live().select_related("integration__agency"),
            pk=self.kwargs["pk"],
        )
        self.subscription = subscription
        return subscription.integration


class SubscriptionRotateView(SubscriptionMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        integration = self.get_permission_object()
        secret = services.webhook_secret_rotate(
            actor=self.request.user,
            subscription=self.subscription,
            origin=self.origin(),
        )
        return _secret_page(
            request,
            integration=integration,
            heading="New signing secret",
            label="Signing secret",
            secret=secret,
        )


class DeliveryListView(IntegrationMixin, ListView):
    template_name = "integrations/deliveries.html"
    context_object_name = "deliveries"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        return selectors.deliveries_of(self.get_permission_object())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["integration"] = self.object
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            (self.object.name, reverse("integrations:detail", args=[self.object.pk])),
            ("Deliveries", None),
        )


class DeliveryResendView(IntegrationMixin, View):
    def get_object(self) -> Integration:
        self.delivery = get_object_or_404(
            WebhookDelivery.objects.select_related("subscription__integration"),
            pk=self.kwargs["pk"],
        )
        return self.delivery.subscription.integration

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        integration = self.get_permission_object()
        from django.contrib import messages

        try:
            services.webhook_delivery_resend(
                actor=self.request.user,
                delivery=self.delivery,
                origin=self.origin(),
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Sent again.")
        return HttpResponseRedirect(reverse("integrations:deliveries", args=[integration.pk]))
