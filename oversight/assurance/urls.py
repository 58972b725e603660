from django.urls import path

from . import views

app_name = "assurance"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("my-people/", views.MyPeopleView.as_view(), name="my_people"),
    path("partnership/", views.PartnershipDashboardView.as_view(), name="partnership_dashboard"),
    path(
        "partnership/export.<str:fmt>",
        views.PartnershipDashboardView.as_view(),
        name="partnership_export",
    ),
    path(
        "partnership/questions/<slug:slug>/",
        views.PartnershipQuestionView.as_view(),
        name="partnership_question",
    ),
    path("agency/<int:pk>/", views.AgencyDashboardView.as_view(), name="agency_dashboard"),
    path(
        "agency/<int:pk>/questions/<slug:slug>/",
        views.AgencyQuestionView.as_view(),
        name="agency_question",
    ),
    path(
        "agency/<int:pk>/export.<str:fmt>",
        views.AgencyDashboardView.as_view(),
        name="agency_export",
    ),
    path("agency/<int:pk>/settings/", views.AgencySettingsView.as_view(), name="agency_settings"),
    path(
        "agency/<int:pk>/month-ends/recompute/",
        views.MonthEndRecomputeView.as_view(),
        name="month_end_recompute",
    ),
    path("agency/<int:pk>/workforce/", views.WorkforceView.as_view(), name="workforce"),
    path("agency/<int:pk>/audits/new/", views.AuditDrawView.as_view(), name="audit_draw"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("compliance/export.<str:fmt>", views.ComplianceView.as_view(), name="compliance_export"),
    path("evaluation/", views.EvaluationListView.as_view(), name="evaluation_list"),
    path("evaluation/<int:pk>/", views.EvaluationFormView.as_view(), name="evaluation_form"),
    path("evaluation/results/", views.EvaluationResultsView.as_view(), name="evaluation_results"),
    path("pulse/", views.PulseChooserView.as_view(), name="pulse"),
    path("agency/<int:pk>/pulse/", views.PulseView.as_view(), name="agency_pulse"),
    path("audits/", views.AuditListView.as_view(), name="audit_list"),
    path(
        "audits/multi-agency/new/",
        views.MultiAgencyAuditDrawView.as_view(),
        name="multi_agency_audit_draw",
    ),
    path("audits/<int:pk>/", views.AuditDetailView.as_view(), name="audit_detail"),
    path("audits/children/<int:pk>/", views.AuditedChildView.as_view(), name="audited_child"),
    path("audits/<int:pk>/complete/", views.AuditCompleteView.as_view(), name="audit_complete"),
    path("audits/records/<int:pk>/", views.AuditedRecordView.as_view(), name="audited_record"),
]
