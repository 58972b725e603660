"""Supervision's check for ``manage.py verify_integrity`` (issue 10 item 4), named on its
``AppConfig``: every signed record against what was signed, and every addendum; every case
discussion's agency against its session's."""

from __future__ import annotations

from django.db.models import F

from oversight.core.integrity import BrokenLink, IntegrityResult

from .models import CaseDiscussion
from .selectors import records_for_check
from .signed import signed_record_check


def signed_records_check() -> IntegrityResult:
    """Names the first record, snapshot or addendum that is not what was written."""
    checked = 0
    for record in records_for_check():
        checked += 1
        broken = signed_record_check(record)
        if broken is not None:
            return IntegrityResult("signed records and their addenda", checked, broken)
    return IntegrityResult("signed records and their addenda", checked)


DISCUSSIONS = "case discussions' agencies"


def discussion_agencies_check() -> IntegrityResult:
    """Names the first case discussion whose agency is not its session's (decision 0032):
    the dashboards count discussions by the agency the row names."""
    wrong = (
        CaseDiscussion.objects.exclude(agency_id=F("record__session__agency_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    checked = CaseDiscussion.objects.count()
    if wrong is None:
        return IntegrityResult(DISCUSSIONS, checked)
    return IntegrityResult(
        DISCUSSIONS,
        checked,
        BrokenLink("CaseDiscussion", wrong, "its agency is not the agency of its session"),
    )
