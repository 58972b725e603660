"""Supervision's check for ``manage.py verify_integrity`` (issue 10 item 4), named on its
``AppConfig``: every signed record against what was signed, and every addendum; every case
discussion's agency against its session's; every kept day tally against a recount."""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from oversight.core.integrity import BrokenLink, IntegrityResult

from .models import CaseDiscussion, DayTally, TallyKind
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


TALLIES = "day tallies of records and discussions"


def day_tallies_check() -> IntegrityResult:
    """Names the first agency and day whose kept tally differs from a recount of its records
    and discussions (decision 0033): the past periods' tables add the tallies up."""
    from oversight.core.tallies import BEGINNING

    from .selectors.tallies import counted, kept_through

    checked = 0
    for agency_id, last in sorted(kept_through().items()):
        kept: dict[tuple[dt.date, str, str], int] = {
            (row.on, row.kind, row.key): row.n
            for row in DayTally.objects.filter(agency_id=agency_id).exclude(kind=TallyKind.THROUGH)
        }
        recount = {
            (day, kind, key): n
            for (_, day, kind, key), n in counted([agency_id], BEGINNING, last).items()
        }
        checked += len(recount)
        differ = sorted(
            key[0] for key in kept.keys() | recount.keys() if kept.get(key) != recount.get(key)
        )
        if differ:
            return IntegrityResult(
                TALLIES,
                checked,
                BrokenLink(
                    "Agency",
                    agency_id,
                    f"its day tally for {differ[0]:%-d %B %Y} differs from a recount of its "
                    "records and discussions",
                ),
            )
    return IntegrityResult(TALLIES, checked)
