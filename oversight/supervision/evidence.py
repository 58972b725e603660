"""A practitioner's own supervision history as evidence for their registration (issue 15 item
17; beyond the seeds): NMC revalidation's written reflective accounts and reflective
discussion, and Social Work England's CPD record.

It holds only what is theirs to take: dates, types, who supervised, time, the functions, key
elements and serious case review themes recorded (seed 001 4x4x4; seed 004 Introduction),
the learning and development recorded, and their own words (their comment and review of
supervision at signing). It leaves out children (names, references, case discussion text),
the wellbeing section, agenda items, actions and addenda (seed 003 confidentiality), and
every other person's notes. Only records both people signed are used, as they were signed
(``supervision.signed``), so the export matches the copy each party holds."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from oversight.contracts.models import SessionType

from .models import RecordStatus, Session, SessionStatus

PDF = "pdf"
DOCX = "docx"
FORMATS = {
    PDF: ("application/pdf", "PDF"),
    DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document (.docx), to edit",
    ),
}

# The prompts of NMC revalidation's reflective accounts form and Social Work England's CPD
# record, for the practitioner to answer beside what the record holds.
NMC_ACCOUNT_PROMPTS = (
    "What did you learn from the supervision discussion?",
    "How did you change or improve your practice as a result?",
    "How is this relevant to the Code? (Prioritise people, practise effectively, preserve "
    "safety, promote professionalism and trust.)",
)
SWE_CPD_PROMPTS = (
    "What did you learn, and what did you reflect on?",
    "What impact has this had, or will it have, on your practice and the people you work with?",
)


@dataclass
class EvidenceEntry:
    day: dt.date
    session_type: str
    with_whom: str
    minutes: int
    title: str = ""
    learning_review: str = ""
    functions: list[str] = field(default_factory=list)
    key_elements: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    discussions: int = 0
    learning: str = ""
    own_comment: str = ""
    own_review: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Evidence:
    person_name: str
    start: dt.date
    end: dt.date
    entries: list[EvidenceEntry]
    unsigned: int
    made_at: dt.datetime

    @property
    def hours(self) -> float:
        return round(sum(e.minutes for e in self.entries) / 60, 1)

    @property
    def by_type(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.session_type] = counts.get(entry.session_type, 0) + 1
        return sorted(counts.items())

    def filename(self, file_format: str) -> str:
        return (
            f"supervision-evidence-{slugify(self.person_name) or 'practitioner'}-"
            f"{self.start:%Y-%m-%d}-to-{self.end:%Y-%m-%d}.{file_format}"
        )


REVIEW_QUESTIONS = (
    ("review_protected_time", "Was the time protected and free from interruptions?"),
    ("review_helpful", "Did this session help your work with children and families?"),
    ("review_improve", "What would make supervision work better for you?"),
)


def evidence_for(person: object, *, start: dt.date, end: dt.date) -> Evidence:
    """The person's held sessions in the period as supervisee, or as an attendee who came,
    with a record both signed. Two queries (the sessions with their signed content, and the
    count of those not yet signed)."""
    from .signed import record_content

    pk = getattr(person, "pk", None)
    theirs = Q(supervisee_id=pk) | Q(attendances__person_id=pk, attendances__attended=True)
    held = (
        Session.objects.live()
        .filter(theirs, status=SessionStatus.HELD, held_on__gte=start, held_on__lte=end)
        .distinct()
    )
    sessions = list(
        held.filter(record__status=RecordStatus.SIGNED)
        .select_related("supervisor", "record", "record__signed_content")
        .order_by("held_on", "pk")
    )
    entries = []
    for session in sessions:
        record = session.record
        sealed = getattr(record, "signed_content", None)
        shown = sealed.content if sealed is not None else record_content(record)
        own = session.supervisee_id == pk
        discussions = shown.get("discussions") or []
        themes = sorted({t for d in discussions for t in (d.get("review_themes") or [])})
        actual = getattr(record, "minutes_held", None)
        entries.append(
            EvidenceEntry(
                day=session.held_on or timezone.localdate(session.planned_start),
                session_type=SessionType(session.session_type).label,
                with_whom=shown.get("supervisor_name") or session.supervisor.display_name,
                minutes=actual or session.duration_minutes,
                title=session.title if session.is_group else "",
                learning_review=session.learning_review,
                functions=list(shown.get("functions_served") or []),
                key_elements=list(shown.get("key_elements") or []),
                themes=themes,
                discussions=len(discussions),
                learning=shown.get("learning_development") or "",
                # Their own words only: a group member's record holds no comment of theirs.
                own_comment=(shown.get("supervisee_comment") or "") if own else "",
                own_review=[
                    (question, str(shown.get(key) or ""))
                    for key, question in REVIEW_QUESTIONS
                    if own and shown.get(key)
                ],
            )
        )
    unsigned = held.exclude(record__status=RecordStatus.SIGNED).count()
    return Evidence(
        person_name=getattr(person, "display_name", ""),
        start=start,
        end=end,
        entries=entries,
        unsigned=unsigned,
        made_at=timezone.now(),
    )


def _context(evidence: Evidence) -> dict[str, object]:
    return {
        "evidence": evidence,
        "nmc_prompts": NMC_ACCOUNT_PROMPTS,
        "swe_prompts": SWE_CPD_PROMPTS,
    }


def evidence_pdf(evidence: Evidence) -> bytes:
    from weasyprint import HTML

    html = render_to_string("supervision/evidence_pdf.html", _context(evidence))
    return HTML(string=html).write_pdf()


def _list(items: list[str]) -> str:
    return ", ".join(items) if items else "None recorded"


def evidence_docx(evidence: Evidence) -> bytes:
    """The same content as the PDF, as a document the practitioner edits and completes."""
    from docx import Document

    doc = Document()
    doc.core_properties.title = f"Supervision evidence for {evidence.person_name}"
    doc.add_heading(f"Supervision evidence: {evidence.person_name}", level=0)
    doc.add_paragraph(
        f"Safeguarding supervision from {evidence.start:%-d %B %Y} to {evidence.end:%-d %B %Y}: "
        f"{len(evidence.entries)} sessions with signed records, {evidence.hours} hours. "
        f"Made on {timezone.localtime(evidence.made_at):%-d %B %Y}."
    )
    if evidence.unsigned:
        doc.add_paragraph(
            f"{evidence.unsigned} more sessions in the period are not included because their "
            "records are not yet signed by both of you."
        )
    doc.add_paragraph(
        "This document holds no child's details and no one else's notes. Complete the "
        "prompts in your own words before you use it for revalidation or your CPD record."
    )
    doc.add_heading("Supervision history", level=1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Date", "Type", "With", "Hours"), strict=True):
        cell.text = text
    for entry in evidence.entries:
        row = table.add_row().cells
        row[0].text = f"{entry.day:%-d %b %Y}"
        row[1].text = entry.session_type
        row[2].text = entry.with_whom
        row[3].text = f"{entry.minutes / 60:.1f}"
    for entry in evidence.entries:
        doc.add_heading(f"{entry.day:%-d %B %Y}: {entry.session_type}", level=2)
        doc.add_paragraph(f"With {entry.with_whom}, {entry.minutes} minutes.")
        if entry.learning_review:
            doc.add_paragraph(f"Review learned from: {entry.learning_review}")
        doc.add_paragraph(f"Functions of supervision: {_list(entry.functions)}")
        doc.add_paragraph(f"Key elements: {_list(entry.key_elements)}")
        doc.add_paragraph(f"Serious case review themes considered: {_list(entry.themes)}")
        doc.add_paragraph(f"Learning and development recorded: {entry.learning or 'None'}")
        if entry.own_comment:
            doc.add_paragraph(f"Your comment when you signed: {entry.own_comment}")
        for question, answer in entry.own_review:
            doc.add_paragraph(f"{question} {answer}")
        doc.add_heading("NMC written reflective account", level=3)
        for prompt in NMC_ACCOUNT_PROMPTS:
            doc.add_paragraph(prompt, style="List Bullet")
            doc.add_paragraph("")
        doc.add_heading("Social Work England CPD record", level=3)
        for prompt in SWE_CPD_PROMPTS:
            doc.add_paragraph(prompt, style="List Bullet")
            doc.add_paragraph("")
    doc.add_heading("NMC reflective discussion", level=1)
    doc.add_paragraph(
        "Your reflective discussion is with another NMC registrant. For each supervisor "
        "above who is one, add their name, NMC PIN and the date you discussed your "
        "reflective accounts."
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
