"""The API as a case system uses it: children by case reference, review meetings by
external id, decisions due on file and their confirmation, staff from HR, sessions; problem
details, cursor pages, idempotent writes, per-call audit, per-client rate."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from oversight.children.models import Child, ChildStatus, ReviewMeeting
from oversight.core.models import AuditEvent
from oversight.core.testing import today_is
from oversight.integrations import services
from oversight.integrations.models import IdempotentRequest, Integration

from .helpers import bearer, decision_for, integration_for

pytestmark = pytest.mark.django_db
DAY = dt.date(2027, 3, 10)  # a Wednesday


@pytest.fixture
def api(cast: Any) -> tuple[Integration, str]:
    return integration_for(cast.agency, actor=cast.agency_lead)


def put(client: Any, url: str, body: dict[str, Any], token: str, **headers: str) -> Any:
    return client.put(
        url, data=json.dumps(body), content_type="application/json", **bearer(token), **headers
    )


def post(client: Any, url: str, body: dict[str, Any], token: str, **headers: str) -> Any:
    return client.post(
        url, data=json.dumps(body), content_type="application/json", **bearer(token), **headers
    )


def test_a_child_is_added_then_brought_in_line_by_case_reference(
    cast: Any, client: Any, api: Any
) -> None:
    integration, token = api
    from oversight.people.models import Membership

    Membership.objects.filter(person=cast.stranger).update(employee_number="E77")
    with today_is(DAY):
        body = {
            "display_name": "Family T – child A",
            "legal_status": "child_in_need",
            "legal_status_since": "2027-01-04",
            "allocated_worker_email": cast.practitioner.email,
        }
        added = put(client, "/api/v1/children/MOS-1/", body, token)
        assert added.status_code == 201, added.content
        assert added.json()["allocated_worker"]["email"] == cast.practitioner.email
        child = Child.objects.get(agency=cast.agency, case_reference="MOS-1")
        assert child.created_by == integration.service_person

        body.update(
            legal_status="child_protection",
            legal_status_since="2027-03-01",
            allocated_worker_email="",
            allocated_worker_staff_number="E77",
        )
        changed = put(client, "/api/v1/children/MOS-1/", body, token)
    assert changed.status_code == 200, changed.content
    assert changed.json()["legal_status"] == "child_protection"
    assert changed.json()["allocated_worker"] == {
        "email": cast.stranger.email,
        "staff_number": "E77",
    }
    history = list(ChildStatus.objects.filter(child=child).order_by("starts_on"))
    assert [(h.status, h.starts_on, h.ends_on) for h in history] == [
        ("child_in_need", dt.date(2027, 1, 4), dt.date(2027, 2, 28)),
        ("child_protection", dt.date(2027, 3, 1), None),
    ]


def test_a_worker_without_a_post_in_the_agency_is_refused_as_problem_details(
    cast: Any, client: Any, api: Any
) -> None:
    _, token = api
    response = put(
        client,
        "/api/v1/children/MOS-2/",
        {
            "display_name": "B",
            "legal_status": "child_in_need",
            "allocated_worker_email": cast.other_practitioner.email,
        },
        token,
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] == "Refused"
    assert problem["errors"][0]["field"] == "allocated_worker_email"
    assert "has a post in Testshire Children's Services" in problem["detail"]
    assert not Child.objects.filter(case_reference="MOS-2").exists()


def test_children_list_changed_since_in_cursor_pages(cast: Any, client: Any, api: Any) -> None:
    _, token = api
    for n in range(5):
        put(
            client,
            f"/api/v1/children/C{n}/",
            {"display_name": f"C{n}", "legal_status": "early_help"},
            token,
        )
    first = client.get("/api/v1/children/?page_size=2", **bearer(token)).json()
    assert [c["case_reference"] for c in first["results"]] == ["C0", "C1"]
    second = client.get(first["next"], **bearer(token)).json()
    assert [c["case_reference"] for c in second["results"]] == ["C2", "C3"]
    since = Child.objects.get(case_reference="C3").modified_at.isoformat()
    recent = client.get("/api/v1/children/", {"changed_since": since}, **bearer(token)).json()
    assert [c["case_reference"] for c in recent["results"]] == ["C3", "C4"]
    bad = client.get("/api/v1/children/", {"changed_since": "last week"}, **bearer(token))
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "changed_since"


def test_a_review_meeting_is_upserted_by_its_external_id(cast: Any, client: Any, api: Any) -> None:
    _, token = api
    put(
        client,
        "/api/v1/children/MOS-3/",
        {"display_name": "C", "legal_status": "child_protection"},
        token,
    )
    body = {"case_reference": "MOS-3", "kind": "core_group", "meets_on": "2027-04-01"}
    assert put(client, "/api/v1/review-meetings/EV-9/", body, token).status_code == 201
    body["meets_on"] = "2027-04-08"
    moved = put(client, "/api/v1/review-meetings/EV-9/", body, token)
    assert moved.status_code == 200 and moved.json()["meets_on"] == "2027-04-08"
    assert list(ReviewMeeting.objects.values_list("meets_on", flat=True)) == [dt.date(2027, 4, 8)]


def test_decisions_due_are_listed_and_confirmed_on_file_by_the_case_system(
    cast: Any, client: Any, api: Any
) -> None:
    integration, token = api
    with today_is(DAY):
        child = Child.objects.get(
            pk=put(
                client,
                "/api/v1/children/MOS-4/",
                {"display_name": "D", "legal_status": "child_in_need"},
                token,
            ).json()
            and Child.objects.get(case_reference="MOS-4").pk
        )
        decision = decision_for(cast, child)
        due = client.get("/api/v1/decisions/", {"status": "due"}, **bearer(token)).json()
        assert [(d["id"], d["file_due_on"], d["case_reference"]) for d in due["results"]] == [
            (decision.pk, "2027-03-12", "MOS-4")
        ]
        url = f"/api/v1/decisions/{decision.pk}/confirm-on-file/"
        body = {
            "case_system_reference": "MOSAIC-CASE-NOTE-7",
            "recorded_at": "2027-03-10T09:30:00Z",
        }
        confirmed = post(client, url, body, token)
        assert confirmed.status_code == 200, confirmed.content
        assert confirmed.json()["status"] == "on_file"
        again = post(client, url, body, token)
        assert again.status_code == 422
        assert again.json()["detail"] == "This decision is already recorded on the child's file."
        on_file = client.get("/api/v1/decisions/", {"status": "on_file"}, **bearer(token)).json()
    decision.refresh_from_db()
    assert decision.recorded_on_file_by == integration.service_person
    assert decision.case_system_reference == "MOSAIC-CASE-NOTE-7"
    assert [d["id"] for d in on_file["results"]] == [decision.pk]


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_request(
    cast: Any, client: Any, api: Any
) -> None:
    _, token = api
    body = {"display_name": "E", "legal_status": "early_help"}
    first = put(client, "/api/v1/children/MOS-5/", body, token, HTTP_IDEMPOTENCY_KEY="k-1")
    replay = put(client, "/api/v1/children/MOS-5/", body, token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true" and replay.json() == first.json()
    other = put(
        client,
        "/api/v1/children/MOS-5/",
        {**body, "display_name": "F"},
        token,
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    assert IdempotentRequest.objects.count() == 1
    assert Child.objects.get(case_reference="MOS-5").display_name == "E"


def test_one_bad_staff_record_refuses_the_batch_naming_its_index(
    cast: Any, client: Any, api: Any
) -> None:
    _, token = api
    good = {
        "employee_number": "E9001",
        "given_name": "Kit",
        "family_name": "Lowe",
        "email": "kit.lowe@example.org",
        "job_title": "Social worker",
        "start_date": "2027-01-04",
        "supervisor_email": cast.supervisor.email,
        "roles": "practitioner",
    }
    bad = {**good, "employee_number": "E9002", "email": "sam@example.org", "start_date": "soon"}
    refused = post(client, "/api/v1/staff/", {"records": [good, bad]}, token)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"index": 1, "reason": "start_date soon is not a date (use YYYY-MM-DD or DD/MM/YYYY)"}
    ]
    from oversight.people.models import Membership, Person, SupervisionRelationship

    assert not Person.objects.filter(email="kit.lowe@example.org").exists()
    done = post(client, "/api/v1/staff/", {"records": [good]}, token)
    assert done.status_code == 200, done.content
    assert done.json()["people"] == 1 and done.json()["supervision"] == 1
    person = Person.objects.get(email="kit.lowe@example.org")
    assert Membership.objects.get(person=person).employee_number == "E9001"
    assert Membership.objects.get(person=person).agency == cast.agency
    assert SupervisionRelationship.objects.filter(
        supervisee=person, supervisor=cast.supervisor
    ).exists()


def test_sessions_are_read_only_without_the_record(cast: Any, client: Any, api: Any) -> None:
    from oversight.supervision.tests.factories import SessionFactory

    _, token = api
    session: Any = SessionFactory(
        supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency
    )
    listed = client.get("/api/v1/sessions/", **bearer(token)).json()["results"]
    assert [s["id"] for s in listed] == [session.pk]
    assert set(listed[0]) == {
        "id",
        "kind",
        "title",
        "starts_at",
        "duration_minutes",
        "location",
        "status",
        "held_on",
        "supervisor_email",
        "supervisee_email",
        "modified_at",
    }
    assert client.post("/api/v1/sessions/", **bearer(token)).status_code == 405


def test_every_call_is_audited_under_the_integration(cast: Any, client: Any, api: Any) -> None:
    integration, token = api
    client.get("/api/v1/children/", **bearer(token))
    client.get("/api/v1/nothing-here/", **bearer(token))
    calls = AuditEvent.objects.filter(actor=integration.service_person, detail__has_key="api")
    assert [e.detail for e in calls.order_by("id")] == [
        {"api": "GET /api/v1/children/", "status": 200}
    ]


@override_settings(
    REST_FRAMEWORK={
        **__import__("django.conf", fromlist=["settings"]).settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"integration": "3/minute"},
    }
)
def test_calls_are_limited_per_client(cast: Any, client: Any, api: Any) -> None:
    from rest_framework.settings import api_settings

    api_settings.reload()
    from oversight.integrations.api.auth import PerClientThrottle

    PerClientThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        _, token = api
        _, other_token = integration_for(cast.agency, actor=cast.agency_lead, name="Eclipse")
        codes = [client.get("/api/v1/children/", **bearer(token)).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/api/v1/children/", **bearer(token))
        assert limited["Content-Type"] == "application/problem+json" and "Retry-After" in limited
        assert client.get("/api/v1/children/", **bearer(other_token)).status_code == 200
    finally:
        cache.clear()
        api_settings.reload()
        PerClientThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def test_a_rotated_secret_stops_the_old_one_and_only_a_hash_is_kept(
    cast: Any, client: Any, api: Any
) -> None:
    integration, token = api
    secret = token.split(".", 1)[1]
    assert secret not in json.dumps(list(Integration.objects.values()), default=str)
    new = services.integration_secret_rotate(actor=cast.agency_lead, integration=integration)
    old = client.get("/api/v1/children/", **bearer(token))
    assert old.status_code == 401 and old.json()["title"] == "Not authenticated"
    fresh = f"{integration.client_id}.{new}"
    assert client.get("/api/v1/children/", **bearer(fresh)).status_code == 200


def test_a_switched_off_integration_is_refused(cast: Any, client: Any, api: Any) -> None:
    integration, token = api
    services.integration_switch_off(
        actor=cast.agency_lead, integration=integration, reason="Replaced"
    )
    assert client.get("/api/v1/children/", **bearer(token)).status_code == 401


def test_the_api_reference_is_served_from_packaged_assets(cast: Any, client: Any) -> None:
    client.force_login(cast.agency_lead)
    page = client.get(reverse("api:reference")).content.decode()
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert scripts and all(s.startswith("/") for s in scripts), scripts
    assert any("drf_spectacular_sidecar/swagger-ui-dist" in s for s in scripts)
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200


def test_confirming_on_the_page_and_through_the_api_moves_the_same_dashboard_figure(
    cast: Any, client: Any, api: Any
) -> None:
    """Seed 001 standard 6: the agency dashboard's “% on the child's file within two working
    days” counts a decision the case system confirmed exactly as one confirmed on the page."""
    from oversight.children.tests.factories import ChildFactory

    _, token = api
    with today_is(DAY):
        child = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
        decisions = [decision_for(cast, child, text=f"Decision {n}") for n in range(10)]
        client.force_login(cast.agency_lead)

        def figure() -> str:
            cache.clear()
            page = client.get(
                reverse("assurance:agency_question", args=[cast.agency.pk, "decisions-on-file"])
            )
            html = page.content.decode()
            row = re.search(
                r"<tr[^>]*>\s*<t[hd][^>]*>\s*Testshire Children's Services\s*</t[hd]>(.*?)</tr>",
                html.replace("&#x27;", "'"),
                re.S,
            )
            assert row, "the dashboard has the agency's row"
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
            return re.sub(r"<[^>]+>|\s", "", cells[1])

        assert figure() == "0"
        body = {"case_system_reference": "MOS-77", "recorded_at": "2027-03-10T09:00:00Z"}
        response = post(
            client, f"/api/v1/decisions/{decisions[0].pk}/confirm-on-file/", body, token
        )
        assert response.status_code == 200
        through_api = figure()
        client.force_login(cast.practitioner)
        page = client.post(
            reverse("supervision:decision_on_file", args=[decisions[1].pk]),
            {"recorded_on": DAY.isoformat(), "case_system_reference": "LCS-9"},
        )
        assert page.status_code == 302
        client.force_login(cast.agency_lead)
        through_page = figure()
    assert (through_api, through_page) == ("10", "20")
