from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("", views.IntegrationListView.as_view(), name="list"),
    path("register/", views.IntegrationRegisterView.as_view(), name="register"),
    path("<int:pk>/", views.IntegrationDetailView.as_view(), name="detail"),
    path("<int:pk>/new-secret/", views.IntegrationRotateView.as_view(), name="rotate"),
    path("<int:pk>/scopes/", views.IntegrationScopesView.as_view(), name="scopes"),
    path("<int:pk>/switch-off/", views.IntegrationSwitchOffView.as_view(), name="switch_off"),
    path("<int:pk>/webhooks/add/", views.SubscriptionAddView.as_view(), name="subscribe"),
    path(
        "webhooks/<int:pk>/new-secret/",
        views.SubscriptionRotateView.as_view(),
        name="subscription_rotate",
    ),
    path("<int:pk>/deliveries/", views.DeliveryListView.as_view(), name="deliveries"),
    path("deliveries/<int:pk>/send-again/", views.DeliveryResendView.as_view(), name="resend"),
]
