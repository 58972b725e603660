"""One form view for every administration page: a valid form calls a service; the service's
ValidationError (including a stale edit) goes back into the form's error summary and the
page is shown again with everything that was typed."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.services import RequestOrigin, StaleEditError

from ..models import Person

MANAGE = "people.manage_organisation"


def add_service_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ServiceFormView(RuleRequiredMixin, BreadcrumbsMixin, FormView):
    """Subclasses set ``form_class``, ``heading`` and ``perform(form)``; object pages also set
    ``model`` (the URL's ``pk`` is loaded once, before the access check)."""

    permission_required = MANAGE
    template_name = "people/manage/form.html"
    model: Any = None
    heading = ""
    intro = ""
    submit_label = "Save"
    success_message = ""
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

    def origin(self) -> RequestOrigin:
        return RequestOrigin.from_request(self.request)

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.result = self.perform(form)
        except StaleEditError as error:
            # Keep what was typed; a deliberate second save applies it over the newer version.
            current = self.get_queryset().only("version").get(pk=self.object.pk)
            form.data = form.data.copy()
            form.data["version"] = str(current.version)
            add_service_errors(form, error)
            return self.form_invalid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message.format(result=self.result))
        return HttpResponseRedirect(self.get_success_url())

    def get_heading(self) -> str:
        return self.heading

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
        context.update(
            heading=self.get_heading(),
            intro=self.intro,
            submit_label=self.submit_label,
            object=getattr(self, "object", None),
        )
        return context
