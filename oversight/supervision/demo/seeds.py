"""Demo touches for what the seeds ask of the record (issue 15 items 8, 10, 14 and 15): start
and end times, the supervisee's review of supervision at sign-off, referrals for specialist
assessment and serious case review themes. Each draws from its own generator seeded by the
row, so the rest of the demo history stays as it was."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ..models import CaseDiscussion, RecordStatus, ReviewAnswer, ReviewTheme, SessionRecord

REFERRALS = (
    "Paediatric neurodevelopmental assessment, requested through the GP.",
    "Child and adolescent mental health assessment.",
    "Speech and language therapy assessment, through the school.",
    "Parenting capacity assessment by an independent social worker.",
)
IMPROVE = (
    "Fewer phone interruptions: a room away from the duty desk.",
    "Starting on time: we lost part of the hour.",
    "More time on reflection, less on case updates.",
    "",
)


# Read once: an enum's ``values`` is worked out afresh on every read, which was a tenth of
# the large demo's build (issue 17 item 4).
THEMES = tuple(ReviewTheme.values)


def _rng(kind: str, pk: int | None) -> random.Random:
    return random.Random(f"{kind}-{pk}")


def record_times_and_review(record: SessionRecord, *, rich: bool) -> None:
    """Most sessions start on time; a few start late or run short (seed 001 "on time")."""
    rng = _rng("record", record.session.pk)
    planned = timezone.localtime(record.session.planned_start)
    late = rng.choice((0, 0, 0, 5, 15, 25))
    early = 0 if late else rng.choice((0, 2))
    start = planned + dt.timedelta(minutes=late - early)
    length = record.session.duration_minutes - rng.choice((0, 0, 10, 20))
    end = start + dt.timedelta(minutes=length)
    if rich or rng.random() < 0.7:
        record.started_at = start.time().replace(second=0, microsecond=0)
        if end.date() == start.date():
            record.ended_at = end.time().replace(second=0, microsecond=0)
    # Seed 004 "The Supervision Process": the supervisee reviews supervision at sign-off.
    if record.status == RecordStatus.SIGNED and (rich or rng.random() < 0.4):
        record.review_protected_time = ReviewAnswer.PARTLY if late else ReviewAnswer.YES
        record.review_helpful = rng.choice(
            (ReviewAnswer.YES, ReviewAnswer.YES, ReviewAnswer.PARTLY)
        )
        record.review_improve = IMPROVE[1] if late else rng.choice(IMPROVE)


def discussion_outcomes(discussion: CaseDiscussion, *, rich: bool, index: int) -> None:
    """Seed 004: referral for specialist assessment; seed 004 Introduction and 002: the
    serious case review themes the discussion considered."""
    rng = _rng(f"discussion-{index}", discussion.record.pk)
    if (rich and index == 0) or rng.random() < 0.08:
        discussion.specialist_referral = True
        discussion.specialist_referral_detail = rng.choice(REFERRALS)
    count = 2 if rich else rng.choice((0, 0, 1, 1, 2))
    chosen = set(rng.sample(THEMES, count))
    discussion.review_themes = [t for t in THEMES if t in chosen]
