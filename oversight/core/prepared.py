"""Reads compiled to SQL once per process, then run with each request's values (issue 17
item 1; decision 0029).

Building a queryset and compiling it in the ORM costs more Python than PostgreSQL spends
running it: on a supervisor's home page about a third of the request's CPU went on
``as_sql``. A read that every page view makes with different ids and days but the same shape
is worth compiling once. ``prepared`` turns a function that builds a queryset from keyword
values into one that compiles it once per database alias and *shape*, with stand-in values,
finds where each stand-in landed among the SQL's parameters, and from then on runs that SQL
with the real values, through Django's own iterables (so ``select_related``, annotations,
``values_list`` and ``prefetch_related`` behave as they always do).

The builder must be a function of its arguments alone: it may branch on a list being empty
or on a flag, never on an id's or a day's value, and it must not read the clock (take
``today`` as an argument). The shape is what may change the SQL: each list's length, each
flag's value, which values are None, and the value of each argument named ``shaped``. Lists
are sets of values (``__in``): they are de-duplicated and sorted before use. Under the test
settings (``PREPARED_READS_CHECK``), every call also compiles the plain queryset and fails if
its SQL or parameters differ, so the whole suite checks each prepared read against the ORM
without running a query more. Elsewhere, a read whose stand-ins end up written into its SQL
is compiled on each call, with a warning in the log."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet

from .connections import parameters_apart

T = TypeVar("T")
log = logging.getLogger(__name__)

# A stand-in far from any real id or day, one per value: -917,000,001 and down; days from
# 1901-01-01 on; instants from 1901-01-01 00:00 UTC on, a second apart.
_FIRST_INT = -917_000_001
_FIRST_DAY = dt.date(1901, 1, 1)
_FIRST_INSTANT = dt.datetime(1901, 1, 1, tzinfo=dt.UTC)
_LISTS = (list, tuple, set, frozenset)
# Shapes kept per read: each list length is one, so a read of many lists could otherwise grow
# without end; a shape past these is compiled for its call alone.
MAX_SHAPES = 512
_SHAPED = (bool, type(None))


class NotPreparable(Exception):
    """The read's SQL does not carry each stand-in as a parameter of its own."""


def _stand_in(kind: type, n: int) -> Any:
    if kind is int:
        return _FIRST_INT - n
    if kind is str:
        return f"\x1fstand-in {n}\x1f"
    if kind is dt.datetime:
        return _FIRST_INSTANT + dt.timedelta(seconds=n)
    if kind is dt.date:
        return _FIRST_DAY + dt.timedelta(days=n)
    raise TypeError(f"a prepared read cannot stand in for a {kind.__name__}")


def _kind(value: Any) -> Any:
    """The kind a value is stood in for by: bool is an int and datetime a date, so the
    narrower type decides; a tuple (a pair of ids, say) is the kinds of its parts."""
    if isinstance(value, tuple):
        return tuple(_kind(part) for part in value)
    for kind in (bool, int, str, dt.datetime, dt.date):
        if isinstance(value, kind):
            return kind
    return type(value)


def _can_stand_in(kind: Any) -> bool:
    if isinstance(kind, tuple):
        return all(_can_stand_in(part) for part in kind)
    return kind in (int, str, dt.datetime, dt.date)


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    """Lists as sorted tuples of distinct values (they are sets of ids, days or names)."""
    return {
        name: tuple(sorted(set(value))) if isinstance(value, _LISTS) else value
        for name, value in values.items()
    }


def _shape(values: dict[str, Any], shaped: frozenset[str]) -> tuple[Any, ...]:
    """What may change the SQL: each list's length and element type, each flag and None,
    and the value of each argument the builder branches on."""
    shape: list[Any] = []
    for name in sorted(values):
        value = values[name]
        if name in shaped or isinstance(value, _SHAPED):
            shape.append((name, "is", value))
        elif isinstance(value, tuple):
            kinds = {_kind(item) for item in value}
            if len(kinds) > 1 or not all(_can_stand_in(kind) for kind in kinds):
                raise NotPreparable(f"{name}: a list of one kind of id, name or day")
            shape.append((name, "list", len(value), next(iter(kinds), None)))
        elif _can_stand_in(_kind(value)):
            shape.append((name, _kind(value)))
        else:
            raise NotPreparable(f"{name}: no stand-in for a {type(value).__name__}")
    return tuple(shape)


