"""Supervision's check for ``manage.py verify_integrity`` (issue 10 item 4), named on its
``AppConfig``: every signed record against what was signed, and every addendum."""

from __future__ import annotations

from oversight.core.integrity import IntegrityResult

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
