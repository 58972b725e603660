"""drf-spectacular postprocessing: every operation documents its refusals as problem details
(RFC 9457), so the document says what a client gets back whatever happens."""

from __future__ import annotations

from typing import Any

PROBLEM = {
    "type": "object",
    "description": "Problem details (RFC 9457).",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "index": {"type": "integer", "nullable": True},
                    "reason": {"type": "string"},
                },
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}
REFUSALS = {
    "400": "The request is not valid.",
    "401": "No valid API key.",
    "403": "The integration lacks the scope.",
    "404": "Not your agency's, or no such record.",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "409": "The same Idempotency-Key is being handled.",
    "415": "Send JSON.",
    "422": "Refused by Oversight's rules (the reason is given).",
    "429": "Too many calls; wait Retry-After seconds.",
}


def problem_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM
    ref = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in REFUSALS.items():
                if code in responses:
                    content = responses[code].setdefault("content", {})
                    for media in ("application/problem+json", "application/json"):
                        content.setdefault(media, {"schema": ref})
                    continue
                responses[code] = {
                    "description": description,
                    "content": {
                        "application/problem+json": {"schema": ref},
                        "application/json": {"schema": ref},
                    },
                }
    return result
