"""Writes for supervision. Every service is keyword-only, atomic, locks what it changes and
writes the audit log; views call these and never change models themselves."""

from .handover import HANDOVER_REASON, session_handover, session_handover_sweep
from .oversight import (
    DecisionInput,
    decision_record_on_file,
    management_oversight_record,
)
from .records import (
    FollowUpInput,
    action_add,
    action_follow_up,
    addendum_add,
    case_discussion_add,
    case_discussion_add_to_session,
    case_discussion_update,
    record_sign_supervisee,
    record_sign_supervisor,
    record_start,
    session_record,
)
from .reflection import evidence_export_record, reflection_settings_update
from .sessions import (
    agenda_item_add,
    agenda_item_remove,
    agenda_item_update,
    calendar_token_revoke,
    calendar_token_rotate,
    next_session_proposal,
    record_deadline,
    session_attendance_record,
    session_cancel,
    session_children_choose,
    session_mark_did_not_attend,
    session_plan,
    session_reschedule,
)

__all__ = [
    "HANDOVER_REASON",
    "DecisionInput",
    "FollowUpInput",
    "action_add",
    "action_follow_up",
    "addendum_add",
    "agenda_item_add",
    "agenda_item_remove",
    "agenda_item_update",
    "calendar_token_revoke",
    "calendar_token_rotate",
    "case_discussion_add",
    "case_discussion_add_to_session",
    "case_discussion_update",
    "decision_record_on_file",
    "evidence_export_record",
    "management_oversight_record",
    "next_session_proposal",
    "record_deadline",
    "record_sign_supervisee",
    "record_sign_supervisor",
    "record_start",
    "reflection_settings_update",
    "session_attendance_record",
    "session_cancel",
    "session_children_choose",
    "session_handover",
    "session_handover_sweep",
    "session_mark_did_not_attend",
    "session_plan",
    "session_record",
    "session_reschedule",
]
