"""Who may see assurance figures and audits (issue 5; shared/domain.md "Who uses it").

- agency dashboard and named compliance of an agency: that agency's safeguarding lead;
- line manager: the compliance of their current reports (names), on their compliance page;
- partnership dashboard: the partnership auditor and every agency lead — aggregates only,
  no names or notes, no figure for a group under five (seed: nothing personal above the
  owning agency, so a lead sees other agencies only as the auditor does);
- evaluation results: a supervisor their own (shown only from five respondents), the agency
  lead their agency's, the auditor aggregates on the partnership dashboard;
- wellbeing pulse: anyone with a current post, for the agency of that post (a person with
  posts in two chooses); evaluation: anyone with a current supervisor;
- workforce figures and evaluation frequency: the agency's lead;
- record audit: the partnership auditor (any agency) and the agency lead (their own); both
  see only the sampled records, never the wellbeing section;
- multi-agency audit (issue 13 item 5): the partnership auditor alone draws, sees and grades
  it (it has no agency, so no lead's rule opens it); only the sampled children's records;
- recomputing an agency's kept month-end figures: the administrator and that agency's lead
  (issue 9 item 8: deliberate and audited).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import rules

from oversight.people.rules import (
    is_administrator,
    is_partnership_auditor,
    leads_agency,
    member_of_agency,
)
from oversight.people.selectors import access_profile

from .models import AuditStatus


class Permission(StrEnum):
    """Every rule this app registers with ``rules``: views name these, never bare strings."""

    VIEW_INDEX = "assurance.view_index"
    VIEW_PARTNERSHIP_DASHBOARD = "assurance.view_partnership_dashboard"
    VIEW_AGENCY_DASHBOARD = "assurance.view_agency_dashboard"
    VIEW_NAMED_COMPLIANCE = "assurance.view_named_compliance"
    VIEW_MY_PEOPLE = "assurance.view_my_people"
    CHOOSE_PULSE_AGENCY = "assurance.choose_pulse_agency"
    ANSWER_PULSE = "assurance.answer_pulse"
    LIST_EVALUATIONS_DUE = "assurance.list_evaluations_due"
    ANSWER_EVALUATION = "assurance.answer_evaluation"
    VIEW_OWN_EVALUATION = "assurance.view_own_evaluation"
    CHANGE_AGENCY_SETTINGS = "assurance.change_agency_settings"
    LIST_AUDITS = "assurance.list_audits"
    DRAW_AUDIT = "assurance.draw_audit"
    VIEW_AUDIT = "assurance.view_audit"
    GRADE_AUDIT = "assurance.grade_audit"
    DRAW_MULTI_AGENCY_AUDIT = "assurance.draw_multi_agency_audit"
    RECOMPUTE_MONTH_END = "assurance.recompute_month_end"


@rules.predicate
def is_agency_lead(user: Any) -> bool:
    return bool(access_profile(user).led_agency_ids)


@rules.predicate
def manages_reports(user: Any) -> bool:
    return bool(access_profile(user).report_ids)


@rules.predicate
def has_supervisees(user: Any) -> bool:
    return bool(access_profile(user).supervisee_ids)


@rules.predicate
def has_post(user: Any) -> bool:
    return bool(access_profile(user).member_agency_ids)


@rules.predicate
def leads_audit_agency(user: Any, obj: Any) -> bool:
    if obj is None:
        return False
    agency_id = getattr(obj, "agency_id", None)
    if agency_id is None and hasattr(obj, "audit"):
        agency_id = obj.audit.agency_id
    return agency_id in access_profile(user).led_agency_ids


@rules.predicate
def is_own_relationship(user: Any, relationship: Any) -> bool:
    return relationship is not None and relationship.supervisee_id == user.pk


@rules.predicate
def audit_is_open(user: Any, obj: Any) -> bool:
    audit = getattr(obj, "audit", obj)
    return audit is not None and audit.status == AuditStatus.OPEN


sees_partnership = is_partnership_auditor | is_agency_lead

rules.add_perm(
    Permission.VIEW_INDEX,
    rules.is_authenticated & (sees_partnership | manages_reports | has_supervisees | has_post),
)
rules.add_perm(Permission.VIEW_PARTNERSHIP_DASHBOARD, rules.is_authenticated & sees_partnership)
rules.add_perm(Permission.VIEW_AGENCY_DASHBOARD, rules.is_authenticated & leads_agency)
rules.add_perm(
    Permission.VIEW_NAMED_COMPLIANCE, rules.is_authenticated & (is_agency_lead | manages_reports)
)
# The pulse counts towards the agency in the URL: a current post there (decision 0002).
rules.add_perm(Permission.CHOOSE_PULSE_AGENCY, rules.is_authenticated & has_post)
rules.add_perm(Permission.ANSWER_PULSE, rules.is_authenticated & member_of_agency)
# Their own supervisees and reports only (issue 12 item 1: the home page's detail).
rules.add_perm(
    Permission.VIEW_MY_PEOPLE, rules.is_authenticated & (has_supervisees | manages_reports)
)
rules.add_perm(Permission.LIST_EVALUATIONS_DUE, rules.is_authenticated & has_post)
rules.add_perm(Permission.ANSWER_EVALUATION, rules.is_authenticated & is_own_relationship)
rules.add_perm(Permission.VIEW_OWN_EVALUATION, rules.is_authenticated & has_supervisees)
rules.add_perm(Permission.CHANGE_AGENCY_SETTINGS, rules.is_authenticated & leads_agency)
rules.add_perm(Permission.LIST_AUDITS, rules.is_authenticated & sees_partnership)
rules.add_perm(
    Permission.DRAW_AUDIT, rules.is_authenticated & (is_partnership_auditor | leads_agency)
)
rules.add_perm(Permission.DRAW_MULTI_AGENCY_AUDIT, rules.is_authenticated & is_partnership_auditor)
rules.add_perm(
    Permission.VIEW_AUDIT, rules.is_authenticated & (is_partnership_auditor | leads_audit_agency)
)
rules.add_perm(
    Permission.GRADE_AUDIT,
    rules.is_authenticated & (is_partnership_auditor | leads_audit_agency) & audit_is_open,
)
rules.add_perm(
    Permission.RECOMPUTE_MONTH_END, rules.is_authenticated & (is_administrator | leads_agency)
)
