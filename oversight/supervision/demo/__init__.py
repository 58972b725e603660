"""Demo history for supervision (issue 3 item 10): for every supervision relationship, sessions
about monthly (fortnightly for newly-qualified staff) across the demo's years — some cancelled
with or without notice, some missed, some moved — records mostly signed, a few not (one past its
deadline), case discussions whose RAG ratings tell a story (some stuck on amber, some sliding
from green to red, so drift shows), decisions on the child's file on time, late or not yet,
actions followed up, open and overdue; reflective practice groups on a practice review; and
management oversight records. supervisor.csc and practitioner.csc get the richest history;
``finish`` makes sure practitioner.csc has an overdue action on any ``--today``.

Everything is written with bulk_create in batches of relationships, so "large" (about 600,000
sessions over five years) stays feasible: per row there is only arithmetic and a random draw."""

import datetime as dt
import os

from django.db import connection, transaction
from django.utils import timezone

from oversight.children.services import meeting_tallies_keep
from oversight.core.demo import DemoContext

from ..services.records import records_seal_unsealed
from ..services.tallies import day_tallies_keep
from .drafts import finish as drafts_finish
from .history import build
from .line_management import finish as line_management_finish
from .personas import addendum as personas_addendum
from .personas import check_before_signing
from .personas import finish as personas_finish
from .reflection import finish as reflection_finish

__all__ = ["build", "finish", "settle"]


def finish(ctx: DemoContext) -> None:
    """The personas' touches; supervisor.csc has a draft to check before signing (issue 12
    item 4)."""
    personas_finish(ctx)
    reflection_finish(ctx)
    check_before_signing(ctx)
    line_management_finish(ctx)
    drafts_finish(ctx)


def settle(ctx: DemoContext) -> None:
    """Once everything is committed, store what each signed record says as signed (issue 10
    item 4), as signing does, so ``verify_integrity`` holds on the demo, one process per core
    for a benchmark partnership (issue 17 item 4); then one of practitioner.csc's signed
    records gains an addendum (issue 12 item 5)."""
    parallel = ctx.at_scale and connection.vendor == "postgresql"
    records_seal_unsealed(workers=(os.cpu_count() or 1) if parallel else 1)
    with transaction.atomic():
        personas_addendum(ctx)
    # Every closed day's tallies, as the nightly job would have kept them (decision 0033).
    yesterday = min(ctx.today, timezone.localdate()) - dt.timedelta(days=1)
    day_tallies_keep(through=yesterday)
    meeting_tallies_keep(through=yesterday)  # and the review meetings' (decision 0035)
