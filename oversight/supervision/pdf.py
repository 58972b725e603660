"""The signed copy of a record as a PDF (seed 001 "Recording": the supervisee receives a signed
copy), made with WeasyPrint from an HTML template. The wellbeing section is included only for
the supervisor and supervisee. A fully signed record renders from what was signed
(``supervision.signed``, issue 10 item 4), so later renames and edits do not change it."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from oversight.core.overdue import mark_overdue

from .models import SessionRecord
from .prompts import CYCLE
from .signed import as_signed


def record_pdf_html(record: SessionRecord, *, wellbeing: bool) -> str:
    # Where each decision stands on the child's file, and each action, is what the live row
    # answers for today (issue 12 item 5); the signed copy reads the answers through.
    day = timezone.localdate()
    for discussion in record.case_discussions.all():
        mark_overdue(discussion.decisions.all(), day)
    mark_overdue(record.actions.all(), day)
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


def record_pdf_filename(record: SessionRecord) -> str:
    """The name a supervisee files their signed copy under (001 Recording: "the supervisee
    gets a signed copy"): whose supervision and when, never an internal id — e.g.
    ``supervision-record-amara-okafor-2026-11-17.pdf``; a group session is named by its title."""
    session = record.session
    day = session.held_on or session.planned_start.date()
    who = session.supervisee.display_name if session.supervisee is not None else session.title
    return f"supervision-record-{slugify(who) or 'group'}-{day:%Y-%m-%d}.pdf"
