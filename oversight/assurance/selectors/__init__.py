"""Reads for assurance pages: the dashboard figure tables (issue 5 item 3), evaluation and
pulse results, record-audit samples. Every people figure comes from compliance.compliance_for
and every figure passes through suppression before it reaches a page or an export.

A package by topic; callers import from ``oversight.assurance.selectors`` as before."""

from .audit import (
    audit_detail,
    audit_grades_table,
    audit_items,
    audit_strata,
    audited_child_detail,
    audited_child_records,
    audited_children,
    audits_visible_to,
    multi_agency_audit_records,
    multi_agency_audit_strata,
    multi_agency_audit_table,
    oversight_for_audit,
)
from .children import children_table, drift_table, key_elements_table
from .dashboards import agencies_all, agency_tables, kept_tables, partnership_tables
from .evaluation import (
    PUBLISHED_WHEN,
    answered_by,
    distinct_respondents,
    evaluation_by_agency_table,
    evaluation_comments,
    evaluation_statements_table,
    evaluations_due,
    published_rounds,
    responses_in,
    round_label,
    supervisor_published_rounds,
    supervisor_results,
)
from .named import NAMED_COLUMNS, named_compliance_rows, named_table
from .period import Period, default_period
from .staff_compliance import (
    SUPERVISOR_COLUMNS,
    compliance_columns,
    compliance_row,
    compliance_rows,
    supervisor_row,
    supervisor_rows,
    trend_table,
)
from .wellbeing import pulse_table, quarters_back, workforce_table

__all__ = [
    "NAMED_COLUMNS",
    "PUBLISHED_WHEN",
    "SUPERVISOR_COLUMNS",
    "Period",
    "agencies_all",
    "agency_tables",
    "answered_by",
    "audit_detail",
    "audit_grades_table",
    "audit_items",
    "audit_strata",
    "audited_child_detail",
    "audited_child_records",
    "audited_children",
    "audits_visible_to",
    "children_table",
    "compliance_columns",
    "compliance_row",
    "compliance_rows",
    "default_period",
    "distinct_respondents",
    "drift_table",
    "evaluation_by_agency_table",
    "evaluation_comments",
    "evaluation_statements_table",
    "evaluations_due",
    "kept_tables",
    "key_elements_table",
    "multi_agency_audit_records",
    "multi_agency_audit_strata",
    "multi_agency_audit_table",
    "named_compliance_rows",
    "named_table",
    "oversight_for_audit",
    "partnership_tables",
    "published_rounds",
    "pulse_table",
    "quarters_back",
    "responses_in",
    "round_label",
    "supervisor_published_rounds",
    "supervisor_results",
    "supervisor_row",
    "supervisor_rows",
    "trend_table",
    "workforce_table",
]
