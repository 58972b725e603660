"""The signed copy of a record as a PDF (seed 001 "Recording": the supervisee receives a signed
copy), made with WeasyPrint from an HTML template. The wellbeing section is included only for
the supervisor and supervisee."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from .models import SessionRecord
from .prompts import CYCLE


def record_pdf_html(record: SessionRecord, *, wellbeing: bool) -> str:
    return render_to_string(
        "supervision/record_pdf.html",
        {
            "record": record,
            "session": record.session,
            "show_wellbeing": wellbeing,
            "cycle": CYCLE,
            "generated_at": timezone.now(),
        },
    )


def record_pdf(record: SessionRecord, *, wellbeing: bool) -> bytes:
    from weasyprint import HTML

    return HTML(string=record_pdf_html(record, wellbeing=wellbeing)).write_pdf()
