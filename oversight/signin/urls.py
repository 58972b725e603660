from django.urls import path

from . import views

app_name = "signin"

urlpatterns = [
    path("account/sign-in/organisation/", views.SingleSignOnStartView.as_view(), name="sso_start"),
    path("account/sign-in/return/", views.SingleSignOnCallbackView.as_view(), name="callback"),
    path(
        "account/sign-in/back-channel-logout/",
        views.BackChannelLogoutView.as_view(),
        name="backchannel_logout",
    ),
    path("account/sign-in/second-factor/", views.SecondFactorView.as_view(), name="second_factor"),
    path("account/security/", views.SecurityView.as_view(), name="security"),
    path(
        "account/security/authenticator/",
        views.AuthenticatorAddView.as_view(),
        name="authenticator_add",
    ),
    path(
        "account/security/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="recovery_codes",
    ),
    path(
        "account/security/passkeys/begin/",
        views.PasskeyRegisterBeginView.as_view(),
        name="passkey_register_begin",
    ),
    path(
        "account/security/passkeys/complete/",
        views.PasskeyRegisterCompleteView.as_view(),
        name="passkey_register_complete",
    ),
    path(
        "account/sign-in/passkey/begin/",
        views.PasskeyVerifyBeginView.as_view(),
        name="passkey_verify_begin",
    ),
    path(
        "account/sign-in/passkey/complete/",
        views.PasskeyVerifyCompleteView.as_view(),
        name="passkey_verify_complete",
    ),
    path(
        "agencies/<int:pk>/second-factor/",
        views.SecondFactorPolicyView.as_view(),
        name="second_factor_policy",
    ),
    path("manage/sign-in/", views.ProviderListView.as_view(), name="provider_list"),
    path("manage/sign-in/new/", views.ProviderCreateView.as_view(), name="provider_create"),
    path("manage/sign-in/<int:pk>/edit/", views.ProviderEditView.as_view(), name="provider_edit"),
]
