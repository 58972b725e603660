"""/api/v1/: the endpoints (opened to bearer tokens only: they authenticate every call
themselves, so the sign-in redirect does not apply) and the reference, for people signed in.

The endpoints have no URL names: the access table (core/tests/test_access_table.py) walks
named page URLs as signed-in people; the API's allow and deny sides, every endpoint, are in
integrations/tests/test_api_access.py, which fails if an endpoint has no case there."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import path, re_path

from . import views
from .problems import not_found
from .reference import ReferenceView, SchemaView

app_name = "api"


def _open(view_class: type[views.IntegrationView]) -> Any:
    return login_not_required(view_class.as_view())


endpoints = [
    path("children/", _open(views.ChildListView)),
    path("children/<str:case_reference>/", _open(views.ChildUpsertView)),
    path("review-meetings/<str:external_id>/", _open(views.ReviewMeetingUpsertView)),
    path("decisions/", _open(views.DecisionListView)),
    path("decisions/<int:decision_id>/confirm-on-file/", _open(views.DecisionConfirmView)),
    path("staff/", _open(views.StaffUpsertView)),
    path("sessions/", _open(views.SessionListView)),
    path("webhooks/", _open(views.WebhookListView)),
]

urlpatterns = [
    path("schema/", login_required(SchemaView.as_view()), name="schema"),
    path("reference/", login_required(ReferenceView.as_view()), name="reference"),
    *endpoints,
    re_path(r"^.*$", login_not_required(not_found)),
]
