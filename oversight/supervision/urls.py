from django.urls import path

from . import views
from .views import drafts as draft_views

app_name = "supervision"

urlpatterns = [
    path("", views.SessionListView.as_view(), name="session_list"),
    path("plan/", views.SessionPlanView.as_view(), name="session_plan"),
    path("records/to-sign/", views.RecordsToSignView.as_view(), name="records_to_sign"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/cancel/", views.SessionCancelView.as_view(), name="session_cancel"),
    path(
        "sessions/<int:pk>/reschedule/",
        views.SessionRescheduleView.as_view(),
        name="session_reschedule",
    ),
    path(
        "sessions/<int:pk>/did-not-attend/",
        views.SessionDidNotAttendView.as_view(),
        name="session_did_not_attend",
    ),
    path("sessions/<int:pk>/prepare/", views.SessionPrepareView.as_view(), name="session_prepare"),
    path(
        "sessions/<int:pk>/prepare/agenda/<int:item_id>/",
        views.AgendaItemEditView.as_view(),
        name="agenda_item_edit",
    ),
    path(
        "sessions/<int:pk>/prepare/agenda/<int:item_id>/remove/",
        views.AgendaItemRemoveView.as_view(),
        name="agenda_item_remove",
    ),
    path("sessions/<int:pk>/session.ics", views.SessionIcsView.as_view(), name="session_ics"),
    path("sessions/<int:pk>/record/", views.RecordView.as_view(), name="record"),
    path("sessions/<int:pk>/record/save/", views.RecordSaveView.as_view(), name="record_save"),
    path(
        "sessions/<int:pk>/record/discussions/add/",
        views.CaseDiscussionAddView.as_view(),
        name="discussion_add",
    ),
    path(
        "sessions/<int:pk>/record/discussions/<int:discussion_id>/",
        views.CaseDiscussionEditView.as_view(),
        name="discussion_edit",
    ),
    path("sessions/<int:pk>/record/actions/add/", views.ActionAddView.as_view(), name="action_add"),
    path("sessions/<int:pk>/record/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path(
        "sessions/<int:pk>/record/sign/supervisor/",
        views.SignSupervisorView.as_view(),
        name="sign_supervisor",
    ),
    path("sessions/<int:pk>/record/check/", views.RecordCheckView.as_view(), name="record_check"),
    path(
        "sessions/<int:pk>/record/signed/", views.RecordSignedView.as_view(), name="record_signed"
    ),
    path(
        "sessions/<int:pk>/record/sign/supervisee/",
        views.SignSuperviseeView.as_view(),
        name="sign_supervisee",
    ),
    path(
        "sessions/<int:pk>/record/addenda/add/",
        views.AddendumAddView.as_view(),
        name="addendum_add",
    ),
    path("sessions/<int:pk>/record.pdf", views.RecordPdfView.as_view(), name="record_pdf"),
    # Issue 15 item 7: the supervisee's draft of the record, where the agency allows it.
    path(
        "sessions/<int:pk>/record/draft/",
        draft_views.SuperviseeDraftView.as_view(),
        name="supervisee_draft",
    ),
    path(
        "sessions/<int:pk>/record/draft/edit/",
        draft_views.SuperviseeDraftEditView.as_view(),
        name="supervisee_draft_edit",
    ),
    path(
        "sessions/<int:pk>/record/draft/take-in/",
        draft_views.SuperviseeDraftTakeInView.as_view(),
        name="supervisee_draft_take_in",
    ),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar_feed"),
    path("oversight/", views.ManagementOversightListView.as_view(), name="oversight_list"),
    path("oversight/add/", views.ManagementOversightCreateView.as_view(), name="oversight_add"),
    path(
        "oversight/<int:pk>/",
        views.ManagementOversightDetailView.as_view(),
        name="oversight_detail",
    ),
    path(
        "oversight/<int:pk>/actions/add/",
        views.OversightActionAddView.as_view(),
        name="oversight_action_add",
    ),
    path(
        "oversight/actions/<int:pk>/check/",
        views.OversightActionCheckView.as_view(),
        name="oversight_action_check",
    ),
    path(
        "decisions/<int:pk>/authorise/",
        views.DecisionAuthoriseView.as_view(),
        name="decision_authorise",
    ),
    path(
        "agencies/<int:pk>/decision-authorisation/",
        views.DecisionPolicyView.as_view(),
        name="decision_policy",
    ),
    path("shortfalls/", views.ShortfallListView.as_view(), name="shortfall_list"),
    path("shortfalls/add/", views.ShortfallCreateView.as_view(), name="shortfall_add"),
    path("shortfalls/<int:pk>/", views.ShortfallDetailView.as_view(), name="shortfall_detail"),
    path(
        "shortfalls/<int:pk>/answer/", views.ShortfallAnswerView.as_view(), name="shortfall_answer"
    ),
    path(
        "agency/<int:pk>/reflection/",
        views.AgencyReflectionView.as_view(),
        name="agency_reflection",
    ),
    path(
        "agency/<int:pk>/reflection/settings/",
        views.ReflectionSettingsView.as_view(),
        name="reflection_settings",
    ),
    path(
        "relationships/<int:pk>/balance/",
        views.RelationshipBalanceView.as_view(),
        name="relationship_balance",
    ),
    path("evidence/", views.EvidenceView.as_view(), name="evidence"),
    path(
        "decisions/<int:pk>/on-file/", views.DecisionOnFileView.as_view(), name="decision_on_file"
    ),
]
