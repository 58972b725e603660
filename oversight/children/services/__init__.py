"""Writes about children: the register and its history, drift flags, escalations, urgent
discussion requests, confidentiality disclosures and concerns about supervision itself.

``drift_evaluate(child=...)`` is the hook the supervision app calls after recording a case
discussion; ``drift_evaluate_agency`` runs it for a whole agency in bulk (the
``evaluate_drift_for_agency`` task and the demo)."""

from .concerns import (
    disclosure_alert_resend,
    disclosure_mark_seen,
    disclosure_record,
    escalation_acknowledge,
    escalation_escalate,
    escalation_raise,
    escalation_resolve,
    quality_concern_one_to_one,
    quality_concern_raise,
    quality_concern_three_way,
    urgent_request_make,
    urgent_request_respond,
)
from .drift import (
    drift_evaluate,
    drift_evaluate_agency,
    drift_flag_acknowledge,
    multi_agency_child_ids,
    partnership_drift_evaluate,
)
from .involvements import (
    child_matching,
    involvement_add,
    involvement_end,
    nhs_number_clean,
    plan_contribution_save,
)
from .register import (
    child_allocate,
    child_create,
    child_status_change,
    child_update,
    drift_settings_update,
    review_meeting_add,
    review_meeting_update,
)
from .tallies import (
    meeting_tallies_keep,
    meeting_tallies_recount,
    meeting_tallies_recount_agency,
)

__all__ = [
    "child_allocate",
    "child_create",
    "child_matching",
    "child_status_change",
    "child_update",
    "disclosure_alert_resend",
    "disclosure_mark_seen",
    "disclosure_record",
    "drift_evaluate",
    "drift_evaluate_agency",
    "drift_flag_acknowledge",
    "drift_settings_update",
    "escalation_acknowledge",
    "escalation_escalate",
    "escalation_raise",
    "escalation_resolve",
    "involvement_add",
    "involvement_end",
    "meeting_tallies_keep",
    "meeting_tallies_recount",
    "meeting_tallies_recount_agency",
    "multi_agency_child_ids",
    "nhs_number_clean",
    "partnership_drift_evaluate",
    "plan_contribution_save",
    "quality_concern_one_to_one",
    "quality_concern_raise",
    "quality_concern_three_way",
    "review_meeting_add",
    "review_meeting_update",
    "urgent_request_make",
    "urgent_request_respond",
]
