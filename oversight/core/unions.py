"""Several kinds of row in one read (issue 17 item 1; decision 0024): a home panel that needs
records, actions and sessions reads them as a UNION ALL of narrow reads, each labelled with its
kind, rather than one query per kind."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, QuerySet, Value


def labelled(rows: QuerySet[Any], kind: str, **columns: Any) -> QuerySet[Any]:
    """``rows`` as (kind, *columns), unordered, ready to be one part of a UNION ALL of kinds
    that differ. Every part names the same columns in the same order, each of one type (a
    kind without a column gives a typed ``Value(None)``)."""
    named = {f"u_{name}": value for name, value in columns.items()}
    return (
        rows.order_by()
        .annotate(u_kind=Value(kind, output_field=CharField()), **named)
        .values_list("u_kind", *named)
    )
