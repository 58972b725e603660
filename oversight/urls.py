from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from oversight.core.views import (
    GlossaryView,
    HealthReadyView,
    HealthView,
    KeptTypingView,
    StillHereView,
)
from oversight.people.forms import GovukPasswordResetForm, GovukSetPasswordForm
from oversight.people.views.invitations import InvitationAcceptView
from oversight.signin.views import SignInView, SignOutView

handler403 = "oversight.core.views.permission_denied"
handler404 = "oversight.core.views.page_not_found"
handler500 = "oversight.core.views.server_error"

auth_patterns = [
    path("sign-in/", SignInView.as_view(), name="login"),
    path("sign-out/", SignOutView.as_view(), name="logout"),
    path("kept-typing/", KeptTypingView.as_view(), name="kept_typing"),
    path("still-here/", StillHereView.as_view(), name="still_here"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=GovukPasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=GovukSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("help/words-we-use/", GlossaryView.as_view(), name="glossary"),
    path("health/ready/", HealthReadyView.as_view(), name="health_ready"),
    path("account/", include(auth_patterns)),
    path("", include("oversight.signin.urls")),
    path("contracts/", include("oversight.contracts.urls")),
    path("supervision/", include("oversight.supervision.urls")),
    path("children/", include("oversight.children.urls")),
    path("assurance/", include("oversight.assurance.urls")),
    path("notifications/", include("oversight.notifications.urls")),
    path("integrations/", include("oversight.integrations.urls")),
    path("api/v1/", include("oversight.integrations.api.urls")),
    path("", include("oversight.people.urls")),
]

if settings.ENABLE_DJANGO_ADMIN:
    urlpatterns.append(path("django-admin/", admin.site.urls))
