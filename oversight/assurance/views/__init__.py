"""Assurance pages: dashboards and exports, named compliance, evaluation, pulse, workforce
figures and record audit. Thin: access by rules.py, reads by selectors, writes by services."""

from .audit import (
    AuditCompleteView,
    AuditDetailView,
    AuditDrawView,
    AuditedRecordView,
    AuditListView,
)
from .dashboards import (
    AgencyDashboardView,
    AgencySettingsView,
    ComplianceView,
    IndexView,
    MonthEndRecomputeView,
    PartnershipDashboardView,
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
    "AgencySettingsView",
    "AuditCompleteView",
    "AuditDetailView",
    "AuditDrawView",
    "AuditListView",
    "AuditedRecordView",
    "ComplianceView",
    "EvaluationFormView",
    "EvaluationListView",
    "EvaluationResultsView",
    "IndexView",
    "MonthEndRecomputeView",
    "MyPeopleView",
    "PartnershipDashboardView",
    "PulseChooserView",
    "PulseView",
    "WorkforceView",
]
