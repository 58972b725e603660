"""Management oversight records (issue 3 item 6), confirming a decision is on the child's file
(seed 001 standard 6), and the private calendar feed (issue 3 item 3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from oversight.children.selectors import caseload_of
from oversight.core.access import AuditedReadMixin, BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.overdue import mark_overdue
from oversight.core.views import ServiceFormView
from oversight.people.models import Agency
from oversight.people.selectors import access_profile

from .. import selectors, services
from ..calendar import session_ics
from ..forms import DecisionOnFileForm, ManagementOversightForm
from ..models import Decision, ManagementOversight
from ..rules import Permission
from .base import origin


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("home")), *items]


class ManagementOversightListView(RuleRequiredMixin, BreadcrumbsMixin, ListView):
    permission_required = Permission.LIST_MANAGEMENT_OVERSIGHT
    template_name = "supervision/oversight_list.html"
    context_object_name = "oversights"
    paginate_by = 50

    def get_queryset(self) -> Any:
        user = self.request.user
        return selectors.management_oversight_visible_to(user, access_profile(user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_record"] = self.request.user.has_perm(Permission.RECORD_MANAGEMENT_OVERSIGHT)
        context["awaiting_file"] = mark_overdue(
            selectors.decisions_awaiting_file(self.request.user)[:50], timezone.localdate()
        )
        # Issue 15 item 2: decisions waiting for the viewer's authorisation, and where the
        # agency's lead chooses which kinds need it.
        context["to_authorise"] = selectors.decisions_awaiting_authorisation_by(self.request.user)
        profile = access_profile(self.request.user)
        context["policy_agencies"] = Agency.objects.filter(pk__in=profile.led_agency_ids).order_by(
            "name"
        )
        context["can_see_shortfalls"] = self.request.user.has_perm(Permission.LIST_SHORTFALLS)
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Supervision", reverse("supervision:session_list")), ("Management oversight", None)
        )


class ManagementOversightCreateView(ServiceFormView):
    permission_required = Permission.RECORD_MANAGEMENT_OVERSIGHT
    template_name = "supervision/form_page.html"
    form_class = ManagementOversightForm
    success_message = "Management oversight recorded."

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

    def perform(self, form: ManagementOversightForm) -> Any:
        data = form.cleaned_data
        return services.management_oversight_record(
            actor=self.actor,
            child=data["child"],
            made_on=data["made_on"],
            summary=data.get("summary") or "",
            decisions=[
                services.DecisionInput(
                    decision=data["decision"],
                    rationale=data["rationale"],
                    variation_from_procedure=data.get("variation_from_procedure") or "",
                    immediate_concern=bool(data.get("immediate_concern")),
                    kind=data.get("kind") or "other",
                )
            ],
            submission_token=data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("supervision:oversight_detail", args=[self.result.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Supervision", reverse("supervision:session_list")),
            ("Management oversight", reverse("supervision:oversight_list")),
            ("Record management oversight", None),
        )


class ManagementOversightDetailView(
    RuleRequiredMixin, AuditedReadMixin, BreadcrumbsMixin, DetailView
):
    permission_required = Permission.VIEW_MANAGEMENT_OVERSIGHT
    template_name = "supervision/oversight_detail.html"
    context_object_name = "oversight"

    def get_object(self, queryset: Any = None) -> ManagementOversight:
        return get_object_or_404(
            ManagementOversight.objects.live()
            .select_related("child__allocated_practitioner", "made_by", "agency", "session")
            .prefetch_related("decisions"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["decisions"] = [
            (d, user.has_perm(Permission.CONFIRM_DECISION_ON_FILE, d))
            for d in mark_overdue(self.object.decisions.all(), timezone.localdate())
        ]
        # Issue 15 items 1 and 4: the oversight's own actions, and the practitioner's caseload.
        actions = mark_overdue(selectors.oversight_actions(self.object), timezone.localdate())
        for action in actions:
            action.origin_oversight = self.object
        context["actions"] = [
            (a, user.has_perm(Permission.CHECK_OVERSIGHT_ACTION, a)) for a in actions
        ]
        context["can_add_action"] = user.has_perm(Permission.ADD_OVERSIGHT_ACTION, self.object)
        practitioner = self.object.child.allocated_practitioner
        context["practitioner"] = practitioner
        context["caseload"] = caseload_of(practitioner.pk) if practitioner else None
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Supervision", reverse("supervision:session_list")),
            ("Management oversight", reverse("supervision:oversight_list")),
            (str(self.object.child.display_name), None),
        )


class DecisionOnFileView(ServiceFormView):
    """The practitioner confirms the decision is on the child's own file (seed 001 standard 6:
    within two working days)."""

    permission_required = Permission.CONFIRM_DECISION_ON_FILE
    template_name = "supervision/decision_on_file.html"
    form_class = DecisionOnFileForm
    success_message = "Recorded as on the child's file."
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
        context.update(
            decision=self.object,
            back_url=self.back_url(),
            overdue=self.object.is_overdue_on(timezone.localdate()),
        )
        return context

    def perform(self, form: DecisionOnFileForm) -> Any:
        return services.decision_record_on_file(
            actor=self.actor,
            decision=self.object,
            recorded_at=form.recorded_at(),
            case_system_reference=form.cleaned_data["case_system_reference"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return self.back_url()

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Supervision", reverse("supervision:session_list")),
            ("Management oversight", reverse("supervision:oversight_list")),
            ("Decision on the child's file", None),
        )


class CalendarView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    """Each person's private calendar feed address, which they can replace or turn off."""

    permission_required = Permission.MANAGE_CALENDAR
    template_name = "supervision/calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        token = self.request.user.calendar_token
        context["feed_url"] = (
            self.request.build_absolute_uri(reverse("supervision:calendar_feed", args=[token]))
            if token
            else ""
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            services.calendar_token_revoke(actor=self.request.user, origin=origin(request))
            messages.success(
                request, "Your calendar feed is turned off. The old address no longer works."
            )
        else:
            services.calendar_token_rotate(actor=self.request.user, origin=origin(request))
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

    permission_required = Permission.VIEW_CALENDAR_FEED
    public = True

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        person = selectors.person_by_calendar_token(token)
        if person is None:
            raise Http404("No such calendar")
        sessions = selectors.sessions_upcoming(person, now=timezone.now() - dt.timedelta(days=30))
        body = session_ics(sessions, request=request, name="Supervision sessions")
        return HttpResponse(body, content_type="text/calendar")
