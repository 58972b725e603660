"""Writes sent with an ``Idempotency-Key`` header: the first answer is kept (key, client,
a hash of the request, the answer); the same key with the same request gets it again, with
``Idempotent-Replayed: true``; with another request it is refused (422)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import IdempotentRequest
from .problems import problem

HEADER = "Idempotency-Key"


def request_hash(request: Request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() + b" " + request.path.encode() + b"\n")
    digest.update(request.body)
    return digest.hexdigest()


def idempotent(call: Callable[[], Response], request: Request) -> Response:
    key = request.headers.get(HEADER, "")
    if not key:
        return call()
    if len(key) > 200 or not key.isprintable():
        return problem(400, "An Idempotency-Key is at most 200 printable characters.")
    integration = request.auth
    fingerprint = request_hash(request)
    earlier = IdempotentRequest.objects.filter(integration=integration, key=key).first()
    if earlier is not None:
        if earlier.request_hash != fingerprint:
            return problem(422, "This Idempotency-Key was sent before with a different request.")
        response = Response(earlier.response_body, status=earlier.status_code)
        if earlier.status_code >= 400:
            response.content_type = "application/problem+json"
        response["Idempotent-Replayed"] = "true"
        return response
    try:
        with transaction.atomic():
            response = call()
            if response.status_code < 500:
                IdempotentRequest.objects.create(
                    integration=integration,
                    key=key,
                    request_hash=fingerprint,
                    status_code=response.status_code,
                    response_body=_plain(response.data),
                )
    except IntegrityError:
        return problem(409, "A request with this Idempotency-Key is being handled; try again.")
    return response


def _plain(data: Any) -> Any:
    import json

    from rest_framework.utils.encoders import JSONEncoder

    return json.loads(json.dumps(data, cls=JSONEncoder))
