"""Paging a long list whose rows are wide: the page's keys first, then only those rows (issue
17 item 3, "queries sized by the page"). Given a queryset, PostgreSQL reads the whole row of
every candidate before it orders them and keeps fifty, because it does not fetch columns
late; asked for the keys alone, it can order from an index and read fifty rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar, overload

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


class KeysFirst(Generic[M]):
    """What ``django.core.paginator.Paginator`` pages instead of ``queryset``: the count is
    the queryset's, and a page is the rows whose keys the ordered, narrow query gives for
    that slice, in the queryset's order (``pk IN (SELECT pk … LIMIT n OFFSET m)``: still one
    query per page)."""

    def __init__(self, queryset: QuerySet[M]) -> None:
        if not queryset.ordered:
            raise ValueError("A list paged by its keys needs an order.")
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[M]:
        return iter(self.queryset)

    @overload
    def __getitem__(self, index: int) -> M: ...

    @overload
    def __getitem__(self, index: slice) -> list[M]: ...

    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(2**62)
        if stop <= start:
            # An empty page (nothing to list): no query, and none to build (a practitioner's
            # children page built one on every view, about 3 ms of CPU, for no rows).
            return []
        return list(self.queryset.filter(pk__in=self.queryset.values("pk")[index]))
