"""Evaluation of supervision (seed 004 Appendix I) and the wellbeing pulse: answered
anonymously; results shown only for groups of five or more."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.views import ServiceFormView
from oversight.people.models import SupervisionRelationship
from oversight.people.selectors import access_profile

from .. import selectors, services
from ..forms import EvaluationForm, PulseForm
from ..models import STATEMENT_FIELDS, PulseParticipation
from ..periods import add_months, quarter_start
from ..rules import Permission
from ..suppression import MINIMUM_GROUP
from .dashboards import _crumbs


class EvaluationListView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    permission_required = Permission.LIST_EVALUATIONS_DUE
    template_name = "assurance/evaluation_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["due"] = selectors.evaluations_due(person_id=self.request.user.pk or 0, on=today)
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(("Evaluate your supervision", None))


class EvaluationFormView(ServiceFormView):
    permission_required = Permission.ANSWER_EVALUATION
    template_name = "assurance/evaluation_form.html"
    form_class = EvaluationForm
    object: SupervisionRelationship | None = None

    def get_object(self) -> SupervisionRelationship:
        return get_object_or_404(
            SupervisionRelationship.objects.live().select_related("supervisor", "agency"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["relationship"] = self.object
        assert self.object is not None
        context["round_label"] = selectors.round_label(
            timezone.localdate(), services.evaluation_interval(self.object.agency_id)
        )
        return context

    success_message = (
        "Thank you. Your answers are anonymous: your supervisor sees them only when the "
        "round has closed, together with the answers of at least four other people."
    )

    def perform(self, form: EvaluationForm) -> Any:
        assert self.object is not None
        data = form.cleaned_data
        return services.evaluation_submit(
            actor=self.request.user,
            relationship=self.object,
            answers={name: data[name] for name in STATEMENT_FIELDS},
            more_of=data["more_of"],
            less_of=data["less_of"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("home")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Evaluate your supervision", reverse("assurance:evaluation_list")),
            ("Evaluation", None),
        )


class EvaluationResultsView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    """A supervisor's own results from the rounds of the last year that have closed with
    five or more answers about them (issue 9 item 3, decision 0004): never live."""

    permission_required = Permission.VIEW_OWN_EVALUATION
    template_name = "assurance/evaluation_results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        period = selectors.Period(add_months(today, -12), today)
        responses, people = selectors.supervisor_results(
            supervisor_id=self.request.user.pk or 0, period=period, today=today
        )
        context.update(
            count=responses.count(),
            minimum=MINIMUM_GROUP,
            published_when=selectors.PUBLISHED_WHEN,
            shown=people >= MINIMUM_GROUP,
            table=selectors.evaluation_statements_table(
                responses,
                "Your supervisees' answers in rounds closed in the last 12 months",
                people,
            ),
            comments=selectors.evaluation_comments(responses, people),
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(("Your evaluation results", None))


class PulseView(ServiceFormView):
    """A short, optional, anonymous wellbeing pulse, once a quarter."""

    permission_required = Permission.ANSWER_PULSE
    template_name = "assurance/pulse_form.html"
    form_class = PulseForm

    def _agency_id(self) -> int:
        return min(access_profile(self.request.user).member_agency_ids)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        quarter = quarter_start(timezone.localdate())
        context["quarter"] = quarter
        context["answered"] = PulseParticipation.objects.filter(
            respondent_id=self.request.user.pk, agency_id=self._agency_id(), quarter_start=quarter
        ).exists()
        return context

    success_message = "Thank you. Your answers are anonymous."

    def perform(self, form: PulseForm) -> Any:
        data = form.cleaned_data
        return services.pulse_submit(
            actor=self.request.user,
            agency_id=self._agency_id(),
            stress=data["stress"],
            resilience=data["resilience"],
            reflection=data["reflection"],
        )

    def get_success_url(self) -> str:
        return reverse("home")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(("Wellbeing pulse", None))