def _stand_ins(
    values: dict[str, Any], shaped: frozenset[str]
) -> tuple[dict[str, Any], list[tuple[tuple[Any, ...], Any]]]:
    """A distinct stand-in for every id, name, day and instant in ``values``, and each one's
    path: (name,), (name, i) for a list's item, (name, i, j) for a part of a list's pair."""
    count = 0
    leaves: list[tuple[tuple[Any, ...], Any]] = []

    def stand_in(path: tuple[Any, ...], value: Any) -> Any:
        nonlocal count
        if isinstance(value, tuple):
            return tuple(stand_in((*path, j), part) for j, part in enumerate(value))
        made = _stand_in(_kind(value), count)
        count += 1
        leaves.append((path, made))
        return made

    stand_ins: dict[str, Any] = {}
    for name in sorted(values):
        value = values[name]
        if name in shaped or isinstance(value, _SHAPED):
            stand_ins[name] = value
        elif isinstance(value, tuple):
            stand_ins[name] = [stand_in((name, i), item) for i, item in enumerate(value)]
        else:
            stand_ins[name] = stand_in((name,), value)
    return stand_ins, leaves


class _Compiled:
    """One shape's SQL, the compiler that made it (what is selected where), and for each
    parameter either a constant or the slot its value comes from."""

    def __init__(self, queryset: QuerySet[Any] | None, compiler: Any, sql: str, slots: list[Any]):
        self.queryset = queryset  # None: the shape can never match a row (EmptyResultSet)
        self.compiler = compiler
        self.sql = sql
        self.slots = slots

    def bind(self, values: dict[str, Any], ops: Any) -> list[Any]:
        bound = []
        for slot in self.slots:
            if isinstance(slot, _Slot):
                value = values[slot.path[0]]
                for step in slot.path[1:]:
                    value = value[step]
                bound.append(slot.adapt(ops, value))
            else:
                bound.append(slot)
        return bound


class _Slot:
    __slots__ = ("adapt", "path")

    def __init__(self, path: tuple[Any, ...], adapt: Callable[[Any, Any], Any]):
        self.path, self.adapt = path, adapt


