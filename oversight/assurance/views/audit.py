"""Record audit (seed 004 objective 2; issue 5 item 6): draw a stratified sample, grade each
sampled record against the checklist, record findings and actions. Auditors see only the
sampled records, never the wellbeing section, and every view is audited."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from oversight.core.access import AuditedReadMixin, BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.views import ServiceFormView
from oversight.people.models import Agency
from oversight.people.selectors import access_profile
from oversight.supervision.models import CaseDiscussion
from oversight.supervision.selectors import record_for
from oversight.supervision.signed import DISCUSSION_TEXT

from .. import selectors, services
from ..forms import (
    AuditCompleteForm,
    AuditDrawForm,
    AuditedChildGradeForm,
    GradeForm,
    MultiAgencyAuditDrawForm,
)
from ..models import CHECKLIST, AuditedChild, AuditedRecord, RecordAudit
from ..periods import add_months
from ..rules import Permission
from .dashboards import _crumbs

# The Appendix III text of a case discussion, as the signed record keeps it.
DISCUSSION_FIELDS = DISCUSSION_TEXT


def _audits_crumb() -> tuple[str, str]:
    return ("Record audits", reverse("assurance:audit_list"))


class AuditListView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    permission_required = Permission.LIST_AUDITS
    template_name = "assurance/audit_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        profile = access_profile(self.request.user)
        context["audits"] = list(selectors.audits_visible_to(profile))
        agencies = Agency.objects.live().order_by("name")
        if not profile.is_partnership_auditor:
            agencies = agencies.filter(pk__in=profile.led_agency_ids)
        context["agencies"] = list(agencies)
        context["can_draw_multi_agency"] = self.request.user.has_perm(
            Permission.DRAW_MULTI_AGENCY_AUDIT
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(("Record audits", None))


class AuditDrawView(ServiceFormView):
    permission_required = Permission.DRAW_AUDIT
    template_name = "assurance/audit_draw.html"
    form_class = AuditDrawForm
    success_message = "Sample drawn. Grade each record against the checklist."
    object: Agency | None = None

    def get_object(self) -> Agency:
        return get_object_or_404(Agency.objects.live(), pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        assert self.object is not None
        return {
            "title": f"{self.object.name} record audit, {today:%B %Y}",
            "period_start": add_months(today, -6),
            "period_end": today,
            "per_stratum": 5,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["agency"] = self.object
        return context

    def perform(self, form: AuditDrawForm) -> Any:
        data = form.cleaned_data
        assert self.object is not None
        return services.record_audit_draw(
            actor=self.actor,
            agency=self.object,
            title=data["title"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            per_stratum=data["per_stratum"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("assurance:audit_detail", args=[self.result.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(_audits_crumb(), ("Draw a sample", None))


class AuditDetailView(RuleRequiredMixin, AuditedReadMixin, BreadcrumbsMixin, TemplateView):
    permission_required = Permission.VIEW_AUDIT
    template_name = "assurance/audit_detail.html"
    object: RecordAudit | None = None

    def get_object(self) -> RecordAudit:
        try:
            return selectors.audit_detail(audit_id=self.kwargs["pk"])
        except RecordAudit.DoesNotExist as missing:
            from django.http import Http404

            raise Http404 from missing

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assert self.object is not None
        if self.object.multi_agency:
            children = selectors.audited_children(self.object)
            items = [item for sampled in children for item in sampled.items]
            context["children"] = children
            all_graded = all(i.is_graded for i in items) and all(c.is_graded for c in children)
        else:
            items = list(selectors.audit_items(self.object))
            all_graded = all(i.is_graded for i in items)
        context.update(
            audit=self.object,
            items=items,
            checklist=CHECKLIST,
            all_graded=all_graded,
            can_grade=self.request.user.has_perm(Permission.GRADE_AUDIT, self.object),
            complete_form=kwargs.get("complete_form")
            or AuditCompleteForm(
                initial={
                    "findings": self.object.findings,
                    "actions_for_agency": self.object.actions_for_agency,
                    "version": self.object.version,
                }
            ),
        )
        return context

    def get_template_names(self) -> list[str]:
        assert self.object is not None
        if self.object.multi_agency:
            return ["assurance/multi_agency_audit_detail.html"]
        return [self.template_name]

    def get_audit_detail(self) -> dict[str, Any] | None:
        assert self.object is not None
        return {"multi_agency": True} if self.object.multi_agency else None

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        assert self.object is not None
        return _crumbs(_audits_crumb(), (self.object.title, None))


class MultiAgencyAuditDrawView(ServiceFormView):
    """Issue 13 item 5: the partnership auditor draws children known to two or more
    agencies, stratified by risk (seed 004 objective 2)."""

    permission_required = Permission.DRAW_MULTI_AGENCY_AUDIT
    template_name = "assurance/audit_draw.html"
    form_class = MultiAgencyAuditDrawForm
    success_message = "Sample drawn. Grade each record, each agency's part and the working."

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "title": f"Multi-agency audit, {today:%B %Y}",
            "period_start": add_months(today, -6),
            "period_end": today,
            "per_stratum": 5,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["multi_agency"] = True
        return context

    def perform(self, form: MultiAgencyAuditDrawForm) -> Any:
        data = form.cleaned_data
        return services.multi_agency_audit_draw(
            actor=self.actor,
            title=data["title"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            per_stratum=data["per_stratum"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("assurance:audit_detail", args=[self.result.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(_audits_crumb(), ("Draw a multi-agency sample", None))


class AuditedChildView(AuditedReadMixin, ServiceFormView):
    """One sampled child of a multi-agency audit: the agencies involved, each agency's sampled
    records (links), and the grades for each agency's part and the multi-agency working. Never
    a record's text here, and never wellbeing."""

    permission_required = Permission.VIEW_AUDIT
    template_name = "assurance/audited_child.html"
    form_class = AuditedChildGradeForm
    success_message = "Grades saved."
    object: AuditedChild | None = None

    def get_object(self) -> AuditedChild:
        try:
            return selectors.audited_child_detail(pk=self.kwargs["pk"])
        except AuditedChild.DoesNotExist as missing:
            from django.http import Http404

            raise Http404 from missing

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        assert self.object is not None
        if not request.user.has_perm(Permission.GRADE_AUDIT, self.object):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        assert self.object is not None
        return {**super().get_form_kwargs(), "parts": list(self.object.parts.all())}

    def get_initial(self) -> dict[str, Any]:
        assert self.object is not None
        initial: dict[str, Any] = {
            "working": self.object.multi_agency_working,
            "notes": self.object.notes,
            "version": self.object.version,
        }
        for part in self.object.parts.all():
            initial[f"part_{part.pk}"] = part.grade
            initial[f"part_{part.pk}_notes"] = part.notes
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assert self.object is not None
        items = selectors.audited_child_records(self.object)
        context.update(
            sampled=self.object,
            audit=self.object.audit,
            items=items,
            can_grade=self.request.user.has_perm(Permission.GRADE_AUDIT, self.object),
        )
        return context

    def perform(self, form: AuditedChildGradeForm) -> Any:
        assert self.object is not None
        data = form.cleaned_data
        parts = list(self.object.parts.all())
        return services.audited_child_grade(
            actor=self.request.user,
            item=self.object,
            part_grades={p.pk: data[f"part_{p.pk}"] for p in parts},
            part_notes={p.pk: data[f"part_{p.pk}_notes"] for p in parts},
            working=data["working"],
            notes=data["notes"],
            expected_version=data.get("version"),
            origin=self.origin(),
        )

    def get_audit_detail(self) -> dict[str, Any]:
        assert self.object is not None
        return {"multi_agency": True, "agencies": len(self.object.parts.all())}

    def get_success_url(self) -> str:
        assert self.object is not None
        return reverse("assurance:audit_detail", args=[self.object.audit_id])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        assert self.object is not None
        audit = self.object.audit
        return _crumbs(
            _audits_crumb(),
            (audit.title, reverse("assurance:audit_detail", args=[audit.pk])),
            ("Sampled child", None),
        )


