from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/done/", views.NotificationDoneView.as_view(), name="done"),
    path("all-done/", views.NotificationAllDoneView.as_view(), name="all_done"),
    path("choices/", views.PreferencesView.as_view(), name="preferences"),
]
