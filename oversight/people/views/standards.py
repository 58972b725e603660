"""Pages for staff standards and supervision arrangements (issue 15):

- item 5: an agency's minimum requirements for supervisors, who falls short, and the lead's
  exceptions (seed 004 "Supervision Standards");
- item 6: safeguarding children training for all staff, by staff group (seed 002);
- item 9: seeking alternative arrangements: either party asks, the agency's lead decides.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.forms import ArchiveForm
from oversight.core.views import ServiceFormView

from .. import services, standards
from ..forms_standards import (
    ChangeDecisionForm,
    ChangeRequestForm,
    QualificationForm,
    SupervisorExceptionForm,
    SupervisorRequirementsForm,
)
from ..models import (
    Agency,
    ChangeRequestStatus,
    Membership,
    Person,
    Qualification,
    Role,
    RoleAssignment,
    SupervisionChangeRequest,
    SupervisionRelationship,
    SupervisorException,
)
from ..rules import Permission
from .base import ManageFormView
from .manage import _PersonPageMixin


class _AgencyPageMixin:
    kwargs: dict[str, Any]
    object: Any

    def get_object(self) -> Agency:
        return get_object_or_404(Agency.objects.live(), pk=self.kwargs["pk"])

    def agency_crumbs(self, agency: Agency) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            ("Agencies", reverse("people:agency_list")),
            (agency.name, reverse("people:agency_detail", args=[agency.pk])),
        ]


class _LeadFormView(ServiceFormView):
    """A form page of the lead's pages: it goes back to ``back_url`` when saved or cancelled."""

    template_name = "people/standards/form.html"

    def back_url(self) -> str:
        raise NotImplementedError

    def get_success_url(self) -> str:
        return self.back_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "cancel_url": self.back_url()}


# --- Item 5: supervisor minimum requirements ---------------------------------------------


class SupervisorStandardsView(RuleRequiredMixin, _AgencyPageMixin, BreadcrumbsMixin, TemplateView):
    """The agency's minimum requirements for supervisors and who falls short of them today,
    with any exception a lead has recorded (seed 004)."""

    permission_required = Permission.VIEW_SUPERVISOR_STANDARDS
    template_name = "people/standards/supervisors.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        agency = self.object
        today = timezone.localdate()
        rows = standards.supervisor_standings(agency=agency, on=today)
        user = self.request.user
        context.update(
            agency=agency,
            requirements=standards.requirements_for(agency.pk),
            rows=rows,
            short=[r for r in rows if r.falls_short],
            can_change=user.has_perm(Permission.CHANGE_SUPERVISOR_REQUIREMENTS, agency),
            can_except=user.has_perm(Permission.MANAGE_SUPERVISOR_EXCEPTIONS, agency),
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*self.agency_crumbs(self.object), ("Supervisors' minimum requirements", None)]


