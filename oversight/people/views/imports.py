"""Bulk import of staff from an HR export (see people/imports.py) and its template file."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views import View

from oversight.core.access import RuleRequiredMixin

from ..forms import StaffImportForm
from ..imports import COLUMNS, REQUIRED_COLUMNS, staff_import_csv, template_csv
from ..rules import Permission
from .base import ManageFormView


class StaffImportView(ManageFormView):
    """Errors are listed on the page itself (by row number); a good file shows its counts."""

    form_class = StaffImportForm
    template_name = "people/manage/import.html"
    heading = "Import staff from a CSV file"
    submit_label = "Check and import"

    def perform(self, form: Any) -> Any:
        upload = form.cleaned_data["file"]
        return staff_import_csv(
            actor=self.actor,
            content=upload.read(),
            origin=self.origin(),
        )

    def form_valid(self, form: Any) -> HttpResponse:
        result = self.perform(form)
        if not result.ok:
            form.add_error("file", "Nothing was imported. Correct the rows listed and try again.")
        return self.render_to_response(self.get_context_data(form=form, result=result))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["columns"] = COLUMNS
        context["required_columns"] = REQUIRED_COLUMNS
        return context


class StaffImportTemplateView(RuleRequiredMixin, View):
    permission_required = Permission.MANAGE_ORGANISATION

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="oversight-staff-import.csv"'
        return response
