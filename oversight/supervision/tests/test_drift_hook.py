"""Recording a case discussion surfaces drift at once (seed 004 objective 3): the third
amber-or-red discussion in a row raises a flag the supervisor sees, without waiting for the
nightly sweep."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oversight.children.models import DriftRule
from oversight.supervision import services
from oversight.supervision.models import RagRating

from .factories import CaseDiscussionFactory, SessionFactory, SessionRecordFactory


def _earlier_discussion(cast: Any, child: Any, days_ago: int, rag: str) -> None:
    held_on = timezone.localdate() - dt.timedelta(days=days_ago)
    session = SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        held=True,
        held_on=held_on,
    )
    CaseDiscussionFactory(
        record=SessionRecordFactory(session=session),
        child=child,
        discussed_on=held_on,
        rag_rating=rag,
    )


def test_third_amber_discussion_raises_a_drift_flag(cast: Any, record: Any, child: Any) -> None:
    _earlier_discussion(cast, child, 70, RagRating.AMBER)
    _earlier_discussion(cast, child, 40, RagRating.AMBER)
    assert not child.drift_flags.exists()

    services.case_discussion_add(
        actor=cast.supervisor,
        record=record,
        child=child,
        data={"rag_rating": RagRating.AMBER, "identified_needs": "No change in home conditions."},
    )

    flag = child.drift_flags.get()
    assert flag.rule == DriftRule.CONSECUTIVE
    assert flag.acknowledged_at is None


def test_an_improving_discussion_raises_nothing(cast: Any, record: Any, child: Any) -> None:
    _earlier_discussion(cast, child, 40, RagRating.GREEN)
    services.case_discussion_add(
        actor=cast.supervisor,
        record=record,
        child=child,
        data={"rag_rating": RagRating.GREEN, "identified_needs": "Attendance up."},
    )
    assert not child.drift_flags.exists()
