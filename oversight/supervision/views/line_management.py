"""Management oversight actions, authorisation of decisions and shortfalls reported to senior
managers (seed 004 "Definition" and "Line management"; issue 15 items 1-3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, ListView

from oversight.core.access import AuditedReadMixin, BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.views import ServiceFormView
from oversight.people.models import Agency, Person

from .. import selectors, services
from ..forms import (
    DecisionAuthoriseForm,
    DecisionPolicyForm,
    OversightActionCheckForm,
    OversightActionForm,
    ShortfallAnswerForm,
    ShortfallForm,
)
from ..models import Action, Decision, ManagementOversight, ServiceShortfall
from ..rules import Permission


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        ("Home", reverse("home")),
        ("Supervision", reverse("supervision:session_list")),
        *items,
    ]


def _oversight_crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return _crumbs(("Management oversight", reverse("supervision:oversight_list")), *items)


# --- Item 1 ---------------------------------------------------------------------------------


class OversightActionAddView(ServiceFormView):
    permission_required = Permission.ADD_OVERSIGHT_ACTION
    template_name = "supervision/form_page.html"
    form_class = OversightActionForm
    success_message = "Action added."
    object: Any = None

    def get_object(self) -> ManagementOversight:
        return get_object_or_404(
            ManagementOversight.objects.live().select_related("child", "made_by"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        ids = {self.object.made_by_id, self.object.child.allocated_practitioner_id}
        kwargs["people"] = Person.objects.filter(pk__in=ids - {None}).order_by("family_name")
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"owner": self.object.child.allocated_practitioner_id}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            page_title="Add an action from management oversight",
            button="Add the action",
            intro=f"For {self.object.child.display_name}: caseload, practice capability or a "
            "remedial action, and when you will check it is done.",
            back_url=self.get_success_url(),
        )
        return context

    def perform(self, form: OversightActionForm) -> Any:
        data = form.cleaned_data
        return services.oversight_action_add(
            actor=self.actor,
            oversight=self.object,
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            focus=data["focus"],
            submission_token=data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("supervision:oversight_detail", args=[self.object.pk]) + "#actions"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _oversight_crumbs(
            (
                str(self.object.child.display_name),
                reverse("supervision:oversight_detail", args=[self.object.pk]),
            ),
            ("Add an action", None),
        )


class OversightActionCheckView(ServiceFormView):
    """Seed 004 Definition: "plans for assessing completion of required actions"."""

    permission_required = Permission.CHECK_OVERSIGHT_ACTION
    template_name = "supervision/oversight_action_check.html"
    form_class = OversightActionCheckForm
    success_message = "Check recorded."
    object: Any = None

    def get_object(self) -> Action:
        return get_object_or_404(
            Action.objects.live().select_related("origin_oversight__child", "owner"),
            pk=self.kwargs["pk"],
            origin_oversight__isnull=False,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(action=self.object, back_url=self.get_success_url())
        return context

    def perform(self, form: OversightActionCheckForm) -> Any:
        data = form.cleaned_data
        return services.oversight_action_check(
            actor=self.actor,
            action=self.object,
            outcome=data["outcome"],
            note=data.get("note") or "",
            new_due_on=data.get("new_due_on"),
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return (
            reverse("supervision:oversight_detail", args=[self.object.origin_oversight_id])
            + "#actions"
        )

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        oversight = self.object.origin_oversight
        return _oversight_crumbs(
            (
                str(oversight.child.display_name),
                reverse("supervision:oversight_detail", args=[oversight.pk]),
            ),
            ("Check an action", None),
        )


# --- Item 2 ---------------------------------------------------------------------------------


class DecisionAuthoriseView(ServiceFormView):
    """The line manager authorises a decision at a key point, or returns it with a reason
    (seed 004 "Line management")."""

    permission_required = Permission.AUTHORISE_DECISION
    template_name = "supervision/decision_authorise.html"
    form_class = DecisionAuthoriseForm
    object: Any = None

    def get_object(self) -> Decision:
        return get_object_or_404(
            Decision.objects.live().select_related(
                "child", "decided_by", "management_oversight", "case_discussion__record"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            decision=self.object,
            steps=self.object.authorisation_steps.select_related("by"),
            back_url=reverse("supervision:oversight_list"),
        )
        return context

    def perform(self, form: DecisionAuthoriseForm) -> Any:
        data = form.cleaned_data
        return services.decision_authorise(
            actor=self.actor,
            decision=self.object,
            authorise=data["outcome"] == "authorise",
            reason=data.get("reason") or "",
            origin=self.origin(),
        )

    def get_success_message(self) -> str:
        return (
            "Decision authorised."
            if self.result.authorisation == "authorised"
            else "Decision returned with your reason."
        )

    def get_success_url(self) -> str:
        return reverse("supervision:oversight_list")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _oversight_crumbs(("Authorise a decision", None))


class DecisionPolicyView(ServiceFormView):
    """The agency's lead chooses which kinds of decision need authorisation."""

    permission_required = Permission.CONFIGURE_DECISION_AUTHORISATION
    template_name = "supervision/form_page.html"
    form_class = DecisionPolicyForm
    success_message = "Saved. Decisions made from now on follow this."
    object: Any = None

    def get_object(self) -> Agency:
        return get_object_or_404(Agency.objects.live(), pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        policy = selectors.decision_policy_for(self.object.pk)
        return {"kinds": policy.kinds_needing_authorisation if policy else []}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=f"Decisions that need authorisation in {self.object.name}",
            button="Save",
            intro="Line managers authorise decisions at key points in the work with a child "
            "and family. A decision of a kind you tick waits for authorisation before it "
            "stands.",
            back_url=reverse("supervision:oversight_list"),
        )
        return context

    def perform(self, form: DecisionPolicyForm) -> Any:
        return services.decision_policy_set(
            actor=self.actor,
            agency=self.object,
            kinds=form.cleaned_data["kinds"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("supervision:oversight_list")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _oversight_crumbs(("Decisions that need authorisation", None))


# --- Item 3 ---------------------------------------------------------------------------------


class ShortfallListView(RuleRequiredMixin, BreadcrumbsMixin, ListView):
    permission_required = Permission.LIST_SHORTFALLS
    template_name = "supervision/shortfall_list.html"
    context_object_name = "shortfalls"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return selectors.shortfalls_visible_to(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_raise"] = self.request.user.has_perm(Permission.RAISE_SHORTFALL)
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(("Workload and resource shortfalls", None))


class ShortfallCreateView(ServiceFormView):
    permission_required = Permission.RAISE_SHORTFALL
    template_name = "supervision/form_page.html"
    form_class = ShortfallForm
    success_message = "Reported to the agency's senior managers."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        ids = selectors.shortfall_agency_ids_for(self.request.user)
        kwargs["agencies"] = Agency.objects.live().filter(pk__in=ids).order_by("name")
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        ids = selectors.shortfall_agency_ids_for(self.request.user)
        return {"agency": next(iter(ids))} if len(ids) == 1 else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            page_title="Report a workload or resource shortfall",
            button="Send to senior managers",
            intro="Tell the agency's senior managers about something that may stop staff "
            "giving a good service: workload, a shortage of resources, or a gap in knowledge "
            "or skills. They will answer you here.",
            back_url=reverse("supervision:shortfall_list"),
        )
        return context

    def perform(self, form: ShortfallForm) -> Any:
        data = form.cleaned_data
        return services.shortfall_raise(
            actor=self.actor,
            agency=data["agency"],
            kind=data["kind"],
            description=data["description"],
            impact=data.get("impact") or "",
            submission_token=data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("supervision:shortfall_detail", args=[self.result.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Workload and resource shortfalls", reverse("supervision:shortfall_list")),
            ("Report a shortfall", None),
        )


class ShortfallDetailView(RuleRequiredMixin, AuditedReadMixin, BreadcrumbsMixin, DetailView):
    permission_required = Permission.VIEW_SHORTFALL
    template_name = "supervision/shortfall_detail.html"
    context_object_name = "shortfall"

    def get_object(self, queryset: Any = None) -> ServiceShortfall:
        return get_object_or_404(
            ServiceShortfall.objects.live().select_related("agency", "raised_by", "answered_by"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        can_answer = self.request.user.has_perm(Permission.ANSWER_SHORTFALL, self.object)
        context["answer_form"] = ShortfallAnswerForm() if can_answer else None
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Workload and resource shortfalls", reverse("supervision:shortfall_list")),
            (self.object.get_kind_display(), None),
        )


class ShortfallAnswerView(ServiceFormView):
    permission_required = Permission.ANSWER_SHORTFALL
    template_name = "supervision/shortfall_detail.html"
    form_class = ShortfallAnswerForm
    success_message = "Answer sent."
    object: Any = None

    def get_object(self) -> ServiceShortfall:
        return get_object_or_404(
            ServiceShortfall.objects.live().select_related("agency", "raised_by", "answered_by"),
            pk=self.kwargs["pk"],
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(reverse("supervision:shortfall_detail", args=[kwargs["pk"]]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(shortfall=self.object, answer_form=context["form"])
        return context

    def perform(self, form: ShortfallAnswerForm) -> Any:
        return services.shortfall_answer(
            actor=self.actor,
            shortfall=self.object,
            answer=form.cleaned_data["answer"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        messages.info(self.request, "The person who reported it has been told.")
        return reverse("supervision:shortfall_detail", args=[self.object.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Workload and resource shortfalls", reverse("supervision:shortfall_list")),
            (self.object.get_kind_display(), None),
        )
