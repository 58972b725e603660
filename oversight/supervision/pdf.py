"""The signed copy of a record as a PDF (seed 001 "Recording": the supervisee receives a signed
copy), made with WeasyPrint from an HTML template. The wellbeing section is included only for
the supervisor and supervisee. A fully signed record renders from what was signed
(``supervision.signed``, issue 10 item 4), so later renames and edits do not change it."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from .models import SessionRecord
from .prompts import CYCLE
from .signed import as_signed


def record_pdf_html(record: SessionRecord, *, wellbeing: bool) -> str:
    shown, session = as_signed(record, wellbeing=wellbeing)
    return render_to_string(
        "supervision/record_pdf.html",
        {
            "record": shown,
            "session": session,
            "show_wellbeing": wellbeing,
            "cycle": CYCLE,
            "generated_at": timezone.now(),
        },
    )


def record_pdf(record: SessionRecord, *, wellbeing: bool) -> bytes:
    from weasyprint import HTML

    return HTML(string=record_pdf_html(record, wellbeing=wellbeing)).write_pdf()
