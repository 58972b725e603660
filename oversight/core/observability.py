"""What the service says about itself while it runs: one log line per request and one per
task, each with a request id (issue 14 item 3).

The request id comes from django-guid's middleware (first in MIDDLEWARE): a new UUID per
request, or the proxy's own ``X-Request-ID`` when that is a UUID. It goes back in the
``X-Request-ID`` response header, onto every log line of the request (the ``request_id``
filter in LOGGING), and into the error pages, so a person can quote it to support.

A task's lines carry the task's id as their request id. With ``LOG_FORMAT=json`` (production)
each line is one JSON object.

No personal data: a line names the method, the path (with record ids, which mean nothing
without the database, and with the secret parts of a path — a password-reset or calendar
token — left out), the status and the time taken. Never the query string (a search may hold
a name), the body, the person signed in, their address or their browser."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import Token
from typing import Any

from django.http import HttpRequest, HttpResponse
from django_guid import get_guid
from django_guid.context import guid
from django_tasks import TaskResultStatus

request_logger = logging.getLogger("oversight.request")
task_logger = logging.getLogger("oversight.task")

# URL arguments that are secrets: the path is logged as its pattern instead.
SECRET_URL_ARGUMENTS = frozenset({"token", "uidb64"})


def request_id(request: HttpRequest | None = None) -> str:
    """The current request's id ("" outside a request)."""
    found = getattr(request, "correlation_id", None) if request is not None else None
    return str(found or get_guid() or "")


def loggable_path(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and SECRET_URL_ARGUMENTS & set(match.kwargs):
        return "/" + match.route
    return request.path


class PrivateRequestFilter(logging.Filter):
    """Django's own request lines (``django.request``: "Internal Server Error: /path") carry
    the request itself, whose text includes the query string; leave only the loggable path,
    in the message too."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            path = loggable_path(request)
            if isinstance(record.args, tuple):
                record.args = tuple(path if arg == request.path else arg for arg in record.args)
            record.request = path
        return True


class RequestLogMiddleware:
    """One line per request: ``GET /children/12/ 200 35ms``, with the fields apart in JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        path = loggable_path(request)
        match = getattr(request, "resolver_match", None)
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        request_logger.log(
            level,
            "%s %s %s %sms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={
                "event": "request",
                "method": request.method,
                "path": path,
                "view": match.view_name if match is not None else None,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


# A task's id stands as the request id of its log lines while it runs. The immediate backend
# (tests, development) runs a task inside a request: the request's id comes back after.
_running: dict[str, tuple[Token[str | None], float]] = {}


def task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _running[str(task_result.id)] = (guid.set(str(task_result.id)), time.perf_counter())


def task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    token, started = _running.pop(str(task_result.id), (None, None))
    duration_ms = None if started is None else round((time.perf_counter() - started) * 1000, 1)
    failed = task_result.status == TaskResultStatus.FAILED
    status = str(task_result.status)
    errors = getattr(task_result, "errors", None) or []
    exception = errors[-1].exception_class_path if failed and errors else None
    try:
        task_logger.log(
            logging.ERROR if failed else logging.INFO,
            "task %s %s %sms",
            task_result.task.module_path,
            status,
            duration_ms,
            extra={
                "event": "task",
                "task_id": str(task_result.id),
                "task": task_result.task.module_path,
                "status": status,
                "duration_ms": duration_ms,
                "exception": exception,
                "attempts": len(getattr(task_result, "worker_ids", None) or []),
            },
        )
    finally:
        if token is not None:
            guid.reset(token)


def connect_task_logging() -> None:
    """Called once from CoreConfig.ready."""
    from django_tasks.signals import task_finished as finished
    from django_tasks.signals import task_started as started

    started.connect(task_started, dispatch_uid="oversight.core.observability.started")
    finished.connect(task_finished, dispatch_uid="oversight.core.observability.finished")
