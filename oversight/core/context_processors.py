from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string

from .navigation import navigation_for
from .observability import request_id
from .reversing import reverse_kept
from .sessions import idle_seconds_left


@dataclass(frozen=True)
class HeaderLink:
    label: str
    href: str
    count: int


def header_links_for(request: HttpRequest) -> list[HeaderLink]:
    """Links beside the signed-in person's name, each with a count (notifications' unread
    count): an app's ``AppConfig.header_links`` lists ``(label, URL name, dotted path of a
    function of the user returning the count)``."""
    user = request.user
    if not user.is_authenticated:
        return []
    links: list[HeaderLink] = []
    for config in apps.get_app_configs():
        for label, url_name, count_path in getattr(config, "header_links", ()):
            links.append(
                HeaderLink(
                    label=label,
                    href=reverse_kept(url_name),
                    count=import_string(count_path)(user),
                )
            )
    return links


def service(request: HttpRequest) -> dict[str, Any]:
    """The service's name, navigation and header links (notifications' count), for the
    header of every page. The partnership's name comes from people's context processor
    (decision 0001). The request id is what an error page asks a person to quote to support."""
    return {
        "request_id": request_id(request),
        "service_name": "Oversight",
        "navigation": SimpleLazyObject(lambda: navigation_for(request)),
        "header_links": SimpleLazyObject(lambda: header_links_for(request)),
        # What is left before the idle sign-out, for the warning before it (issue 12 item 3;
        # a session is renewed at most once a minute, core.sessions).
        "idle_seconds": idle_seconds_left(request),
    }
