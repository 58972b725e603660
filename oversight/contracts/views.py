"""Policy and contract pages. Thin: access by rules (rules.py), reads by selectors, writes by
services. Every page that shows a contract writes a read to the audit log (issue 3 item 9)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from oversight.core.access import (
    AuditedReadMixin,
    AuthenticatedHttpRequest,
    BreadcrumbsMixin,
    RuleRequiredMixin,
)
from oversight.core.models import AuditAction
from oversight.core.services import RequestOrigin, audit_event_record
from oversight.core.views import ServiceFormView
from oversight.people.models import Agency, SupervisionRelationship
from oversight.people.selectors import access_profile

from . import selectors, services
from .display import contract_tag
from .forms import (
    ConfirmSignatureForm,
    ContractCreateForm,
    ContractEndForm,
    ContractForm,
    PolicyVersionForm,
)
from .models import ContractStatus, SupervisionContract
from .rules import Permission, is_contract_supervisor
from .selectors import ContractStanding

STANDING_TAGS = {
    ContractStanding.MISSING: "govuk-tag govuk-tag--red",
    ContractStanding.UNSIGNED: "govuk-tag govuk-tag--yellow",
    ContractStanding.REVIEW_DUE: "govuk-tag govuk-tag--orange",
    ContractStanding.OK: "govuk-tag govuk-tag--green",
}


def _origin(request: HttpRequest) -> RequestOrigin:
    return RequestOrigin.from_request(request)


def _audit_list(request: AuthenticatedHttpRequest, page: str, context: dict[str, Any]) -> None:
    """A list of contracts is a read of each: one audit entry naming every contract shown."""
    shown = [
        row["contract"].pk
        for key in ("as_supervisee", "as_supervisor", "of_reports")
        for row in context.get(key, [])
    ] + [row["position"].contract.pk for row in context.get("rows", []) if row["position"].contract]
    audit_event_record(
        actor=request.user,
        action=AuditAction.VIEW,
        origin=_origin(request),
        detail={"page": page, "contracts": shown},
    )


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _contracts_crumb() -> tuple[str, str]:
    return ("Contracts", reverse("contracts:contract_list"))


# --- Policy --------------------------------------------------------------------------------


class AgencyObjectMixin:
    kwargs: dict[str, Any]
    object: Agency

    def get_object(self) -> Agency:
        return get_object_or_404(Agency.objects.live(), pk=self.kwargs["agency_pk"])


class AgencyPolicyView(RuleRequiredMixin, AgencyObjectMixin, BreadcrumbsMixin, TemplateView):
    """The agency's policy now, per staff group, and every version with what it changed."""

    permission_required = Permission.VIEW_POLICY
    template_name = "contracts/policy_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(selectors.policy_history(agency_id=self.object.pk, on=today))
        context["agency"] = self.object
        context["today"] = today
        context["defaults"] = selectors.default_policy_settings()
        context["can_change"] = self.request.user.has_perm(Permission.CHANGE_POLICY, self.object)
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            _contracts_crumb(),
            (f"{self.object.name} supervision policy", None),
        ]


