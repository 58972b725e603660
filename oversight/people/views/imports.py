"""Bulk import of staff from an HR export (see people/imports.py) and its template file.

The upload is checked as a whole and queued (issue 10 item 9); the worker imports it and the
progress page shows how far it has got, then the outcome: the counts, or each bad row named
with its reason and nothing imported."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin

from .. import selectors
from ..forms import StaffImportForm
from ..imports import COLUMNS, REQUIRED_COLUMNS, template_csv
from ..models import StaffImport, StaffImportState
from ..rules import Permission
from ..services.import_jobs import staff_import_queue
from .base import ManageFormView


class StaffImportView(ManageFormView):
    """A file with a problem as a whole is refused here; a good one goes to the queue and the
    page moves on to its progress."""

    form_class = StaffImportForm
    template_name = "people/manage/import.html"
    heading = "Import staff from a CSV file"
    submit_label = "Check and import"

    def perform(self, form: Any) -> Any:
        upload = form.cleaned_data["file"]
        return staff_import_queue(
            actor=self.actor,
            content=upload.read(),
            filename=upload.name or "staff.csv",
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("people:staff_import_progress", args=[self.result.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["columns"] = COLUMNS
        context["required_columns"] = REQUIRED_COLUMNS
        context["recent_imports"] = list(selectors.staff_imports_recent())
        return context


class StaffImportProgressView(RuleRequiredMixin, BreadcrumbsMixin, DetailView):
    """Rows done of the total while the worker imports; then the outcome. No script: the page
    offers a link to look again."""

    permission_required = Permission.VIEW_STAFF_IMPORT
    template_name = "people/manage/import_progress.html"
    context_object_name = "job"

    def get_object(self, queryset: QuerySet[StaffImport] | None = None) -> StaffImport:
        return get_object_or_404(
            StaffImport.objects.defer("content").select_related("created_by"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = self.object
        context.update(
            finished=job.is_finished,
            done=job.state == StaffImportState.DONE,
            refused=job.state in (StaffImportState.REFUSED, StaffImportState.FAILED),
            waiting=job.state == StaffImportState.QUEUED,
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            ("Administration", reverse("people:manage_index")),
            ("Import staff from a CSV file", reverse("people:staff_import")),
            ("Import progress", None),
        ]


class StaffImportTemplateView(RuleRequiredMixin, View):
    permission_required = Permission.MANAGE_ORGANISATION

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="oversight-staff-import.csv"'
        return response
