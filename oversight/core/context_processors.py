from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for


def _partnership_name() -> str:
    from oversight.people.models import Partnership

    partnership = Partnership.objects.only("name").first()
    return partnership.name if partnership else settings.PARTNERSHIP_NAME


def service(request: HttpRequest) -> dict[str, Any]:
    """The service's name and the partnership it serves, for the header of every page."""
    return {
        "service_name": "Oversight",
        "partnership_name": SimpleLazyObject(_partnership_name),
        "navigation": SimpleLazyObject(lambda: navigation_for(request)),
    }
