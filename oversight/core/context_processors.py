from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for
from .observability import request_id


def service(request: HttpRequest) -> dict[str, Any]:
    """The service's name and navigation, for the header of every page. The partnership's
    name comes from people's context processor (decision 0001). The request id is what an
    error page asks a person to quote to support."""
    return {
        "request_id": request_id(request),
        "service_name": "Oversight",
        "navigation": SimpleLazyObject(lambda: navigation_for(request)),
        # The idle sign-out, for the warning before it (issue 12 item 3).
        "idle_seconds": settings.SESSION_COOKIE_AGE,
    }
