"""The API's deny side, every endpoint: no key, a key without the endpoint's scope, and an
integration of another agency, which can neither read nor change this agency's records.
``test_every_endpoint_has_a_case`` fails when an endpoint is added without a row here (the
page URLs' table, core/tests/test_access_table.py, covers signed-in people, not API keys)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from oversight.children.models import Child, ReviewMeeting
from oversight.integrations.api.urls import endpoints
from oversight.integrations.models import Scope

from .helpers import ALL_SCOPES, bearer, decision_for, integration_for

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """This agency's records, and its own integration, which another agency's must not reach."""

    child: Any
    decision: Any
    session: Any
    subscription: Any
    meeting: Any


@pytest.fixture
def world(cast: Any) -> World:
    from oversight.children.services import review_meeting_add
    from oversight.children.tests.factories import ChildFactory
    from oversight.integrations import services
    from oversight.supervision.tests.factories import SessionFactory

    child: Any = ChildFactory(
        agency=cast.agency,
        case_reference="OURS-1",
        display_name="Ours",
        allocated_practitioner=cast.practitioner,
    )
    own, _ = integration_for(cast.agency, actor=cast.agency_lead, name="Own system")
    subscription, _ = services.webhook_subscribe(
        actor=cast.agency_lead,
        integration=own,
        url="https://ours.example/hooks",
        events=["decision.made"],
    )
    meeting = review_meeting_add(
        child=child, actor=cast.practitioner, kind="core_group", meets_on=child.created_at.date()
    )
    from oversight.integrations.models import ExternalReference

    ExternalReference.objects.create(
        agency=cast.agency, kind="review_meeting", external_id="EV-1", object_id=meeting.pk
    )
    return World(
        child=child,
        decision=decision_for(cast, child),
        session=SessionFactory(
            supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency
        ),
        subscription=subscription,
        meeting=meeting,
    )


@dataclass
class Endpoint:
    method: str
    route: str
    scope: str
    path: Callable[[World], str]
    body: Callable[[Any, World], dict[str, Any]] = lambda cast, world: {}
    # What another agency's integration gets, and that this agency's records are untouched.
    other_agency: Callable[[Any, Any, World], None] = lambda cast, response, world: None
    note: str = field(default="")

    def __str__(self) -> str:
        return f"{self.method} {self.route}"

    def call(self, client: Any, token: str | None, cast: Any, world: World) -> Any:
        headers = bearer(token) if token else {}
        request = getattr(client, self.method.lower())
        if self.method == "GET":
            return request(self.path(world), **headers)
        return request(
            self.path(world),
            data=json.dumps(self.body(cast, world)),
            content_type="application/json",
            **headers,
        )


def _ids(response: Any) -> list[Any]:
    assert response.status_code == 200, response.content
    return [r.get("id", r.get("case_reference")) for r in response.json()["results"]]


def _children_list(cast: Any, response: Any, world: World) -> None:
    assert _ids(response) == []


def _child_upsert(cast: Any, response: Any, world: World) -> None:
    # The same case reference names the other agency's own child: ours is untouched.
    assert response.status_code == 201
    ours = Child.objects.get(pk=world.child.pk)
    assert (ours.display_name, ours.version) == ("Ours", world.child.version)
    assert (
        Child.objects.get(agency=cast.other_agency, case_reference="OURS-1").display_name
        == "Theirs"
    )


def _meeting_upsert(cast: Any, response: Any, world: World) -> None:
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "case_reference"
    meeting = ReviewMeeting.objects.get(pk=world.meeting.pk)
    assert meeting.kind == "core_group" and meeting.version == world.meeting.version


def _decisions_list(cast: Any, response: Any, world: World) -> None:
    assert _ids(response) == []


def _confirm(cast: Any, response: Any, world: World) -> None:
    assert response.status_code == 404
    world.decision.refresh_from_db()
    assert world.decision.recorded_on_file_at is None


def _staff(cast: Any, response: Any, world: World) -> None:
    from oversight.people.models import Membership

    assert response.status_code == 200, response.content
    posts = Membership.objects.filter(person__email="new.starter@example.org")
    assert [p.agency for p in posts] == [cast.other_agency]


def _sessions(cast: Any, response: Any, world: World) -> None:
    assert _ids(response) == []


def _webhooks(cast: Any, response: Any, world: World) -> None:
    assert _ids(response) == []


ENDPOINTS = [
    Endpoint(
        "GET",
        "children/",
        Scope.CHILDREN_READ,
        lambda w: "/api/v1/children/",
        other_agency=_children_list,
    ),
    Endpoint(
        "PUT",
        "children/<str:case_reference>/",
        Scope.CHILDREN_WRITE,
        lambda w: f"/api/v1/children/{w.child.case_reference}/",
        lambda cast, w: {"display_name": "Theirs", "legal_status": "closed"},
        other_agency=_child_upsert,
    ),
    Endpoint(
        "PUT",
        "review-meetings/<str:external_id>/",
        Scope.MEETINGS_WRITE,
        lambda w: "/api/v1/review-meetings/EV-1/",
        lambda cast, w: {
            "case_reference": w.child.case_reference,
            "kind": "cin_review",
            "meets_on": "2027-05-05",
        },
        other_agency=_meeting_upsert,
    ),
    Endpoint(
        "GET",
        "decisions/",
        Scope.DECISIONS_READ,
        lambda w: "/api/v1/decisions/",
        other_agency=_decisions_list,
    ),
    Endpoint(
        "POST",
        "decisions/<int:decision_id>/confirm-on-file/",
        Scope.DECISIONS_CONFIRM,
        lambda w: f"/api/v1/decisions/{w.decision.pk}/confirm-on-file/",
        lambda cast, w: {
            "case_system_reference": "X-1",
            "recorded_at": w.decision.created_at.isoformat(),
        },
        other_agency=_confirm,
    ),
    Endpoint(
        "POST",
        "staff/",
        Scope.STAFF_WRITE,
        lambda w: "/api/v1/staff/",
        lambda cast, w: {
            "records": [
                {
                    "employee_number": "N1",
                    "given_name": "New",
                    "family_name": "Starter",
                    "email": "new.starter@example.org",
                    "agency": cast.agency.name,
                    "job_title": "Health visitor",
                    "start_date": "2025-01-06",
                }
            ]
        },
        other_agency=_staff,
    ),
    Endpoint(
        "GET",
        "sessions/",
        Scope.SESSIONS_READ,
        lambda w: "/api/v1/sessions/",
        other_agency=_sessions,
    ),
    Endpoint(
        "GET",
        "webhooks/",
        Scope.WEBHOOKS_MANAGE,
        lambda w: "/api/v1/webhooks/",
        other_agency=_webhooks,
    ),
]


def test_every_endpoint_has_a_case() -> None:
    routes = {str(p.pattern) for p in endpoints}
    assert routes == {e.route for e in ENDPOINTS}
    assert {e.scope for e in ENDPOINTS} == set(Scope.values)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_a_key_every_endpoint_refuses(
    endpoint: Endpoint, cast: Any, client: Any, world: World
) -> None:
    response = endpoint.call(client, None, cast, world)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    wrong = endpoint.call(client, "oc_nobody.not-a-secret", cast, world)
    assert wrong.status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_its_scope_every_endpoint_refuses(
    endpoint: Endpoint, cast: Any, client: Any, world: World
) -> None:
    from oversight.core.models import AuditEvent

    others = [s for s in ALL_SCOPES if s != endpoint.scope]
    integration, token = integration_for(cast.agency, actor=cast.agency_lead, scopes=others)
    children_before = Child.objects.count()
    response = endpoint.call(client, token, cast, world)
    assert response.status_code == 403
    assert (
        response.json()["detail"] == f"This integration does not have the {endpoint.scope} scope."
    )
    assert Child.objects.count() == children_before
    world.decision.refresh_from_db()
    assert world.decision.recorded_on_file_at is None
    refused = AuditEvent.objects.filter(
        actor=integration.service_person, detail__has_key="api"
    ).get()
    assert refused.detail["status"] == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_another_agencys_integration_cannot_read_or_change_this_agencys_records(
    endpoint: Endpoint, cast: Any, client: Any, world: World
) -> None:
    _, token = integration_for(cast.other_agency, actor=cast.other_lead, name="SystmOne")
    response = endpoint.call(client, token, cast, world)
    endpoint.other_agency(cast, response, world)
