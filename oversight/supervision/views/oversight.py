"""Management oversight records (issue 3 item 6), confirming a decision is on the child's file
(seed 001 standard 6), and the private calendar feed (issue 3 item 3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from oversight.core.access import AuditedReadMixin, BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.forms import apply_service_error
from oversight.people.selectors import access_profile

from .. import selectors, services
from ..calendar import session_ics
from ..forms import DecisionOnFileForm, ManagementOversightForm
from ..models import Decision, ManagementOversight
from .base import origin


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("home")), *items]


class ManagementOversightListView(RuleRequiredMixin, BreadcrumbsMixin, ListView):
    permission_required = "supervision.list_management_oversight"
    template_name = "supervision/oversight_list.html"
    context_object_name = "oversights"
    paginate_by = 50

    def get_queryset(self) -> Any:
        user = self.request.user
        return selectors.management_oversight_visible_to(user, access_profile(user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_record"] = self.request.user.has_perm(
            "supervision.record_management_oversight"
        )
        context["awaiting_file"] = list(selectors.decisions_awaiting_file(self.request.user)[:50])
        context["today"] = timezone.localdate()
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Supervision", reverse("supervision:session_list")), ("Management oversight", None)
        )


class ManagementOversightCreateView(RuleRequiredMixin, BreadcrumbsMixin, FormView):
    permission_required = "supervision.record_management_oversight"
    template_name = "supervision/form_page.html"
    form_class = ManagementOversightForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["children"] = selectors.children_overseen_by(user, access_profile(user))
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"made_on": timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            page_title="Record management oversight",
            button="Save the record",
            intro="A management oversight decision about a child, kept apart from reflective "
            "supervision records. Give the rationale and any variation from procedure.",
            back_url=reverse("supervision:oversight_list"),
        )
        return context

    def form_valid(self, form: ManagementOversightForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            oversight = services.management_oversight_record(
                actor=self.request.user,  # type: ignore[arg-type]
                child=data["child"],
                made_on=data["made_on"],
                summary=data.get("summary") or "",
                decisions=[
                    services.DecisionInput(
                        decision=data["decision"],
                        rationale=data["rationale"],
                        variation_from_procedure=data.get("variation_from_procedure") or "",
                        immediate_concern=bool(data.get("immediate_concern")),
                    )
                ],
                origin=origin(self.request),
            )
        except ValidationError as error:
            apply_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Management oversight recorded.")
        return HttpResponseRedirect(reverse("supervision:oversight_detail", args=[oversight.pk]))

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Supervision", reverse("supervision:session_list")),
            ("Management oversight", reverse("supervision:oversight_list")),
            ("Record management oversight", None),
        )


class ManagementOversightDetailView(
    RuleRequiredMixin, AuditedReadMixin, BreadcrumbsMixin, DetailView
):
    permission_required = "supervision.view_management_oversight"
    template_name = "supervision/oversight_detail.html"
    context_object_name = "oversight"

    def get_object(self, queryset: Any = None) -> ManagementOversight:
        return get_object_or_404(
            ManagementOversight.objects.live()
            .select_related("child", "made_by", "agency", "session")
            .prefetch_related("decisions"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["decisions"] = [
            (d, user.has_perm("supervision.confirm_decision_on_file", d))
            for d in self.object.decisions.all()
        ]
        context["today"] = timezone.localdate()
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Supervision", reverse("supervision:session_list")),
            ("Management oversight", reverse("supervision:oversight_list")),
            (str(self.object.child.display_name), None),
        )


class DecisionOnFileView(RuleRequiredMixin, BreadcrumbsMixin, FormView):
    """The practitioner confirms the decision is on the child's own file (seed 001 standard 6:
    within two working days)."""

    permission_required = "supervision.confirm_decision_on_file"
    template_name = "supervision/decision_on_file.html"
    form_class = DecisionOnFileForm
    object: Any = None

    def get_object(self) -> Decision:
        return get_object_or_404(
            Decision.objects.live().select_related(
                "child",
                "decided_by",
                "recorded_on_file_by",
                "case_discussion__record__session",
                "management_oversight",
            ),
            pk=self.kwargs["pk"],
        )

    def get_initial(self) -> dict[str, Any]:
        return {"recorded_on": timezone.localdate()}

    def back_url(self) -> str:
        decision = self.object
        if decision.case_discussion_id:
            session_id = decision.case_discussion.record.session_id
            return (
                reverse("supervision:record", args=[session_id])
                + f"#discussion-{decision.case_discussion_id}"
            )
        if decision.management_oversight_id:
            return reverse("supervision:oversight_detail", args=[decision.management_oversight_id])
        return reverse("supervision:oversight_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(decision=self.object, back_url=self.back_url(), today=timezone.localdate())
        return context

    def form_valid(self, form: DecisionOnFileForm) -> HttpResponse:
        try:
            services.decision_record_on_file(
                actor=self.request.user,  # type: ignore[arg-type]
                decision=self.object,
                recorded_at=form.recorded_at(),
                case_system_reference=form.cleaned_data["case_system_reference"],
                origin=origin(self.request),
            )
        except ValidationError as error:
            apply_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Recorded as on the child's file.")
        return HttpResponseRedirect(self.back_url())

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Supervision", reverse("supervision:session_list")),
            ("Management oversight", reverse("supervision:oversight_list")),
            ("Decision on the child's file", None),
        )


class CalendarView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    """Each person's private calendar feed address, which they can replace or turn off."""

    permission_required = "supervision.manage_calendar"
    template_name = "supervision/calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        token = self.request.user.calendar_token  # type: ignore[union-attr]
        context["feed_url"] = (
            self.request.build_absolute_uri(reverse("supervision:calendar_feed", args=[token]))
            if token
            else ""
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            services.calendar_token_revoke(actor=request.user, origin=origin(request))  # type: ignore[arg-type]
            messages.success(
                request, "Your calendar feed is turned off. The old address no longer works."
            )
        else:
            services.calendar_token_rotate(actor=request.user, origin=origin(request))  # type: ignore[arg-type]
            messages.success(
                request, "You have a new calendar feed address. Any old address no longer works."
            )
        return HttpResponseRedirect(reverse("supervision:calendar"))

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Supervision", reverse("supervision:session_list")), ("Calendar feed", None)
        )


@method_decorator(login_not_required, name="dispatch")
class CalendarFeedView(RuleRequiredMixin, View):
    """A person's planned sessions for their calendar program. Calendar programs cannot sign
    in, so the secret token in the address is the key: a missing or wrong token is 404. The
    rule always allows (rules.always); the token is the check."""

    permission_required = "supervision.view_calendar_feed"
    public = True

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        person = selectors.person_by_calendar_token(token)
        if person is None:
            raise Http404("No such calendar")
        sessions = selectors.sessions_upcoming(person, now=timezone.now() - dt.timedelta(days=30))
        body = session_ics(sessions, request=request, name="Supervision sessions")
        return HttpResponse(body, content_type="text/calendar")
