"""Errors as problem details (RFC 9457): ``application/problem+json`` with ``type``,
``title``, ``status`` and ``detail``, and ``errors`` naming each field or record refused."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_TYPE = "https://oversight.invalid/problems/"
TITLES = {
    400: "The request is not valid",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    415: "Unsupported media type",
    422: "Refused",
    429: "Too many requests",
}
SLUGS = {
    400: "invalid-request",
    401: "not-authenticated",
    403: "not-allowed",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    415: "unsupported-media-type",
    422: "refused",
    429: "too-many-requests",
}


class ProblemJSONRenderer(JSONRenderer):
    media_type = "application/problem+json"


def problem(
    status_code: int, detail: str, *, errors: list[dict[str, Any]] | None = None, **extra: Any
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + SLUGS.get(status_code, "error"),
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(body, status=status_code, content_type="application/problem+json")


def _field_errors(detail: Any, prefix: str = "") -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            found += _field_errors(value, f"{prefix}.{name}" if prefix and name else prefix or name)
    elif isinstance(detail, list):
        if all(not isinstance(v, (dict, list)) for v in detail):
            found += [{"field": prefix or None, "reason": str(v)} for v in detail]
        else:
            for index, value in enumerate(detail):
                found += _field_errors(value, f"{prefix}[{index}]")
    else:
        found.append({"field": prefix or None, "reason": str(detail)})
    return found


def service_refusal(error: DjangoValidationError) -> Response:
    """A service's ValidationError, in its own words: 422."""
    errors: list[dict[str, Any]]
    if hasattr(error, "error_dict"):
        errors = [
            {"field": None if field == "__all__" else field, "reason": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": None, "reason": message} for message in error.messages]
    return problem(422, str(errors[0]["reason"]) if errors else "Refused.", errors=errors)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        return service_refusal(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Nothing of your agency's has this id.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        result = problem(
            400, errors[0]["reason"] if errors else "The request is not valid.", errors=errors
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        result = problem(code, str(detail or ""))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
    """Any path under /api/v1/ that names no endpoint."""
    from django.http import JsonResponse

    return JsonResponse(
        {
            "type": PROBLEM_TYPE + "not-found",
            "title": TITLES[404],
            "status": status.HTTP_404_NOT_FOUND,
            "detail": "There is no such endpoint.",
        },
        status=404,
        content_type="application/problem+json",
    )
