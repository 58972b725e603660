"""The service navigation: each app's AppConfig lists its entries as ``navigation``
(label, URL name, permission or None); an entry shows only to people the rule allows."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.http import HttpRequest

from .reversing import reverse_kept


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    active: bool


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        for label, url_name, perm in getattr(config, "navigation", ()):
            if perm and not user.has_perm(perm):
                continue
            href = reverse_kept(url_name)
            active = request.path == href if href == "/" else request.path.startswith(href)
            items.append(NavItem(label=label, href=href, active=active))
    return items
