from django.urls import URLPattern, URLResolver, include, path

from . import views
from .views import standards as standards_views

manage_patterns: list[URLPattern | URLResolver] = [
    path("", views.ManageIndexView.as_view(), name="manage_index"),
    path("agencies/", views.ManageAgencyListView.as_view(), name="manage_agency_list"),
    path("agencies/new/", views.AgencyCreateView.as_view(), name="agency_create"),
    path("agencies/<int:pk>/edit/", views.AgencyEditView.as_view(), name="agency_edit"),
    path("agencies/<int:pk>/teams/new/", views.TeamCreateView.as_view(), name="team_create"),
    path(
        "agencies/<int:pk>/staff-groups/new/",
        views.StaffGroupCreateView.as_view(),
        name="staff_group_create",
    ),
    path("teams/<int:pk>/edit/", views.TeamEditView.as_view(), name="team_edit"),
    path("people/", views.ManagePersonListView.as_view(), name="manage_person_list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.ManagePersonView.as_view(), name="manage_person"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path(
        "people/<int:pk>/invitation/",
        views.InvitationResendView.as_view(),
        name="invitation_resend",
    ),
    path("people/<int:pk>/close/", views.PersonDeactivateView.as_view(), name="person_deactivate"),
    path("people/<int:pk>/posts/new/", views.MembershipCreateView.as_view(), name="post_create"),
    path("posts/<int:pk>/edit/", views.MembershipEditView.as_view(), name="post_edit"),
    path("posts/<int:pk>/end/", views.MembershipEndView.as_view(), name="post_end"),
    path(
        "people/<int:pk>/supervisor/new/",
        views.SupervisionStartView.as_view(),
        name="supervision_start",
    ),
    path("supervision/<int:pk>/end/", views.SupervisionEndView.as_view(), name="supervision_end"),
    path(
        "people/<int:pk>/line-manager/new/",
        views.LineManagementStartView.as_view(),
        name="line_management_start",
    ),
    path(
        "line-management/<int:pk>/end/",
        views.LineManagementEndView.as_view(),
        name="line_management_end",
    ),
    path("people/<int:pk>/roles/new/", views.RoleAssignView.as_view(), name="role_assign"),
    path("roles/<int:pk>/end/", views.RoleEndView.as_view(), name="role_end"),
    path("people/<int:pk>/training/new/", views.TrainingAddView.as_view(), name="training_add"),
    path(
        "training/<int:pk>/archive/", views.TrainingArchiveView.as_view(), name="training_archive"
    ),
    path(
        "people/<int:pk>/qualifications/new/",
        standards_views.QualificationAddView.as_view(),
        name="qualification_add",
    ),
    path("emails/not-sent/", views.FailedEmailListView.as_view(), name="failed_email_list"),
    path(
        "emails/<int:pk>/send-again/",
        views.FailedEmailResendView.as_view(),
        name="failed_email_resend",
    ),
    path("import/", views.StaffImportView.as_view(), name="staff_import"),
    path(
        "import/<int:pk>/",
        views.StaffImportProgressView.as_view(),
        name="staff_import_progress",
    ),
    path(
        "import/template.csv",
        views.StaffImportTemplateView.as_view(),
        name="staff_import_template",
    ),
]

people_patterns: list[URLPattern | URLResolver] = [
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("agencies/<int:pk>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    # Issue 15 item 5: supervisors' minimum requirements, who falls short, exceptions.
    path(
        "agencies/<int:pk>/supervisors/",
        standards_views.SupervisorStandardsView.as_view(),
        name="supervisor_standards",
    ),
    path(
        "agencies/<int:pk>/supervisors/requirements/",
        standards_views.SupervisorRequirementsEditView.as_view(),
        name="supervisor_requirements",
    ),
    path(
        "agencies/<int:pk>/supervisors/<int:person_pk>/exception/",
        standards_views.SupervisorExceptionGrantView.as_view(),
        name="supervisor_exception_grant",
    ),
    path(
        "supervisor-exceptions/<int:pk>/withdraw/",
        standards_views.SupervisorExceptionWithdrawView.as_view(),
        name="supervisor_exception_withdraw",
    ),
    # Issue 15 item 6: safeguarding training for all staff.
    path(
        "agencies/<int:pk>/safeguarding-training/",
        standards_views.StaffTrainingView.as_view(),
        name="staff_training",
    ),
    # Issue 15 item 9: seeking alternative arrangements.
    path(
        "supervision-arrangements/",
        standards_views.MyArrangementsView.as_view(),
        name="my_arrangements",
    ),
    path(
        "supervision-arrangements/<int:pk>/change/",
        standards_views.ChangeRequestCreateView.as_view(),
        name="change_request_create",
    ),
    path(
        "agencies/<int:pk>/supervision-change-requests/",
        standards_views.ChangeRequestListView.as_view(),
        name="change_request_list",
    ),
    path(
        "supervision-change-requests/<int:pk>/decide/",
        standards_views.ChangeRequestDecideView.as_view(),
        name="change_request_decide",
    ),
    path("manage/", include(manage_patterns)),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("", include((people_patterns, "people"))),
]