class PolicyCreateView(AgencyObjectMixin, ServiceFormView):
    permission_required = Permission.CHANGE_POLICY
    template_name = "contracts/policy_form.html"
    form_class = PolicyVersionForm
    success_message = "The new policy version has been saved."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["agency"] = self.object
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        group_id = _int_or_none(self.request.GET.get("staff_group"))
        group = (
            self.object.staff_groups.filter(archived_at__isnull=True, pk=group_id).first()
            if group_id is not None
            else None
        )
        current = selectors.policy_in_force(
            agency_id=self.object.pk, staff_group_id=group.pk if group else None, on=today
        )
        initial = {
            name: getattr(current, name)
            for name in services.POLICY_FIELDS
            if name not in ("session_types", "counted_session_types")
        }
        initial["session_types"] = list(current.session_types)
        initial["counted_session_types"] = list(current.counted_session_types)
        initial["effective_from"] = today
        initial["staff_group"] = str(group.pk) if group else ""
        return initial

    def perform(self, form: PolicyVersionForm) -> Any:
        data = form.cleaned_data
        return services.supervision_policy_create_version(
            actor=self.actor,
            agency=self.object,
            staff_group=data["staff_group"],
            effective_from=data["effective_from"],
            change_reason=data["change_reason"],
            values={name: data[name] for name in services.POLICY_FIELDS},
            submission_token=data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("contracts:agency_policy", args=[self.object.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["agency"] = self.object
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            _contracts_crumb(),
            (
                f"{self.object.name} supervision policy",
                reverse("contracts:agency_policy", args=[self.object.pk]),
            ),
            ("New version", None),
        ]


# --- Contract lists ------------------------------------------------------------------------


class ContractListView(RuleRequiredMixin, TemplateView):
    """My contracts: as supervisee and as supervisor, with what needs doing."""

    permission_required = Permission.LIST_CONTRACTS
    template_name = "contracts/contract_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person_id: int = user.pk
        today = timezone.localdate()
        profile = access_profile(user)

        def rows(contracts: list[SupervisionContract]) -> list[dict[str, Any]]:
            return [
                {"contract": c, "tag": contract_tag(c, viewer_id=user.pk, on=today)}
                for c in contracts
            ]

        context["as_supervisee"] = rows(
            selectors.contracts_for_person_rows(person_id=person_id, as_role="supervisee")
        )
        context["as_supervisor"] = rows(
            selectors.contracts_for_person_rows(
                person_id=person_id,
                as_role="supervisor",
                include_ended=False,
                supervisee_ids=profile.supervisee_ids,
            )
        )
        context["of_reports"] = rows(
            selectors.contracts_of_supervisees_rows(supervisee_ids=profile.report_ids)
        )
        context["without_contract"] = selectors.relationships_without_contract_rows(
            supervisor_id=person_id, on=today
        )
        _audit_list(self.request, "my contracts", context)
        agency_ids = profile.member_agency_ids | profile.led_agency_ids
        agencies = list(Agency.objects.filter(pk__in=agency_ids).order_by("name"))
        for agency in agencies:
            agency.can_list_contracts = self.request.user.has_perm(
                Permission.LIST_AGENCY_CONTRACTS, agency
            )
        context["agencies"] = agencies
        return context


class AgencyContractsView(RuleRequiredMixin, AgencyObjectMixin, BreadcrumbsMixin, ListView):
    """For the agency's lead: every current supervisee and where their contract stands."""

    permission_required = Permission.LIST_AGENCY_CONTRACTS
    template_name = "contracts/agency_contracts.html"
    context_object_name = "relationships"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[SupervisionRelationship]:
        return selectors.agency_supervision_standings(
            agency_id=self.object.pk, on=timezone.localdate()
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        page = list(context["relationships"])
        standings = selectors.contract_standings(
            supervisee_ids={r.supervisee_id for r in page}, on=today
        )
        context["rows"] = [
            {
                "relationship": r,
                "position": standings[r.supervisee_id],
                "tag_css": STANDING_TAGS[standings[r.supervisee_id].standing],
            }
            for r in page
        ]
        _audit_list(self.request, f"contracts in agency {self.object.pk}", context)
        context["agency"] = self.object
        context["due"] = selectors.contracts_due_for_review(
            on=today, agency_ids=[self.object.pk]
        ).count()
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            _contracts_crumb(),
            (f"Contracts in {self.object.name}", None),
        ]


# --- One contract --------------------------------------------------------------------------


class ContractObjectMixin(BreadcrumbsMixin):
    kwargs: dict[str, Any]
    object: SupervisionContract

    def get_object(self, queryset: Any = None) -> SupervisionContract:
        get_object_or_404(SupervisionContract.objects.live().only("pk"), pk=self.kwargs["pk"])
        return selectors.contract_detail(contract_id=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["contract"] = self.object
        context["tag"] = contract_tag(
            self.object, viewer_id=self.request.user.pk, on=timezone.localdate()
        )
        return context

    def contract_crumb(self) -> tuple[str, str]:
        c = self.object
        return (
            f"{c.supervisee.display_name} (revision {c.revision})",
            reverse("contracts:contract_detail", args=[c.pk]),
        )

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [("Home", reverse("home")), _contracts_crumb(), self.contract_crumb()]


class ContractDetailView(RuleRequiredMixin, AuditedReadMixin, ContractObjectMixin, DetailView):
    """The contract laid out as seed 004 Appendix IV (example 1 or 2 by contact level)."""

    permission_required = Permission.VIEW_CONTRACT
    template_name = "contracts/contract_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, contract = self.request.user, self.object
        context["can"] = {
            action: user.has_perm(f"contracts.{action}_contract", contract)
            for action in ("change", "sign", "review", "end")
        }
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [("Home", reverse("home")), _contracts_crumb(), (self.contract_crumb()[0], None)]


class ContractPrintView(RuleRequiredMixin, AuditedReadMixin, ContractObjectMixin, DetailView):
    permission_required = Permission.VIEW_CONTRACT
    template_name = "contracts/contract_print.html"
    audit_action = AuditAction.EXPORT


class ContractCreateView(ServiceFormView):
    """The supervisor drafts the contract for one of their supervision relationships."""

    permission_required = Permission.CREATE_CONTRACT
    template_name = "contracts/contract_form.html"
    form_class = ContractCreateForm

    def get_permission_object(self) -> SupervisionRelationship:
        self.relationship = get_object_or_404(
            SupervisionRelationship.objects.live().select_related("supervisee", "agency"),
            pk=self.kwargs["relationship_pk"],
        )
        return self.relationship

    def get_initial(self) -> dict[str, Any]:
        starts_on = max(self.relationship.starts_on, timezone.localdate())
        return services.contract_defaults(
            supervisee_id=self.relationship.supervisee_id,
            agency_id=self.relationship.agency_id,
            starts_on=starts_on,
        )

    success_message = (
        "Draft saved. Sign it, and ask {result.supervisee.display_name} to read and sign it."
    )

    def perform(self, form: ContractCreateForm) -> Any:
        return services.contract_draft_create(
            actor=self.actor,
            relationship=self.relationship,
            starts_on=form.cleaned_data["starts_on"],
            terms=form.changes(),
            submission_token=form.cleaned_data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("contracts:contract_detail", args=[self.result.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["relationship"] = self.relationship
        context["heading"] = f"Draft a contract with {self.relationship.supervisee.display_name}"
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [("Home", reverse("home")), _contracts_crumb(), ("New contract", None)]


class ContractEditView(AuditedReadMixin, ContractObjectMixin, ServiceFormView):
    """Edit a draft. A stale save is refused; what was typed stays on the page beside what
    the other person saved."""

    permission_required = Permission.CHANGE_CONTRACT
    template_name = "contracts/contract_form.html"
    form_class = ContractForm
    success_message = "Your changes to the draft have been saved."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        if self.request.method == "GET":
            kwargs["initial"] = {"version": self.object.version}
        return kwargs

    def perform(self, form: ContractForm) -> Any:
        return services.contract_update_draft(
            contract=self.object,
            actor=self.request.user,
            changes=form.changes(),
            expected_version=form.cleaned_data.get("version"),
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("contracts:contract_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["heading"] = f"Edit the contract with {self.object.supervisee.display_name}"
        context["signed_by_one"] = bool(
            self.object.supervisor_signed_at or self.object.supervisee_signed_at
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*super().get_breadcrumbs(), ("Edit", None)]


class ContractSignView(AuditedReadMixin, ContractObjectMixin, ServiceFormView):
    """Each party signs for themselves, as an explicit act."""

    permission_required = Permission.SIGN_CONTRACT
    template_name = "contracts/contract_sign.html"
    form_class = ConfirmSignatureForm

    def perform(self, form: ConfirmSignatureForm) -> Any:
        return services.contract_sign(contract=self.object, actor=self.actor, origin=self.origin())

    def get_success_message(self) -> str:
        if self.result.status == ContractStatus.ACTIVE:
            return "You have signed. The contract is now active."
        return "You have signed. The other party still has to sign."

    def get_success_url(self) -> str:
        return reverse("contracts:contract_detail", args=[self.result.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["signs_as_supervisor"] = is_contract_supervisor(self.request.user, self.object)
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*super().get_breadcrumbs(), ("Sign", None)]


class ContractReviewView(RuleRequiredMixin, AuditedReadMixin, ContractObjectMixin, TemplateView):
    """Start the annual review: a new revision to agree; this one stays in force meanwhile."""

    permission_required = Permission.REVIEW_CONTRACT
    template_name = "contracts/contract_review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["pending"] = SupervisionContract.objects.live().filter(previous=self.object).first()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            successor = services.contract_review(
                contract=self.object,
                actor=self.request.user,
                origin=_origin(request),
            )
        except ValidationError as error:
            context = self.get_context_data(errors=error.messages)
            return self.render_to_response(context)
        messages.success(
            request,
            f"Revision {successor.revision} started from the current terms. Change what you "
            "agreed at the review, then both sign it.",
        )
        return HttpResponseRedirect(reverse("contracts:contract_edit", args=[successor.pk]))

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*super().get_breadcrumbs(), ("Review", None)]


class ContractEndView(AuditedReadMixin, ContractObjectMixin, ServiceFormView):
    permission_required = Permission.END_CONTRACT
    template_name = "contracts/contract_end.html"
    form_class = ContractEndForm
    success_message = "The contract has ended. It stays on both records."

    def perform(self, form: ContractEndForm) -> Any:
        data = form.cleaned_data
        return services.contract_end(
            contract=self.object,
            actor=self.actor,
            reason=data["reason"],
            ended_on=data["ended_on"],
            notes=data["notes"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("contracts:contract_detail", args=[self.object.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*super().get_breadcrumbs(), ("End", None)]
