"""Supervision pages. Thin: access by rules.py, reads by selectors, writes by services."""

from .mine import ActionListView, RecordsToSignView
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
    "ActionListView",
    "AddendumAddView",
    "AttendanceView",
    "CalendarFeedView",
    "CalendarView",
    "CaseDiscussionAddView",
    "CaseDiscussionEditView",
    "DecisionOnFileView",
    "ManagementOversightCreateView",
    "ManagementOversightDetailView",
    "ManagementOversightListView",
    "RecordPdfView",
    "RecordSaveView",
    "RecordView",
    "RecordsToSignView",
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
