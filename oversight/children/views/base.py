"""Shared pieces of the children views: a form view that calls a service and shows its
validation errors in the error summary, keeping what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.services import RequestOrigin
from oversight.people.models import Agency, Membership, Person
from oversight.people.selectors import access_profile

from ..rules import STAFF_ROLES


def add_service_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ServiceFormView(RuleRequiredMixin, BreadcrumbsMixin, FormView):
    """A form whose valid submission calls ``perform(form)``; a ValidationError from the
    service goes back to the form. Set ``success_message``; ``get_success_url`` as usual."""

    template_name = "children/form.html"
    success_message = ""
    heading = ""
    submit_label = "Save"
    intro = ""

    def origin(self) -> RequestOrigin:
        return RequestOrigin.from_request(self.request)

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(heading=self.heading, submit_label=self.submit_label, intro=self.intro)
        return context


def today() -> Any:
    return timezone.localdate()


def staff_agencies(user: Any) -> QuerySet[Agency]:
    profile = access_profile(user)
    ids: set[int] = set()
    for role in STAFF_ROLES:
        ids |= profile.agencies_with_role(role)
    return Agency.objects.live().filter(pk__in=ids).order_by("name")


def allocatable_people(user: Any) -> QuerySet[Person]:
    """People the viewer may allocate a child to: themselves, their supervisees and reports,
    and, for an agency lead, everyone with a current post in the agency."""
    profile = access_profile(user)
    scope = Q(pk__in={profile.person_id} | set(profile.supervisee_ids) | set(profile.report_ids))
    if profile.led_agency_ids:
        scope |= Q(
            pk__in=Membership.objects.current()
            .filter(agency_id__in=profile.led_agency_ids)
            .values("person_id")
        )
    return Person.objects.filter(scope, is_active=True).order_by("family_name", "given_name")


def home_crumb() -> tuple[str, str | None]:
    return ("Home", reverse("home"))


def children_crumb() -> tuple[str, str | None]:
    return ("Children", reverse("children:child_list"))
