from django.urls import path

from . import views

app_name = "children"

urlpatterns = [
    path("", views.ChildListView.as_view(), name="child_list"),
    path("add/", views.ChildCreateView.as_view(), name="child_add"),
    path("figures/", views.ChildCountsView.as_view(), name="counts"),
    path("settings/", views.DriftSettingsView.as_view(), name="settings"),
    path("decisions/", views.DecisionsWaitingView.as_view(), name="decisions_waiting"),
    path("involvements/add/", views.InvolvementAddView.as_view(), name="involvement_add"),
    path("involvements/<int:pk>/end/", views.InvolvementEndView.as_view(), name="involvement_end"),
    path("<int:pk>/", views.ChildDetailView.as_view(), name="child_detail"),
    path("<int:pk>/edit/", views.ChildEditView.as_view(), name="child_edit"),
    path("<int:pk>/plan/", views.PlanContributionView.as_view(), name="plan_contribution"),
    path("<int:pk>/status/", views.ChildStatusView.as_view(), name="child_status"),
    path("<int:pk>/allocate/", views.ChildAllocateView.as_view(), name="child_allocate"),
    path("<int:pk>/review-meetings/add/", views.ReviewMeetingAddView.as_view(), name="review_add"),
    path("<int:pk>/timeline/", views.ChildTimelineView.as_view(), name="child_timeline"),
    path(
        "drift/<int:pk>/acknowledge/",
        views.DriftAcknowledgeView.as_view(),
        name="drift_acknowledge",
    ),
    path("escalations/", views.EscalationListView.as_view(), name="escalation_list"),
    path("escalations/raise/", views.EscalationCreateView.as_view(), name="escalation_add"),
    path("escalations/<int:pk>/", views.EscalationDetailView.as_view(), name="escalation_detail"),
    path(
        "escalations/<int:pk>/respond/",
        views.EscalationRespondView.as_view(),
        name="escalation_respond",
    ),
    path(
        "escalations/<int:pk>/escalate/",
        views.EscalationEscalateView.as_view(),
        name="escalation_escalate",
    ),
    path("urgent/ask/", views.UrgentRequestCreateView.as_view(), name="urgent_add"),
    path("urgent/<int:pk>/", views.UrgentRequestRespondView.as_view(), name="urgent_respond"),
    path("disclosures/record/", views.DisclosureCreateView.as_view(), name="disclosure_add"),
    path("disclosures/<int:pk>/", views.DisclosureDetailView.as_view(), name="disclosure_detail"),
    path(
        "disclosures/<int:pk>/send-alert-again/",
        views.DisclosureAlertResendView.as_view(),
        name="disclosure_alert_resend",
    ),
    path(
        "supervision-concerns/raise/", views.QualityConcernCreateView.as_view(), name="concern_add"
    ),
    path(
        "supervision-concerns/<int:pk>/",
        views.QualityConcernDetailView.as_view(),
        name="concern_detail",
    ),
    path(
        "agencies/<int:agency_id>/supervision-concerns/",
        views.AgencyConcernListView.as_view(),
        name="agency_concerns",
    ),
    path(
        "supervision-concerns/<int:pk>/meeting/",
        views.QualityConcernMeetingView.as_view(),
        name="concern_meeting",
    ),
]
