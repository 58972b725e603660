"""Pages for raising concerns: escalations and professional disagreement (seed 004 objective
7), urgent discussion requests, confidentiality disclosures (seed 003), concerns about
supervision itself (seed 001 "Quality Assurance"), and decisions waiting for the child's file
(seed 001 standard 6)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from oversight.core.access import AuditedReadMixin, BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.overdue import mark_overdue
from oversight.core.paging import KeysFirst
from oversight.core.services import RequestOrigin
from oversight.people.models import Agency, LineManagement, Person, SupervisionRelationship
from oversight.people.selectors import access_profile

from .. import selectors, services
from ..forms import (
    ConcernFilterForm,
    DisclosureForm,
    EscalationEscalateForm,
    EscalationForm,
    EscalationRespondForm,
    OneToOneForm,
    QualityConcernForm,
    ThreeWayForm,
    UrgentRequestForm,
    UrgentRespondForm,
)
from ..models import (
    ESCALATION_ORDER,
    ConcernStage,
    ConfidentialityDisclosure,
    Escalation,
    EscalationStatus,
    QualityConcern,
    UrgentDiscussionRequest,
)
from ..rules import Permission, leads_agency
from .base import ChildrenFormView, children_crumb, home_crumb, staff_agencies, today


def _escalations_crumb() -> tuple[str, str | None]:
    return ("Escalations", reverse("children:escalation_list"))


def _my_supervisors(user: Any) -> Any:
    return Person.objects.filter(
        pk__in=SupervisionRelationship.objects.current()
        .filter(supervisee=user)
        .values("supervisor_id")
    ).order_by("family_name")


def _agency_of_relationship(user: Any, supervisor: Person) -> Agency:
    relationship = (
        SupervisionRelationship.objects.current()
        .filter(supervisee=user, supervisor=supervisor)
        .select_related("agency")
        .first()
    )
    assert relationship is not None
    return relationship.agency


# --- Escalations ----------------------------------------------------------------------------


class EscalationListView(RuleRequiredMixin, BreadcrumbsMixin, ListView):
    permission_required = Permission.LIST_ESCALATIONS
    template_name = "children/escalation_list.html"
    context_object_name = "escalations"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return selectors.escalations_for(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = mark_overdue(context["escalations"], today())
        for e in rows:
            # "Your agency": the response asked for is from an agency the viewer leads.
            e.about_led_agency = leads_agency(user, e.about_agency)
        context["escalations"] = context["object_list"] = rows
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), ("Escalations", None)]


class EscalationCreateView(ChildrenFormView):
    permission_required = Permission.RAISE_ESCALATION
    form_class = EscalationForm
    heading = "Raise an escalation"
    intro = (
        "Use this when you are worried about a child's situation or plan, or when you disagree "
        "with another agency's response. Say what you have already tried."
    )
    submit_label = "Raise escalation"
    success_message = "Escalation raised."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        own = staff_agencies(self.request.user)
        kwargs["children"] = selectors.children_visible_to(self.request.user).filter(agency__in=own)
        kwargs["agencies"] = Agency.objects.live().exclude(pk__in=own).order_by("name")
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"level": ESCALATION_ORDER[0], "subject": "child"}
        child_id = self.request.GET.get("child")
        if child_id and child_id.isdigit():
            initial["child"] = int(child_id)
        return initial

    def perform(self, form: EscalationForm) -> Escalation:
        data = form.cleaned_data
        child = data.get("child")
        agency = child.agency if child else staff_agencies(self.request.user).first()
        return services.escalation_raise(
            actor=self.request.user,
            agency=agency,  # type: ignore[arg-type]
            subject=data["subject"],
            child=child,
            about_agency=data.get("about_agency"),
            reason=data["reason"],
            what_was_tried=data["what_was_tried"],
            level=data["level"],
            submission_token=data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("children:escalation_detail", args=[self.result.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), _escalations_crumb(), ("Raise an escalation", None)]


class EscalationMixin:
    kwargs: dict[str, Any]
    object: Any = None

    def get_object(self) -> Escalation:
        get_object_or_404(Escalation.objects.live().only("pk"), pk=self.kwargs["pk"])
        return selectors.escalation_detail(escalation_id=self.kwargs["pk"])

    def get_success_url(self) -> str:
        return reverse("children:escalation_detail", args=[self.object.pk])

    def escalation_crumbs(self, last: str) -> list[tuple[str, str | None]]:
        return [
            home_crumb(),
            _escalations_crumb(),
            (f"Escalation {self.object.pk}", self.get_success_url()),
            (last, None),
        ]


class EscalationDetailView(
    EscalationMixin, RuleRequiredMixin, AuditedReadMixin, BreadcrumbsMixin, DetailView
):
    permission_required = Permission.VIEW_ESCALATION
    template_name = "children/escalation_detail.html"
    context_object_name = "escalation"

    def get_object(self, queryset: Any = None) -> Escalation:
        return EscalationMixin.get_object(self)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        escalation = self.object
        user = self.request.user
        is_open = escalation.status == EscalationStatus.OPEN
        current_step = selectors.current_step(escalation)
        context.update(
            current_step=current_step,
            current_step_overdue=current_step is not None and current_step.is_overdue_on(today()),
            show_child=escalation.child is not None
            and user.has_perm(Permission.VIEW_CHILD, escalation.child),
            can_respond=is_open and user.has_perm(Permission.RESPOND_ESCALATION, escalation),
            can_escalate=is_open
            and escalation.level != ESCALATION_ORDER[-1]
            and user.has_perm(Permission.VIEW_ESCALATION, escalation),
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), _escalations_crumb(), (f"Escalation {self.object.pk}", None)]


class EscalationRespondView(EscalationMixin, ChildrenFormView):
    permission_required = Permission.RESPOND_ESCALATION
    form_class = EscalationRespondForm
    heading = "Respond to the escalation"
    submit_label = "Save response"
    success_message = "Response saved."

    def perform(self, form: EscalationRespondForm) -> Any:
        data = form.cleaned_data
        if data["action"] == "resolve":
            return services.escalation_resolve(
                escalation=self.object,
                actor=self.request.user,
                outcome=data["text"],
                origin=self.origin(),
            )
        return services.escalation_acknowledge(
            escalation=self.object,
            actor=self.request.user,
            response=data["text"],
            origin=self.origin(),
        )

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.escalation_crumbs("Respond")


class EscalationEscalateView(EscalationMixin, ChildrenFormView):
    permission_required = Permission.VIEW_ESCALATION
    form_class = EscalationEscalateForm
    heading = "Escalate to the next level"
    submit_label = "Escalate"
    success_message = "Escalated to the next level."

    def perform(self, form: EscalationEscalateForm) -> Any:
        return services.escalation_escalate(
            escalation=self.object,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
            origin=self.origin(),
        )

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.escalation_crumbs("Escalate")


# --- Urgent discussion ----------------------------------------------------------------------


class UrgentRequestCreateView(ChildrenFormView):
    permission_required = Permission.REQUEST_URGENT
    form_class = UrgentRequestForm
    heading = "Ask for an urgent discussion"
    intro = (
        "Your supervisor sees this at the top of their home page straight away. If a child is "
        "in immediate danger, follow your agency's emergency procedure first."
    )
    submit_label = "Send request"
    success_message = "Your supervisor has been asked for an urgent discussion."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["supervisors"] = _my_supervisors(self.request.user)
        kwargs["children"] = selectors.children_visible_to(self.request.user).filter(
            allocated_practitioner_id=self.request.user.pk
        )
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        supervisors = list(_my_supervisors(self.request.user)[:2])
        return {"supervisor": supervisors[0].pk} if len(supervisors) == 1 else {}

    def perform(self, form: UrgentRequestForm) -> Any:
        data = form.cleaned_data
        return services.urgent_request_make(
            actor=self.request.user,
            supervisor=data["supervisor"],
            agency=_agency_of_relationship(self.request.user, data["supervisor"]),
            child=data.get("child"),
            concern=data["concern"],
            submission_token=data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("home")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), ("Ask for an urgent discussion", None)]


class UrgentRequestRespondView(ChildrenFormView):
    permission_required = Permission.RESPOND_URGENT
    form_class = UrgentRespondForm
    template_name = "children/urgent_respond.html"
    heading = "Urgent discussion requested"
    submit_label = "Record response and close"
    success_message = "Urgent request closed."
    object: Any = None

    def get_object(self) -> UrgentDiscussionRequest:
        return get_object_or_404(
            UrgentDiscussionRequest.objects.live().select_related("requested_by", "child"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["urgent"] = self.object
        context["now"] = timezone.now()
        return context

    def perform(self, form: UrgentRespondForm) -> Any:
        return services.urgent_request_respond(
            request=self.object,
            actor=self.request.user,
            response=form.cleaned_data["response"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("home")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), ("Urgent discussion", None)]


# --- Confidentiality disclosures ------------------------------------------------------------


class DisclosureCreateView(ChildrenFormView):
    permission_required = Permission.RECORD_DISCLOSURE
    form_class = DisclosureForm
    heading = "Record a confidentiality disclosure"
    intro = (
        "Supervision is confidential unless a child or family member is at significant risk of "
        "harm, there is unsafe practice placing people at risk, or there is illegal activity. "
        "Your agency's safeguarding lead is alerted and sees only what you write here. Your "
        "supervisee is told a disclosure was made."
    )
    submit_label = "Record disclosure"
    success_message = "Disclosure recorded. The safeguarding lead has been alerted."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        profile = access_profile(self.request.user)
        kwargs["supervisees"] = Person.objects.filter(pk__in=profile.supervisee_ids).order_by(
            "family_name"
        )
        kwargs["children"] = selectors.children_visible_to(self.request.user)
        return kwargs

    def perform(self, form: DisclosureForm) -> ConfidentialityDisclosure:
        data = form.cleaned_data
        relationship = (
            SupervisionRelationship.objects.current()
            .filter(supervisor=self.request.user, supervisee=data["supervisee"])
            .select_related("agency")
            .first()
        )
        assert relationship is not None
        return services.disclosure_record(
            actor=self.request.user,
            supervisee=data["supervisee"],
            agency=relationship.agency,
            category=data["category"],
            reason=data["reason"],
            what_is_needed=data["what_is_needed"],
            child=data.get("child"),
            submission_token=data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("children:disclosure_detail", args=[self.result.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), ("Record a disclosure", None)]


class DisclosureDetailView(RuleRequiredMixin, AuditedReadMixin, BreadcrumbsMixin, DetailView):
    """The lead and the supervisor who made it see the disclosure; the supervisee sees that it
    was made, its category and date. Nobody sees the supervision record from here."""

    permission_required = Permission.VIEW_DISCLOSURE
    template_name = "children/disclosure_detail.html"
    context_object_name = "disclosure"

    def get_object(self, queryset: Any = None) -> ConfidentialityDisclosure:
        return get_object_or_404(
            ConfidentialityDisclosure.objects.live().select_related(
                "made_by", "supervisee", "child", "agency"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        disclosure = self.object
        full = user.has_perm(Permission.VIEW_DISCLOSURE_DETAIL, disclosure)
        is_lead = disclosure.agency_id in access_profile(user).led_agency_ids
        if is_lead or disclosure.supervisee_id == user.pk:
            services.disclosure_mark_seen(
                disclosure=disclosure,
                actor=user,
                as_lead=is_lead,
            )
        context.update(
            full=full,
            alert=disclosure.lead_alert() if full else None,
            can_resend=user.has_perm(Permission.RESEND_DISCLOSURE_ALERT, disclosure),
            show_child=full
            and disclosure.child is not None
            and user.has_perm(Permission.VIEW_CHILD, disclosure.child),
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), ("Confidentiality disclosure", None)]


class DisclosureAlertResendView(RuleRequiredMixin, View):
    """ "Send again" on a disclosure whose alert to the lead failed (issue 10 item 2)."""

    permission_required = Permission.RESEND_DISCLOSURE_ALERT
    http_method_names = ["post"]
    object: ConfidentialityDisclosure | None = None

    def get_object(self) -> ConfidentialityDisclosure:
        return get_object_or_404(ConfidentialityDisclosure.objects.live(), pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        disclosure = self.object or self.get_object()
        try:
            sent = services.disclosure_alert_resend(
                disclosure=disclosure,
                actor=self.request.user,
                origin=RequestOrigin.from_request(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"The alert is being sent again ({len(sent)} email{pluralize(len(sent))})."
            )
        return HttpResponseRedirect(reverse("children:disclosure_detail", args=[disclosure.pk]))


# --- Concerns about supervision (seed 001 Quality Assurance) --------------------------------


class QualityConcernCreateView(ChildrenFormView):
    permission_required = Permission.RAISE_CONCERN
    form_class = QualityConcernForm
    heading = "Supervision is not happening as it should"
    intro = (
        "If your supervision is not at the required frequency or standard, raise it here. "
        "First you and your supervisor meet one-to-one; if that does not resolve it, a "
        "three-way meeting with your supervisor and line managers agrees what happens next."
    )
    submit_label = "Raise concern"
    success_message = "Concern raised. Your supervisor will arrange a one-to-one."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["supervisors"] = _my_supervisors(self.request.user)
        return kwargs

    def perform(self, form: QualityConcernForm) -> QualityConcern:
        data = form.cleaned_data
        return services.quality_concern_raise(
            actor=self.request.user,
            supervisor=data["supervisor"],
            agency=_agency_of_relationship(self.request.user, data["supervisor"]),
            kind=data["kind"],
            description=data["description"],
            submission_token=data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("children:concern_detail", args=[self.result.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), ("Raise a concern about supervision", None)]


class QualityConcernDetailView(RuleRequiredMixin, AuditedReadMixin, BreadcrumbsMixin, DetailView):
    permission_required = Permission.VIEW_CONCERN
    template_name = "children/concern_detail.html"
    context_object_name = "concern"

    def get_object(self, queryset: Any = None) -> QualityConcern:
        return get_object_or_404(
            QualityConcern.objects.live()
            .select_related(
                "raised_by",
                "supervisor",
                "one_to_one_recorded_by",
                "three_way_recorded_by",
                "resolved_by",
            )
            .prefetch_related("three_way_attendees"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_record"] = self.object.stage != ConcernStage.RESOLVED and (
            self.request.user.has_perm(Permission.RECORD_CONCERN, self.object)
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), ("Concern about supervision", None)]


class QualityConcernMeetingView(ChildrenFormView):
    """Record the stage 1 one-to-one or the stage 2 three-way meeting, whichever is due."""

    permission_required = Permission.RECORD_CONCERN
    object: Any = None

    def get_object(self) -> QualityConcern:
        return get_object_or_404(
            QualityConcern.objects.live().select_related("raised_by", "supervisor"),
            pk=self.kwargs["pk"],
        )

    @property
    def three_way(self) -> bool:
        return self.object.stage == ConcernStage.THREE_WAY

    def get_form_class(self) -> Any:
        return ThreeWayForm if self.three_way else OneToOneForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.three_way:
            concern = self.object
            managers = LineManagement.objects.current().filter(
                report_id__in=[concern.raised_by_id, concern.supervisor_id]
            )
            kwargs["attendees"] = Person.objects.filter(
                pk__in={concern.raised_by_id, concern.supervisor_id}
                | set(managers.values_list("manager_id", flat=True))
            ).order_by("family_name")
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"met_on": today(), "version": self.object.version}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["heading"] = (
            "Stage 2: three-way meeting" if self.three_way else "Stage 1: one-to-one"
        )
        context["intro"] = self.object.description
        return context

    def perform(self, form: Any) -> Any:
        data = form.cleaned_data
        if self.object.stage == ConcernStage.RESOLVED:
            from django.core.exceptions import ValidationError

            raise ValidationError("This concern has been resolved.")
        if self.three_way:
            return services.quality_concern_three_way(
                concern=self.object,
                actor=self.request.user,
                met_on=data["met_on"],
                attendees=data["attendees"],
                agreed_outcomes=data["agreed_outcomes"],
                expected_version=data.get("version"),
                origin=self.origin(),
            )
        return services.quality_concern_one_to_one(
            concern=self.object,
            actor=self.request.user,
            met_on=data["met_on"],
            outcome=data["outcome"],
            resolved=data["resolved"],
            expected_version=data.get("version"),
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("children:concern_detail", args=[self.object.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            home_crumb(),
            ("Concern about supervision", self.get_success_url()),
            ("Record meeting", None),
        ]


class AgencyConcernListView(RuleRequiredMixin, BreadcrumbsMixin, ListView):
    """The agency lead's list of concerns about supervision in their agency, open and
    resolved, with the stage each reached and who agreed what (seed 001 "Quality
    Assurance"). The agency is in the URL and the rule is checked against it."""

    permission_required = Permission.LIST_AGENCY_CONCERNS
    template_name = "children/agency_concerns.html"
    context_object_name = "concerns"
    paginate_by = 50
    object: Any = None

    def get_object(self) -> Agency:
        return get_object_or_404(Agency.objects.live(), pk=self.kwargs["agency_id"])

    def get_queryset(self) -> Any:
        self.form = ConcernFilterForm(self.request.GET or None)
        state = self.form.cleaned_data.get("state", "") if self.form.is_valid() else ""
        self.state = state
        return selectors.quality_concerns_of_agency(agency_id=self.object.pk, state=state)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(agency=self.object, form=self.form, state=self.state)
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), (f"Concerns about supervision in {self.object.name}", None)]


# --- Decisions waiting for the child's file -------------------------------------------------


class DecisionsWaitingView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    permission_required = Permission.LIST_CHILDREN
    template_name = "children/decisions_waiting.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = today()
        waiting = selectors.decisions_waiting_for_file(
            selectors.children_visible_to(self.request.user), today=day
        )
        page = Paginator(KeysFirst(waiting), 50).get_page(self.request.GET.get("page"))
        context.update(
            decisions=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
        )
        context["today"] = day
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), children_crumb(), ("Decisions waiting for the child's file", None)]
