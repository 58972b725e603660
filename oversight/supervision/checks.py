"""What the supervisor is warned of before signing a record (issue 12 item 4: check your
answers). Seed 001 "Recording": the supervisor completes the record before both sign; seed 004
Appendix III lists its sections. The check warns; only the service refuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import FollowUpOutcome, SessionRecord

# Appendix III's sections a record is incomplete without (field, what the user calls it).
REQUIRED_SECTIONS: tuple[tuple[str, str], ...] = (
    ("agenda_notes", "Agenda and issues for discussion"),
    ("learning_development", "Areas of learning and professional development"),
)


@dataclass
class RecordCheck:
    """Warnings about a record, each in the words the check page shows."""

    not_discussed: list[Any] = field(default_factory=list)
    actions_unfinished: list[Any] = field(default_factory=list)
    carried_without_date: list[Any] = field(default_factory=list)
    empty_sections: list[str] = field(default_factory=list)
    not_followed_up: list[Any] = field(default_factory=list)

    @property
    def warnings(self) -> int:
        return (
            len(self.not_discussed)
            + len(self.actions_unfinished)
            + len(self.carried_without_date)
            + len(self.empty_sections)
            + len(self.not_followed_up)
        )


def record_check(
    record: SessionRecord, *, chosen_children: list[Any], earlier_actions: list[Any]
) -> RecordCheck:
    """Warnings for ``record`` (read with ``selectors.record_for``): children the supervisee
    chose to bring but nobody discussed, actions with no owner or due date, earlier actions
    carried forward without a new date or not followed up at all, and empty sections."""
    session = record.session
    discussed = {d.child_id for d in record.case_discussions.all()}
    check = RecordCheck()
    check.not_discussed = [c for c in chosen_children if c.pk not in discussed]
    check.actions_unfinished = [
        a for a in record.actions.all() if a.owner_id is None or a.due_on is None
    ]
    followed = {f.action_id: f for f in record.action_follow_ups.all()}
    check.carried_without_date = [
        f.action
        for f in followed.values()
        if f.outcome == FollowUpOutcome.CARRIED_FORWARD and f.new_due_on is None
    ]
    check.not_followed_up = [a for a in earlier_actions if a.pk not in followed]
    check.empty_sections = [
        label for name, label in REQUIRED_SECTIONS if not (getattr(record, name) or "").strip()
    ]
    if session.supervisee_id and record.next_session_on is None:
        check.empty_sections.append("Date of next session")
    return check