def _typed(kind: type, adapt: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda ops, value: kind(adapt(ops, value))


def _as_is(ops: Any, value: Any) -> Any:
    return value


def _as_day(ops: Any, value: Any) -> Any:
    return ops.adapt_datefield_value(value)


def _as_instant(ops: Any, value: Any) -> Any:
    return ops.adapt_datetimefield_value(value)


class _BoundQuery:
    """The template queryset's query, answering ``get_compiler`` with the bound compiler;
    everything else (the selected names ``values_list`` reads) is the template's."""

    def __init__(self, query: Any, compiler: Any):
        self._query, self._compiler = query, compiler

    def get_compiler(self, using: Any = None, connection: Any = None, elide_empty: bool = True):
        return self._compiler

    def __getattr__(self, name: str) -> Any:
        if name in {"chain", "clone", "add_q", "set_limits", "combine"}:
            raise TypeError("a prepared read's rows are read as they are; filter in the builder")
        return getattr(self._query, name)


class Prepared(Generic[T]):
    def __init__(self, build: Callable[..., QuerySet[Any]], *, shaped: tuple[str, ...] = ()):
        functools.update_wrapper(self, build)
        self.build = build
        self.shaped = frozenset(shaped)
        self._compiled: dict[tuple[Any, ...], _Compiled] = {}
        self._lock = threading.Lock()
        self._model: Any = None

    def __call__(self, **values: Any) -> list[T]:
        """The rows the builder's queryset would give for ``values``, as a list."""
        values = _normalised(values)
        try:
            shape = _shape(values, self.shaped)
        except NotPreparable:
            return list(self.build(**values))
        if self._model is None:  # the first call learns which model the read is of
            self._model = self.build(**_stand_ins(values, self.shaped)[0]).model
        alias = router.db_for_read(self._model)
        key = (alias, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            try:
                compiled = self._compile(alias, values)
            except NotPreparable:
                if getattr(settings, "PREPARED_READS_CHECK", False):
                    raise
                log.warning("read compiled on each call", exc_info=True)
                return list(self.build(**values))
            if len(self._compiled) < MAX_SHAPES:
                with self._lock:
                    self._compiled.setdefault(key, compiled)
        if compiled.queryset is None:
            return []
        connection = connections[alias]
        params = compiled.bind(values, connection.ops)
        if getattr(settings, "PREPARED_READS_CHECK", False):
            self._check(values, alias, compiled.sql, params)
        return _run(compiled, connection, params)

    def _compile(self, alias: str, values: dict[str, Any]) -> _Compiled:
        """The builder's queryset compiled with stand-ins, and where each one landed."""
        stand_ins, leaves = _stand_ins(values, self.shaped)
        queryset = self.build(**stand_ins).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled(None, None, "", [])
        ops = connections[alias].ops
        wanted: dict[tuple[type, Any], _Slot] = {}
        for path, item in leaves:
            adapters: list[Callable[[Any, Any], Any]] = [_as_is]
            if isinstance(item, dt.datetime):
                adapters.append(_as_instant)
            elif isinstance(item, dt.date):
                adapters.append(_as_day)
            for adapt in adapters:
                adapted = adapt(ops, item)
                wanted[(type(adapted), adapted)] = _Slot(path, adapt)
        slots: list[Any] = []
        for param in params:
            try:
                slot = wanted.get((type(param), param))
                if slot is None and type(param) not in (int, str) and isinstance(param, int):
                    # A typed integer (psycopg's Int4 for a Value(), say): bound as the same type.
                    found = wanted.get((int, int(param)))
                    if found is not None:
                        slot = _Slot(found.path, _typed(type(param), found.adapt))
            except TypeError:  # an unhashable constant (a JSON value, say)
                slot = None
            slots.append(param if slot is None else slot)
        if str(_FIRST_INT)[:-2] in sql or "stand-in" in sql or "1901-01-" in sql:
            raise NotPreparable(f"{self.build.__qualname__}: a stand-in is written into its SQL")
        return _Compiled(queryset, compiler, sql, slots)

    def _check(self, values: dict[str, Any], alias: str, sql: str, params: list[Any]) -> None:
        plain = self.build(**values).using(alias)
        plain_sql, plain_params = plain.query.get_compiler(using=alias).as_sql()
        if plain_sql != sql or list(plain_params) != list(params):
            raise AssertionError(
                f"the prepared read {self.build.__qualname__} differs from its queryset:\n"
                f"{sql}\n{params}\n!=\n{plain_sql}\n{list(plain_params)}"
            )


def _run(compiled: _Compiled, connection: Any, params: list[Any]) -> list[Any]:
    """The compiled SQL run with ``params`` through the template queryset's own iterable:
    a copy of the stand-in compiler (what is selected where) on this thread's connection."""
    template = compiled.queryset
    assert template is not None
    compiler = copy.copy(compiled.compiler)
    compiler.connection = connection
    sql = compiled.sql
    compiler.as_sql = lambda *args, **kwargs: (sql, params)
    queryset = QuerySet.__new__(type(template))
    queryset.__dict__.update(template.__dict__)
    queryset._query = _BoundQuery(template.query, compiler)  # type: ignore[attr-defined]
    queryset._result_cache = None
    queryset._prefetch_done = False  # type: ignore[attr-defined]
    with parameters_apart(connection, len(params)):  # planned once per connection (0036)
        return list(queryset)


def prepared(
    build: Callable[..., QuerySet[Any]] | None = None, *, shaped: tuple[str, ...] = ()
) -> Any:
    """``build(**values)``'s rows as a list, its SQL compiled once per database and shape.
    ``shaped`` names arguments the builder branches on (a count shown, say): their values
    are passed as they are and each value is a shape of its own. Flags and None need no
    naming: they are shapes already."""
    if build is None:
        return functools.partial(Prepared, shaped=shaped)
    return Prepared(build, shaped=shaped)
