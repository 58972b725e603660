"""Home-page panels. The home page (people.views.HomeView) shows each person what is due and
overdue for them; every app contributes its own panels through an optional ``home.py`` with

    def panels(request: HttpRequest, profile: AccessProfile) -> list[Panel]

returning the panels that person should see (empty list when none apply). Each panel renders
its own template with its own context, built by that app's selectors."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.http import HttpRequest


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