class SupervisorRequirementsEditView(_AgencyPageMixin, _LeadFormView):
    permission_required = Permission.CHANGE_SUPERVISOR_REQUIREMENTS
    form_class = SupervisorRequirementsForm
    success_message = "The minimum requirements for supervisors have been saved."
    intro = (
        "Each agency identifies the minimum requirements for its supervisors: training, "
        "experience and qualification. Someone who falls short can only be made a supervisor "
        "with an exception you record."
    )

    def get_heading(self) -> str:
        return f"Minimum requirements for supervisors in {self.object.name}"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = standards.requirements_for(self.object.pk)
        return kwargs

    def perform(self, form: SupervisorRequirementsForm) -> Any:
        data = form.cleaned_data
        return services.supervisor_requirements_set(
            actor=self.actor,
            agency=self.object,
            values={name: data[name] for name in services.REQUIREMENT_FIELDS},
            expected_version=data.get("version"),
            origin=self.origin(),
        )

    def back_url(self) -> str:
        return reverse("people:supervisor_standards", args=[self.object.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            *self.agency_crumbs(self.object),
            ("Supervisors' minimum requirements", self.back_url()),
            ("Change", None),
        ]


class SupervisorExceptionGrantView(_AgencyPageMixin, _LeadFormView):
    permission_required = Permission.MANAGE_SUPERVISOR_EXCEPTIONS
    form_class = SupervisorExceptionForm
    submit_label = "Record the exception"
    success_message = "The exception has been recorded."

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # Someone with a post in the agency today: the exception is to supervise there.
        self.supervisor = get_object_or_404(
            Person.objects.filter(
                memberships__in=Membership.objects.current().filter(agency_id=kwargs["pk"])
            ).distinct(),
            pk=kwargs["person_pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_heading(self) -> str:
        return f"Let {self.supervisor.display_name} supervise without meeting the requirements"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["shortfalls"] = standards.person_shortfalls(
            person=self.supervisor, agency=self.object, on=timezone.localdate()
        )
        return context

    def perform(self, form: SupervisorExceptionForm) -> Any:
        return services.supervisor_exception_grant(
            actor=self.actor,
            agency=self.object,
            supervisor=self.supervisor,
            reason=form.cleaned_data["reason"],
            review_by=form.cleaned_data["review_by"],
            origin=self.origin(),
        )

    def back_url(self) -> str:
        return reverse("people:supervisor_standards", args=[self.object.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            *self.agency_crumbs(self.object),
            ("Supervisors' minimum requirements", self.back_url()),
            ("Exception", None),
        ]


class SupervisorExceptionWithdrawView(_LeadFormView):
    permission_required = Permission.MANAGE_SUPERVISOR_EXCEPTIONS
    form_class = ArchiveForm
    submit_label = "Withdraw the exception"
    success_message = "The exception has been withdrawn."

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.exception = get_object_or_404(
            SupervisorException.objects.live().select_related("agency", "supervisor"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self) -> Agency:
        return self.exception.agency

    def get_heading(self) -> str:
        return f"Withdraw the exception for {self.exception.supervisor.display_name}"

    def perform(self, form: ArchiveForm) -> Any:
        return services.supervisor_exception_withdraw(
            actor=self.actor,
            exception=self.exception,
            reason=form.cleaned_data["reason"],
            origin=self.origin(),
        )

    def back_url(self) -> str:
        return reverse("people:supervisor_standards", args=[self.exception.agency_id])


class QualificationAddView(_PersonPageMixin, ManageFormView):
    """The administrator records a professional qualification (seed 004: experience and
    qualification are among a supervisor's minimum requirements)."""

    model = Person
    form_class = QualificationForm
    submit_label = "Add qualification"
    success_message = "Qualification added."

    def get_heading(self) -> str:
        return f"Add a qualification for {self.object.display_name}"

    def perform(self, form: QualificationForm) -> Qualification:
        return services.qualification_add(
            actor=self.actor,
            person=self.object,
            name=form.cleaned_data["name"],
            awarded_on=form.cleaned_data["awarded_on"],
            origin=self.origin(),
        )


# --- Item 6: safeguarding training for all staff -----------------------------------------


class StaffTrainingView(RuleRequiredMixin, _AgencyPageMixin, BreadcrumbsMixin, TemplateView):
    """Safeguarding children training for everyone with a post in the agency, by staff group
    (seed 002, Working Together: all staff, not only supervisors)."""

    permission_required = Permission.VIEW_STAFF_TRAINING
    template_name = "people/standards/staff_training.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        groups = standards.safeguarding_training_by_group(
            agency=self.object, on=timezone.localdate()
        )
        context.update(
            agency=self.object,
            groups=groups,
            short=[(g, r) for g in groups for r in g.rows if r.state != "valid"],
            staff=sum(g.staff for g in groups),
            in_date=sum(g.in_date for g in groups),
            expiring_days=standards.EXPIRING_WITHIN_DAYS,
            can_add=self.request.user.has_perm(Permission.MANAGE_ORGANISATION),
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*self.agency_crumbs(self.object), ("Safeguarding training", None)]


# --- Item 9: seeking alternative arrangements --------------------------------------------


class MyArrangementsView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    """The viewer's current supervision, as supervisee and as supervisor, each with a way to
    ask for a different arrangement, and the requests they made or that concern them."""

    permission_required = Permission.VIEW_OWN_ARRANGEMENTS
    template_name = "people/standards/my_arrangements.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        current = list(
            SupervisionRelationship.objects.on(today)
            .filter(_party(user.pk))
            .select_related("supervisor", "supervisee", "agency")
            .order_by("agency__name", "starts_on")
        )
        open_for = set(
            SupervisionChangeRequest.objects.live()
            .filter(relationship__in=current, status=ChangeRequestStatus.OPEN)
            .values_list("relationship_id", flat=True)
        )
        rows = []
        for r in current:
            rows.append(
                {
                    "relationship": r,
                    "as_supervisee": r.supervisee_id == user.pk,
                    "waiting": r.pk in open_for,
                    "can_ask": r.pk not in open_for
                    and user.has_perm(Permission.REQUEST_SUPERVISION_CHANGE, r),
                }
            )
        context["rows"] = rows
        context["requests"] = (
            SupervisionChangeRequest.objects.live()
            .filter(_party(user.pk, prefix="relationship__"))
            .select_related(
                "relationship__supervisor",
                "relationship__supervisee",
                "relationship__agency",
                "requested_by",
                "decided_by",
            )[:50]
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [("Home", reverse("home")), ("Your supervision arrangements", None)]


def _party(person_id: int, prefix: str = "") -> Q:
    return Q(**{f"{prefix}supervisor_id": person_id}) | Q(**{f"{prefix}supervisee_id": person_id})


class ChangeRequestCreateView(_LeadFormView):
    permission_required = Permission.REQUEST_SUPERVISION_CHANGE
    form_class = ChangeRequestForm
    submit_label = "Send the request"
    success_message = "Your request has been sent to your agency's safeguarding lead."

    def get_object(self) -> SupervisionRelationship:
        return get_object_or_404(
            SupervisionRelationship.objects.live().select_related(
                "supervisor", "supervisee", "agency"
            ),
            pk=self.kwargs["pk"],
        )

    def get_heading(self) -> str:
        r = self.object
        other = r.supervisor if r.supervisee_id == self.request.user.pk else r.supervisee
        return f"Ask for a change to your supervision with {other.display_name}"

    intro = (
        "If the supervisory relationship is not working, either of you may ask for a different "
        "arrangement. The safeguarding lead decides and tells you both."
    )

    def perform(self, form: ChangeRequestForm) -> Any:
        return services.supervision_change_request(
            actor=self.actor,
            relationship=self.object,
            reason=form.cleaned_data["reason"],
            origin=self.origin(),
        )

    def back_url(self) -> str:
        return reverse("people:my_arrangements")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            ("Your supervision arrangements", self.back_url()),
            ("Ask for a change", None),
        ]


class ChangeRequestListView(RuleRequiredMixin, _AgencyPageMixin, BreadcrumbsMixin, TemplateView):
    permission_required = Permission.LIST_SUPERVISION_CHANGE_REQUESTS
    template_name = "people/standards/change_requests.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        found: QuerySet[SupervisionChangeRequest] = (
            SupervisionChangeRequest.objects.live()
            .filter(relationship__agency=self.object)
            .select_related(
                "relationship__supervisor",
                "relationship__supervisee",
                "requested_by",
                "decided_by",
            )
        )
        context.update(
            agency=self.object,
            open_requests=[r for r in found if r.is_open],
            decided=[r for r in found if not r.is_open][:50],
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*self.agency_crumbs(self.object), ("Requests to change supervision", None)]


class ChangeRequestDecideView(_LeadFormView):
    permission_required = Permission.DECIDE_SUPERVISION_CHANGE
    form_class = ChangeDecisionForm
    submit_label = "Record the decision"
    success_message = "Your decision has been recorded and both people have been told."

    def get_object(self) -> SupervisionChangeRequest:
        return get_object_or_404(
            SupervisionChangeRequest.objects.live().select_related(
                "relationship__supervisor",
                "relationship__supervisee",
                "relationship__agency",
                "requested_by",
            ),
            pk=self.kwargs["pk"],
        )

    def get_heading(self) -> str:
        r = self.object.relationship
        return f"{r.supervisor.display_name} supervising {r.supervisee.display_name}"

    def get_form_kwargs(self) -> dict[str, Any]:
        relationship = self.object.relationship
        today = timezone.localdate()
        supervisors = (
            Person.objects.filter(
                is_active=True,
                pk__in=RoleAssignment.objects.on(today)
                .filter(
                    agency_id=relationship.agency_id, role__in=[Role.SUPERVISOR, Role.AGENCY_LEAD]
                )
                .values("person_id"),
            )
            .exclude(pk__in=[relationship.supervisor_id, relationship.supervisee_id])
            .order_by("family_name", "given_name")
        )
        return {**super().get_form_kwargs(), "supervisors": supervisors}

    def get_initial(self) -> dict[str, Any]:
        return {"last_day": timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "change_request": self.object}

    def perform(self, form: ChangeDecisionForm) -> Any:
        data = form.cleaned_data
        agree = data["decision"] == "agree"
        return services.supervision_change_decide(
            actor=self.actor,
            request=self.object,
            agree=agree,
            reason=data["reason"] or "",
            last_day=data["last_day"] if agree else None,
            new_supervisor=data["new_supervisor"] if agree else None,
            origin=self.origin(),
        )

    def back_url(self) -> str:
        return reverse("people:change_request_list", args=[self.object.relationship.agency_id])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        agency = self.object.relationship.agency
        return [
            ("Home", reverse("home")),
            (agency.name, reverse("people:agency_detail", args=[agency.pk])),
            ("Requests to change supervision", self.back_url()),
            ("Decide", None),
        ]
