"""The signed copy of a record as a PDF (seed 001 "Recording": the supervisee receives a signed
copy), made with WeasyPrint from an HTML template. The wellbeing section is included only for
the supervisor and supervisee."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from .models import SessionRecord
from .prompts import CYCLE


def record_pdf(record: SessionRecord, *, wellbeing: bool) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "supervision/record_pdf.html",
        {
            "record": record,
            "session": record.session,
            "show_wellbeing": wellbeing,
            "cycle": CYCLE,
            "generated_at": timezone.now(),
        },
    )
    return HTML(string=html).write_pdf()
