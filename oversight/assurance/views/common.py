"""What the assurance views share: the period from the query string, exports, errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from oversight.core.access import AuthenticatedHttpRequest
from oversight.core.models import AuditAction
from oversight.core.services import RequestOrigin, audit_event_record

from ..forms import PeriodForm
from ..selectors import Period, default_period
from ..tables import Headline, Table, csv_export, headlines, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_from(request: HttpRequest, today: dt.date) -> tuple[Period, PeriodForm]:
    """The chosen period, or the last three months when none (or a bad one) is given."""
    default = default_period(today)
    # The GOV.UK date input sends start_day, start_month, start_year (links send start=ISO).
    if any(key.split("_")[0] in ("start", "end") for key in request.GET):
        form = PeriodForm(request.GET)
        if form.is_valid():
            return Period(form.cleaned_data["start"], form.cleaned_data["end"]), form
        return default, form
    return default, PeriodForm(initial={"start": default.start, "end": default.end})


def export_response(
    request: AuthenticatedHttpRequest,
    *,
    fmt: str,
    tables: list[Table],
    name: str,
    title: str,
    period: Period,
    target: Any = None,
    summary: list[Headline] | None = None,
) -> HttpResponse:
    """The same tables as the page, as CSV, XLSX or a printable board report (PDF). The
    report's summary page gives ``summary`` (the dashboard's headline questions), or else the
    headline of each trend among the tables."""
    audit_event_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=target,
        origin=RequestOrigin.from_request(request),
        detail={"export": name, "format": fmt, "from": str(period.start), "to": str(period.end)},
    )
    stem = f"{name}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if fmt == "csv":
        content, filename, media_type = csv_export(tables, stem=stem)
        response = HttpResponse(content, content_type=media_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if fmt == "xlsx":
        about = [
            ("Report", title),
            ("Period", f"{date_format(period.start)} to {date_format(period.end)}"),
        ]
        response = HttpResponse(xlsx_bytes(tables, about=about), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    from weasyprint import HTML

    html = render_to_string(
        "assurance/board_report.html",
        {
            "tables": tables,
            "headlines": headlines(tables) if summary is None else summary,
            "title": title,
            "period": period,
            "generated_at": timezone.now(),
        },
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{stem}.pdf"'
    return response
