"""Assurance pages: dashboards and exports, named compliance, evaluation, pulse, workforce
figures and record audit. Thin: access by rules.py, reads by selectors, writes by services."""

from .audit import (
    AuditCompleteView,
    AuditDetailView,
    AuditDrawView,
    AuditedChildView,
    AuditedRecordView,
    AuditListView,
    MultiAgencyAuditDrawView,
)
from .dashboards import (
    AgencyDashboardView,
    AgencyQuestionView,
    AgencySettingsView,
    ComplianceView,
    IndexView,
    MonthEndRecomputeView,
    PartnershipDashboardView,
    PartnershipQuestionView,
    WorkforceView,
)
from .evaluation import (
    EvaluationFormView,
    EvaluationListView,
    EvaluationResultsView,
    PulseChooserView,
    PulseView,
)
from .mine import MyPeopleView

__all__ = [
    "AgencyDashboardView",
    "AgencyQuestionView",
    "AgencySettingsView",
    "AuditCompleteView",
    "AuditDetailView",
    "AuditDrawView",
    "AuditListView",
    "AuditedChildView",
    "AuditedRecordView",
    "ComplianceView",
    "EvaluationFormView",
    "EvaluationListView",
    "EvaluationResultsView",
    "IndexView",
    "MonthEndRecomputeView",
    "MultiAgencyAuditDrawView",
    "MyPeopleView",
    "PartnershipDashboardView",
    "PartnershipQuestionView",
    "PulseChooserView",
    "PulseView",
    "WorkforceView",
]
