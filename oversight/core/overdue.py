"""What a page shows as overdue is what the record's own ``is_overdue_on(day)`` answers, asked
once by the view or selector for the day the page is about; templates read the answer
(``item.overdue``) and never compare dates themselves (decision 0002). Any model with an
``is_overdue_on`` method can be marked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar


class Dated(Protocol):
    def is_overdue_on(self, day: dt.date) -> bool: ...


T = TypeVar("T", bound=Dated)


def mark_overdue(items: Iterable[T | None], day: dt.date) -> list[T]:
    """Set ``overdue`` on each item (skipping None) from ``item.is_overdue_on(day)``; the
    items, as a list, so a queryset is read once and the page iterates the same objects."""
    marked: list[T] = []
    for item in items:
        if item is None:
            continue
        vars(item)["overdue"] = item.is_overdue_on(day)
        marked.append(item)
    return marked
