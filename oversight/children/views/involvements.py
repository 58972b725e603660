"""Pages for a child known to several agencies (issue 13): an agency adds and ends its own
involvement (finding the child by an exact match only) and writes its contribution to the
plan."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse

from oversight.people.models import Agency

from .. import selectors, services
from ..forms import InvolvementAddForm, InvolvementEndForm, PlanContributionForm
from ..models import AgencyInvolvement, Child, PlanContribution
from ..rules import Permission, involvement_agency_ids, plan_agency_id
from .base import ChildrenFormView, allocatable_people, children_crumb, home_crumb, today
from .register import ChildMixin


class InvolvementAddView(ChildrenFormView):
    """A supervisor or lead adds their agency's involvement with a child another agency holds,
    finding the child by an exact NHS number or that agency's case reference (issue 13 item
    1). No list of another agency's children is ever shown."""

    permission_required = Permission.ADD_INVOLVEMENT
    form_class = InvolvementAddForm
    heading = "Add your agency's involvement with a child"
    intro = (
        "Find the child by their NHS number, or by the case reference another agency holds. "
        "Only an exact match finds a child. Once added, the people involved in your agency "
        "see the child's multi-agency summary: who is involved, dates, ratings and review "
        "meetings, never another agency's discussion notes."
    )
    submit_label = "Add involvement"
    success_message = "Your agency's involvement is added."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        agency_ids = involvement_agency_ids(self.request.user)
        kwargs.update(
            agencies=Agency.objects.live().filter(pk__in=agency_ids).order_by("name"),
            workers=allocatable_people(self.request.user)
            .filter(memberships__agency_id__in=agency_ids)
            .distinct(),
        )
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        agency_ids = sorted(involvement_agency_ids(self.request.user))
        initial: dict[str, Any] = {"starts_on": today()}
        if len(agency_ids) == 1:
            initial["agency"] = agency_ids[0]
        return initial

    def perform(self, form: InvolvementAddForm) -> Any:
        data = form.cleaned_data
        return services.involvement_add(
            actor=self.request.user,
            agency=data["agency"],
            nhs_number=data["nhs_number"],
            other_agency=data["other_agency"],
            other_case_reference=data["other_case_reference"],
            case_reference=data["case_reference"],
            allocated_worker=data["allocated_worker"],
            starts_on=data["starts_on"],
            lawful_basis=data["lawful_basis"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("children:child_detail", args=[self.result.child_id])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), children_crumb(), ("Add your agency's involvement", None)]


class InvolvementEndView(ChildrenFormView):
    """A supervisor or lead of the agency ends its involvement: from the next day its people
    no longer see the child's summary."""

    permission_required = Permission.END_INVOLVEMENT
    form_class = InvolvementEndForm
    heading = "End your agency's involvement"
    submit_label = "End involvement"
    success_message = "The involvement has ended."
    object: Any = None

    def get_object(self) -> AgencyInvolvement:
        return get_object_or_404(
            AgencyInvolvement.objects.live().select_related("child", "agency"),
            pk=self.kwargs["pk"],
        )

    def get_heading(self) -> str:
        return f"End {self.object.agency.name}'s involvement with {self.object.child.display_name}"

    def get_initial(self) -> dict[str, Any]:
        return {"ends_on": today()}

    def perform(self, form: InvolvementEndForm) -> Any:
        return services.involvement_end(
            actor=self.request.user,
            involvement=self.object,
            ends_on=form.cleaned_data["ends_on"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("children:child_list")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), children_crumb(), ("End involvement", None)]


class PlanContributionView(ChildMixin, ChildrenFormView):
    """An involved agency writes its contribution to the plan for the child (issue 13 item
    4); every involved agency sees the contributions on the child's page."""

    permission_required = Permission.CONTRIBUTE_PLAN
    form_class = PlanContributionForm
    submit_label = "Save contribution"
    success_message = "Your agency's contribution to the plan is saved."

    def get_object(self) -> Child:
        if getattr(self, "object", None) is not None:
            return self.object  # loaded once for the rule
        get_object_or_404(Child.objects.live().only("pk"), pk=self.kwargs["pk"])
        return selectors.child_detail(child_id=self.kwargs["pk"])

    @cached_property
    def agency(self) -> Agency:
        return Agency.objects.get(pk=plan_agency_id(self.request.user, self.object) or 0)

    def current(self) -> PlanContribution | None:
        return next((p for p in self.object.plans if p.agency_id == self.agency.pk), None)

    def get_heading(self) -> str:
        return f"{self.agency.name}'s contribution to the plan for {self.object.display_name}"

    def get_initial(self) -> dict[str, Any]:
        current = self.current()
        if current is None:
            return {}
        return {"contribution": current.contribution, "version": current.version}

    def perform(self, form: PlanContributionForm) -> Any:
        return services.plan_contribution_save(
            actor=self.request.user,
            child=self.object,
            agency=self.agency,
            contribution=form.cleaned_data["contribution"],
            expected_version=form.cleaned_data.get("version"),
            origin=self.origin(),
        )

    def stale_current(self, form: PlanContributionForm) -> Any:
        return PlanContribution.objects.live().filter(child=self.object, agency=self.agency).first()

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.child_crumbs("Contribution to the plan")
