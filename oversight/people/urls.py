from django.urls import include, path

from . import views

people_patterns = [
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("agencies/<int:pk>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("", include((people_patterns, "people"))),
]
