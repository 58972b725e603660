"""The demo partnership is built app by app: every app may have a ``demo.py`` with
``build(ctx: DemoContext)``; ``manage.py seed_demo`` calls them in INSTALLED_APPS order, so
later apps (supervision, children, assurance) build on the people earlier ones made."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from types import ModuleType
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Model
from psycopg.types.json import Jsonb

SCALES: dict[str, dict[str, int]] = {
    # small: a believable partnership that a person can find their way around.
    "small": {"agencies": 7, "people": 60, "children": 120, "years": 1},
    # large: issue 5's benchmark partnership.
    "large": {"agencies": 12, "people": 10_000, "children": 50_000, "years": 5},
    # double: twice large's staff and children, to show how cost grows (issue 17 item 4).
    "double": {"agencies": 12, "people": 20_000, "children": 100_000, "years": 5},
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

    @property
    def at_scale(self) -> bool:
        """A benchmark partnership (large or double), not one a person finds their way around."""
        return self.scale != "small"

    def rng_for(self, name: str) -> random.Random:
        """A generator per app, so adding data in one app leaves the others' data unchanged."""
        return random.Random(f"{self.seed}:{name}")


def _demo_modules() -> list[tuple[str, ModuleType]]:
    """Each app's ``demo`` module, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("oversight."):
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        found.append((config.label, importlib.import_module(module_name)))
    return found


def demo_builders(step: str = "build") -> list[tuple[str, Callable[[DemoContext], None]]]:
    """Each app's ``demo.build`` in INSTALLED_APPS order; then, with step="finish", each app's
    optional ``demo.finish`` (for work that needs every app's data, such as drift flags); then,
    with step="settle", each app's optional ``demo.settle``, run outside any transaction once
    everything is committed (for work split across processes, such as sealing records)."""
    return [
        (label, getattr(module, step)) for label, module in _demo_modules() if hasattr(module, step)
    ]


def demo_built() -> bool:
    """Whether the database already holds data: any app's optional ``demo.built()`` says so
    (people's: a partnership exists)."""
    return any(module.built() for _, module in _demo_modules() if hasattr(module, "built"))


def demo_sign_ins() -> list[SignIn]:
    """The sign-ins of demo data already built, from each app's optional
    ``demo.sign_ins()`` (people's: the personas whose accounts exist)."""
    found: list[SignIn] = []
    for _, module in _demo_modules():
        if hasattr(module, "sign_ins"):
            found.extend(module.sign_ins())
    return found


def bulk_insert(model: type[Model], objects: Iterable[Any], *, batch_size: int = 5000) -> list[Any]:
    """``bulk_create`` for demo data, fast enough for ``--scale large`` (about four million
    rows). On PostgreSQL the rows go in by COPY, their primary keys drawn from the table's own
    sequence first, so the objects have primary keys afterwards just as with bulk_create and
    the sequence stays right. Elsewhere (SQLite) it is bulk_create. No signals are sent and no
    ``save()`` runs, as with bulk_create; demo code sets every field it needs itself."""
    objects = list(objects)
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objects, batch_size=batch_size)
    meta = model._meta
    quote = connection.ops.quote_name
    fields = list(meta.concrete_fields)
    related: list[Any] = [f for f in fields if f.is_relation]
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    with connection.cursor() as cursor:
        missing = [obj for obj in objects if obj.pk is None]
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(missing)],
            )
            for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = pk
        columns = ", ".join(quote(f.column) for f in fields)
        statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        for start in range(0, len(objects), batch_size):
            with cursor.cursor.copy(statement) as copy:
                for obj in objects[start : start + batch_size]:
                    for f in related:
                        # An object linked before it had a primary key (as bulk_create allows).
                        if getattr(obj, f.attname) is None and f.is_cached(obj):
                            target = f.get_cached_value(obj)
                            if target is not None:
                                setattr(obj, f.attname, target.pk)
                    for f in stamped:
                        f.pre_save(obj, True)
                    copy.write_row(
                        [_copy_value(obj, f.attname, f.attname in json_fields) for f in fields]
                    )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def _copy_value(obj: Model, attname: str, is_json: bool) -> Any:
    value = getattr(obj, attname)
    if is_json:
        return Jsonb(value)
    if isinstance(value, Enum):
        return value.value
    return value
