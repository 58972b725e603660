from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Partnership


def partnership_name() -> str:
    """The partnership's name, for pages and emails."""
    partnership = Partnership.objects.only("name").first()
    return partnership.name if partnership else settings.PARTNERSHIP_NAME


def partnership(request: HttpRequest) -> dict[str, Any]:
    """The partnership the service serves, for the header of every page (read only when a
    page shows it); PARTNERSHIP_NAME until one is set up."""
    return {"partnership_name": SimpleLazyObject(partnership_name)}
