"""Supervision pages. Thin: access by rules.py, reads by selectors, writes by services."""

from .oversight import (
    CalendarFeedView,
    CalendarView,
    DecisionOnFileView,
    ManagementOversightCreateView,
    ManagementOversightDetailView,
    ManagementOversightListView,
)
from .records import (
    ActionAddView,
    AddendumAddView,
    AttendanceView,
    CaseDiscussionAddView,
    CaseDiscussionEditView,
    RecordPdfView,
    RecordSaveView,
    RecordView,
    SignSuperviseeView,
    SignSupervisorView,
)
from .reflection import (
    AgencyReflectionView,
    EvidenceView,
    ReflectionSettingsView,
    RelationshipBalanceView,
)
from .sessions import (
    SessionCancelView,
    SessionDetailView,
    SessionDidNotAttendView,
    SessionIcsView,
    SessionListView,
    SessionPlanView,
    SessionPrepareView,
    SessionRescheduleView,
)

__all__ = [
    "ActionAddView",
    "AddendumAddView",
    "AgencyReflectionView",
    "AttendanceView",
    "CalendarFeedView",
    "CalendarView",
    "CaseDiscussionAddView",
    "CaseDiscussionEditView",
    "DecisionOnFileView",
    "EvidenceView",
    "ManagementOversightCreateView",
    "ManagementOversightDetailView",
    "ManagementOversightListView",
    "RecordPdfView",
    "RecordSaveView",
    "RecordView",
    "ReflectionSettingsView",
    "RelationshipBalanceView",
    "SessionCancelView",
    "SessionDetailView",
    "SessionDidNotAttendView",
    "SessionIcsView",
    "SessionListView",
    "SessionPlanView",
    "SessionPrepareView",
    "SessionRescheduleView",
    "SignSuperviseeView",
    "SignSupervisorView",
]
