"""A request id for every request, in the X-Request-ID header, the log lines and the error
pages; one log line per request and per task, without personal data (issue 14 item 3)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django_guid import get_guid
from django_guid.log_filters import CorrelationId
from pythonjsonlogger.json import JsonFormatter

from oversight.core.observability import PrivateRequestFilter
from oversight.core.services import outgoing_email_queue

REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("something went wrong")


urlpatterns = [path("broken/", broken)]
handler500 = "oversight.core.views.server_error"


@pytest.fixture
def log_lines(caplog: Any) -> Any:
    """The lines as production writes them: the request id and privacy filters of LOGGING,
    formatted as JSON."""
    caplog.handler.addFilter(CorrelationId("request_id"))
    caplog.handler.addFilter(PrivateRequestFilter())
    caplog.set_level("INFO")
    formatter = JsonFormatter("%(levelname)s %(name)s %(message)s")

    def lines(logger: str) -> list[dict[str, Any]]:
        return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]

    return lines


def test_every_answer_carries_a_request_id(client: Any, db: None) -> None:
    first = client.get("/account/sign-in/")["X-Request-ID"]
    second = client.get("/account/sign-in/")["X-Request-ID"]
    assert REQUEST_ID.match(first) and REQUEST_ID.match(second)
    assert first != second


def test_the_proxy_s_request_id_is_kept_only_when_it_is_a_uuid(client: Any, db: None) -> None:
    sent = "0f8fad5bd9cb469fa16570867728950e"
    assert client.get("/health/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent
    forged = client.get("/health/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert REQUEST_ID.match(forged)


def test_a_refusal_and_a_missing_page_quote_the_request_id(client: Any, cast: Any) -> None:
    client.force_login(cast.practitioner)
    refused = client.get("/people/")
    assert refused.status_code == 403
    assert f"Quote this reference: <strong>{refused['X-Request-ID']}</strong>" in (
        refused.content.decode()
    )
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert f"Quote this reference: <strong>{missing['X-Request-ID']}</strong>" in (
        missing.content.decode()
    )


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_quotes_the_request_id_and_logs_it(db: None, log_lines: Any) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/broken/?child=Okafor")
    assert response.status_code == 500
    reference = response["X-Request-ID"]
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert f"Quote this reference: <strong>{reference}</strong>" in page
    (line,) = log_lines("oversight.request")
    assert (line["request_id"], line["status"], line["path"]) == (reference, 500, "/broken/")
    (error,) = log_lines("django.request")
    assert error["request_id"] == reference
    assert "Okafor" not in json.dumps(error)


def test_one_line_per_request_with_no_query_string_or_person(
    client: Any, cast: Any, log_lines: Any
) -> None:
    client.force_login(cast.supervisor)
    response = client.get("/people/?q=Okafor")
    assert response.status_code == 200
    (line,) = log_lines("oversight.request")
    assert line["request_id"] == response["X-Request-ID"]
    assert line["method"] == "GET"
    assert line["path"] == "/people/"
    assert line["view"] == "people:person_list"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    written = json.dumps(line)
    for private in ("Okafor", "supervisor", "Hughes", cast.supervisor.email):
        assert private not in written


def test_a_secret_in_the_path_is_logged_as_its_pattern(db: None, log_lines: Any) -> None:
    Client().get("/account/password-reset/MQ/c7l3xy-0123456789abcdef/")
    Client().get("/supervision/calendar/s3cr3t-feed-token.ics")
    paths = [line["path"] for line in log_lines("oversight.request")]
    assert paths == [
        "/account/password-reset/<uidb64>/<token>/",
        "/supervision/calendar/<str:token>.ics",
    ]
    assert "s3cr3t" not in json.dumps(log_lines("oversight.request"))


def test_one_line_per_task_with_the_task_s_id_as_its_request_id(
    db: None, log_lines: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = outgoing_email_queue(
            to="lead@example.org", subject="Alert", body="A disclosure", purpose="Test"
        )
    (line,) = log_lines("oversight.task")
    email.refresh_from_db()
    assert line["task"] == "oversight.core.tasks.outgoing_email_send"
    assert line["status"] == "SUCCESSFUL"
    assert line["task_id"] == line["request_id"] == email.task_id
    assert "lead@example.org" not in json.dumps(line)
    # Outside the task the id it lent is gone again.
    assert get_guid() is None