class AuditCompleteView(ServiceFormView):
    permission_required = Permission.GRADE_AUDIT
    template_name = "assurance/audit_complete.html"
    form_class = AuditCompleteForm
    success_message = "Audit complete. Its results are on the dashboards."
    http_method_names = ["post"]
    object: RecordAudit | None = None

    def get_object(self) -> RecordAudit:
        return get_object_or_404(
            RecordAudit.objects.live().select_related("agency"), pk=self.kwargs["pk"]
        )

    def perform(self, form: AuditCompleteForm) -> Any:
        assert self.object is not None
        data = form.cleaned_data
        return services.record_audit_complete(
            actor=self.request.user,
            audit=self.object,
            findings=data["findings"],
            actions_for_agency=data["actions_for_agency"],
            expected_version=data.get("version"),
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        assert self.object is not None
        return reverse("assurance:audit_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["audit"] = self.object
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        assert self.object is not None
        return _crumbs(
            _audits_crumb(),
            (self.object.title, reverse("assurance:audit_detail", args=[self.object.pk])),
            ("Complete", None),
        )


class AuditedRecordView(AuditedReadMixin, ServiceFormView):
    """One sampled record, without its wellbeing section, and its grades."""

    permission_required = Permission.VIEW_AUDIT
    template_name = "assurance/audited_record.html"
    form_class = GradeForm
    success_message = "Grades saved."
    object: AuditedRecord | None = None

    def get_object(self) -> AuditedRecord:
        return get_object_or_404(
            AuditedRecord.objects.live().select_related(
                "audit", "audit__agency", "record", "oversight", "source_agency", "child"
            ),
            pk=self.kwargs["pk"],
        )

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        assert self.object is not None
        if not request.user.has_perm(Permission.GRADE_AUDIT, self.object):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        assert self.object is not None
        return {**super().get_form_kwargs(), "checklist": self.object.checklist}

    def get_initial(self) -> dict[str, Any]:
        assert self.object is not None
        initial: dict[str, Any] = {
            name: getattr(self.object, name) for name, _ in self.object.checklist
        }
        initial["notes"] = self.object.notes
        initial["version"] = self.object.version
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assert self.object is not None
        if self.object.oversight_id is not None:
            context.update(
                item=self.object,
                audit=self.object.audit,
                oversight=selectors.oversight_for_audit(oversight_id=self.object.oversight_id),
                can_grade=self.request.user.has_perm(Permission.GRADE_AUDIT, self.object),
            )
            return context
        assert self.object.record is not None
        # The audit page shows neither the attendance nor the agenda (issue 17 item 1).
        record = record_for(
            session_id=self.object.record.session_id, with_wellbeing=False, session_parts=False
        )
        for discussion in record.case_discussions.all():
            discussion.audit_fields = [
                (
                    getattr(CaseDiscussion._meta.get_field(name), "verbose_name", name),
                    getattr(discussion, name),
                )
                for name in DISCUSSION_FIELDS
            ]
        context.update(
            item=self.object,
            audit=self.object.audit,
            record=record,
            can_grade=self.request.user.has_perm(Permission.GRADE_AUDIT, self.object),
        )
        return context

    def perform(self, form: GradeForm) -> Any:
        assert self.object is not None
        data = form.cleaned_data
        return services.audited_record_grade(
            actor=self.request.user,
            item=self.object,
            grades={name: data[name] for name, _ in self.object.checklist},
            notes=data["notes"],
            expected_version=data.get("version"),
            origin=self.origin(),
        )

    def get_template_names(self) -> list[str]:
        assert self.object is not None
        if self.object.oversight_id is not None:
            return ["assurance/audited_oversight.html"]
        return [self.template_name]

    def get_success_url(self) -> str:
        assert self.object is not None
        return reverse("assurance:audit_detail", args=[self.object.audit_id])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        assert self.object is not None
        audit = self.object.audit
        return _crumbs(
            _audits_crumb(),
            (audit.title, reverse("assurance:audit_detail", args=[audit.pk])),
            ("Sampled record", None),
        )
