from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Partnership

NAME_KEY = "people.partnership_name"


def partnership_name() -> str:
    """The partnership's name, for pages and emails. Every page's header shows it and it is
    set once, so each process keeps it a minute (the "local" cache) rather than asking the
    database on every page (issue 17 item 1)."""
    local = caches["local"]
    name = local.get(NAME_KEY)
    if name is None:
        partnership = Partnership.objects.only("name").order_by("pk").first()
        name = partnership.name if partnership else settings.PARTNERSHIP_NAME
        local.set(NAME_KEY, name)
    return str(name)


def partnership(request: HttpRequest) -> dict[str, Any]:
    """The partnership the service serves, for the header of every page (read only when a
    page shows it); PARTNERSHIP_NAME until one is set up."""
    return {"partnership_name": SimpleLazyObject(partnership_name)}
