"""Home-page panels. The home page (people.views.HomeView) shows each person what is due and
overdue for them; every app contributes its own panels through an optional ``home.py`` with

    def panels(request: HttpRequest, profile: AccessProfile) -> list[Panel]

returning the panels that person should see (empty list when none apply). Each panel renders
its own template with its own context, built by that app's selectors."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.apps import apps
from django.core.cache import cache
from django.http import HttpRequest

from oversight.core.routers import reading_from_replica

T = TypeVar("T")

# A lead's view spans an agency (thousands of people and children at scale), and so may a
# manager's or supervisor's with more than WIDE_SCOPE_PEOPLE people. What their pages compute
# from it is kept this long, and the page says so.
WIDE_SCOPE_SECONDS = 5 * 60
WIDE_SCOPE_PEOPLE = 50


@dataclass
class Panel:
    title: str
    template_name: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50  # lower first
    # "due" counts for the summary line at the top of the page, e.g. {"overdue": 3}
    counts: dict[str, int] = field(default_factory=dict)


def collect_panels(request: HttpRequest, profile: Any) -> list[Panel]:
    collected: list[Panel] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("oversight."):
            continue
        module_name = f"{config.name}.home"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        if hasattr(module, "panels"):
            collected.extend(module.panels(request, profile))
    return sorted(collected, key=lambda p: (p.order, p.title))


def is_wide_scope(profile: Any) -> bool:
    """Leads an agency, or supervises and manages more than WIDE_SCOPE_PEOPLE people."""
    people = set(profile.report_ids) | set(profile.supervisee_ids)
    return bool(profile.led_agency_ids) or len(people) > WIDE_SCOPE_PEOPLE


def kept_for_wide_scope(profile: Any, name: str, on: dt.date, compute: Callable[[], T]) -> T:
    """``compute()``, kept for a few minutes when ``profile``'s view is wide (shared by their
    home page, compliance page and exports); live for everyone else, whose view is small
    and who expect to see their own changes at once."""
    if not is_wide_scope(profile):
        return compute()
    key = f"home:{name}:{profile.person_id}:{on.isoformat()}"
    found = cache.get(key)
    if found is None:
        with reading_from_replica():  # kept figures tolerate a replica's lag (core.routers)
            found = compute()
        cache.set(key, found, WIDE_SCOPE_SECONDS)
    return cast(T, found)
