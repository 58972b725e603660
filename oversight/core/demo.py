"""The demo partnership is built app by app: every app may have a ``demo.py`` with
``build(ctx: DemoContext)``; ``manage.py seed_demo`` calls them in INSTALLED_APPS order, so
later apps (supervision, children, assurance) build on the people earlier ones made."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

SCALES: dict[str, dict[str, int]] = {
    # small: a believable partnership that a person can find their way around.
    "small": {"agencies": 7, "people": 60, "children": 120, "years": 1},
    # large: issue 5's benchmark partnership.
    "large": {"agencies": 12, "people": 10_000, "children": 50_000, "years": 5},
}


@dataclass
class SignIn:
    role: str
    username: str
    description: str = ""


@dataclass
class DemoContext:
    seed: int
    today: dt.date
    scale: str
    password_hash: str
    rng: random.Random = field(init=False)
    sign_ins: list[SignIn] = field(default_factory=list)
    # Objects earlier apps made, for later apps: e.g. "partnership", "agencies", "personas".
    shared: dict[str, Any] = field(default_factory=dict)
    log: Callable[[str], None] = lambda message: None

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def size(self) -> dict[str, int]:
        return SCALES[self.scale]

    def rng_for(self, name: str) -> random.Random:
        """A generator per app, so adding data in one app leaves the others' data unchanged."""
        return random.Random(f"{self.seed}:{name}")


def demo_builders(step: str = "build") -> list[tuple[str, Callable[[DemoContext], None]]]:
    """Each app's ``demo.build`` in INSTALLED_APPS order; then, with step="finish", each app's
    optional ``demo.finish`` (for work that needs every app's data, such as drift flags)."""
    builders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("oversight."):
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        if hasattr(module, step):
            builders.append((config.label, getattr(module, step)))
    return builders
