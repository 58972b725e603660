"""Pages for the reflective tools and the 4x4x4 balance (issue 15 items 11, 12), case
progression (item 16) and a practitioner's own revalidation evidence (item 17)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.views import ServiceFormView
from oversight.people.models import Agency, Person, SupervisionRelationship
from oversight.people.selectors import access_profile

from .. import selectors, services
from ..evidence import DOCX, FORMATS, evidence_docx, evidence_for, evidence_pdf
from ..forms import EvidenceForm, ReflectionSettingsForm
from ..models import ReflectionSettings
from ..prompts import TOOL_CHOICES
from ..reflection import (
    agency_stage_coverage,
    case_progression,
    default_tool_key,
    quarters_ending,
    relationship_balance,
)
from ..rules import Permission
from .base import origin


def _crumbs(*tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("home")), *tail]


class _AgencyMixin:
    kwargs: dict[str, Any]
    object: Any = None

    def get_object(self, queryset: Any = None) -> Agency:
        return get_object_or_404(Agency.objects.live(), pk=self.kwargs["pk"])

    @property
    def agency(self) -> Agency:
        return self.get_permission_object()  # type: ignore[attr-defined]  # RuleRequiredMixin


class ReflectionSettingsView(_AgencyMixin, ServiceFormView):
    """The lead chooses the reflective tool case discussions offer first (seed 004 App. II)."""

    permission_required = Permission.CHANGE_REFLECTION_SETTINGS
    form_class = ReflectionSettingsForm
    template_name = "supervision/form_page.html"
    success_message = "Reflective tool saved."

    def get_initial(self) -> dict[str, Any]:
        found = ReflectionSettings.objects.live().filter(agency=self.agency).first()
        return {
            "default_tool": default_tool_key(agency_id=self.agency.pk),
            "version": found.version if found is not None else None,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=f"Reflective tool: {self.agency.name}",
            intro="Appendix II of the supervision policy gives three tools for working through "
            "a case in supervision. Choose the one your agency's case discussions start with.",
            back_url=reverse("supervision:agency_reflection", args=[self.agency.pk]),
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Reflection", reverse("supervision:agency_reflection", args=[self.agency.pk])),
            ("Reflective tool", None),
        )

    def perform(self, form: ReflectionSettingsForm) -> Any:
        return services.reflection_settings_update(
            actor=self.actor,
            agency=self.agency,
            default_tool=form.cleaned_data["default_tool"],
            expected_version=form.cleaned_data.get("version"),
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("supervision:agency_reflection", args=[self.agency.pk])


class AgencyReflectionView(_AgencyMixin, RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    """The agency's analysis: which stages its discussions covered, whose perspectives were
    considered (items 11, 12), and case progression between ratings and statuses (item 16)."""

    permission_required = Permission.VIEW_AGENCY_REFLECTION
    template_name = "supervision/agency_reflection.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        periods = quarters_ending(today)
        start = periods[0][0]
        discussions, coverage, stakeholders = agency_stage_coverage(
            agency_id=self.agency.pk, start=start, end=today
        )
        progression = case_progression(agency_id=self.agency.pk, periods=periods)
        can_change = self.request.user.has_perm(Permission.CHANGE_REFLECTION_SETTINGS, self.agency)
        return {
            **super().get_context_data(**kwargs),
            "agency": self.agency,
            "tool_choices": TOOL_CHOICES,
            "progression_tables": [
                ("RAG rating compared with the discussion before", progression.rag_summary),
                ("Moves between RAG ratings", progression.rag_moves),
                ("Moves between legal statuses", progression.status_moves),
            ],
            "start": start,
            "today": today,
            "discussions": discussions,
            "coverage": coverage,
            "stakeholders": stakeholders,
            "progression": progression,
            "default_tool": default_tool_key(agency_id=self.agency.pk),
            "can_change": can_change,
            # The lead reaches each pair's balance from here (item 12); the auditor sees
            # no names.
            "pairs": (
                SupervisionRelationship.objects.live()
                .on(today)
                .filter(agency=self.agency)
                .select_related("supervisor", "supervisee")
                .order_by("supervisee__family_name", "supervisee__given_name", "pk")
                if can_change
                else []
            ),
        }

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs((f"Reflection and case progression: {self.agency.name}", None))


class RelationshipBalanceView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    """The balance of functions, key elements, stakeholders and cycle stages over one
    supervisee's records with their supervisor (seed 001; issue 15 item 12)."""

    permission_required = Permission.VIEW_RELATIONSHIP_BALANCE
    template_name = "supervision/relationship_balance.html"
    object: Any = None

    def get_object(self, queryset: Any = None) -> SupervisionRelationship:
        return get_object_or_404(
            SupervisionRelationship.objects.live().select_related(
                "supervisor", "supervisee", "agency"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        balance = relationship_balance(self.get_permission_object())
        return {
            **super().get_context_data(**kwargs),
            "balance": balance,
            "sections": [
                ("Functions of supervision", "Function", balance.functions),
                ("Key elements", "Key element", balance.key_elements),
                ("Whose perspectives were considered", "Stakeholder", balance.stakeholders),
            ],
        }

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Supervision", reverse("supervision:session_list")),
            ("Balance over time", None),
        )


class EvidenceView(RuleRequiredMixin, BreadcrumbsMixin, FormView):
    """A practitioner exports their own supervision history for revalidation or their CPD
    record (issue 15 item 17): a PDF, or a Word document to edit. Each export is audited."""

    permission_required = Permission.EXPORT_OWN_EVIDENCE
    template_name = "supervision/evidence.html"
    form_class = EvidenceForm

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        return {"start": today - dt.timedelta(days=365), "end": today, "file_format": "pdf"}

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Supervision", reverse("supervision:session_list")),
            ("Evidence for revalidation", None),
        )

    def form_valid(self, form: EvidenceForm) -> HttpResponse:
        data = form.cleaned_data
        file_format = data["file_format"]
        if file_format not in FORMATS:
            raise Http404("No such format")
        person = cast(Person, self.request.user)
        evidence = evidence_for(person, start=data["start"], end=data["end"])
        services.evidence_export_record(
            actor=person,
            start=data["start"],
            end=data["end"],
            file_format=file_format,
            sessions=len(evidence.entries),
            origin=origin(self.request),
        )
        body = evidence_docx(evidence) if file_format == DOCX else evidence_pdf(evidence)
        response = HttpResponse(body, content_type=FORMATS[file_format][0])
        response["Content-Disposition"] = f'attachment; filename="{evidence.filename(file_format)}"'
        return response


def reflection_links(user: Any, *, day: dt.date) -> list[tuple[str, str]]:
    """Links from the supervision page to items 11, 12 and 17's pages, as the rules allow:
    the balance of each current relationship the viewer is in, their own evidence, and the
    analysis of each agency they lead. One query, plus one for the evidence rule."""
    links: list[tuple[str, str]] = []
    for pair in selectors.supervision_pairs_of(person_id=user.pk, on=day):
        if pair.supervisor_id == user.pk:
            label = f"Balance over time: your supervision of {pair.supervisee.display_name}"
        else:
            label = f"Balance over time: your supervision with {pair.supervisor.display_name}"
        links.append((label, reverse("supervision:relationship_balance", args=[pair.pk])))
    if user.has_perm(Permission.EXPORT_OWN_EVIDENCE):
        links.append(
            ("Your evidence for revalidation and registration", reverse("supervision:evidence"))
        )
    led = list(access_profile(user).led_agency_ids)
    for agency in selectors.agencies_named(agency_ids=led) if led else []:
        links.append(
            (
                f"Reflection and case progression: {agency.name}",
                reverse("supervision:agency_reflection", args=[agency.pk]),
            )
        )
    return links
