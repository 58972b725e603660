"""Writing many derived rows at once: the figures back-fill keeps tens of thousands of agency
days in one go (issue 17 item 2; decision 0023). Django's ``bulk_create`` prepares every
value in Python and, on PostgreSQL, quotes each column as an array literal: about 150 µs a
row, three quarters of the small demo's back-fill. PostgreSQL's COPY takes the same rows at a
tenth of that. Only for derived rows that carry no audit trail (snapshots, trend points):
records people write go through their services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models, transaction
from psycopg.types.json import Jsonb


def rows_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> int:
    """Insert ``rows`` (plain values, in the order of ``fields``) into ``model``'s table.
    Every column must be given: COPY knows no Django default.
    With ``ignore_conflicts``, a row that would break a unique constraint is left out, as
    ``bulk_create(ignore_conflicts=True)`` does. Returns how many rows were given."""
    if not rows:
        return 0
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    if connection.vendor != "postgresql":
        names = [f.attname for f in concrete]  # type: ignore[union-attr]
        model._default_manager.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows],
            batch_size=2000,
            ignore_conflicts=ignore_conflicts,
        )
        return len(rows)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in concrete)  # type: ignore[union-attr]
    as_json = [i for i, f in enumerate(concrete) if isinstance(f, models.JSONField)]
    table = connection.ops.quote_name(meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        target = table
        if ignore_conflicts:
            target = connection.ops.quote_name(f"rows_insert_{meta.db_table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {target} ON COMMIT DROP AS "
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
        with cursor.cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
            for row in rows:
                if as_json:
                    row = list(row)
                    for i in as_json:
                        row[i] = Jsonb(row[i])
                copy.write_row(row)
        if ignore_conflicts:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} "
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute(f"DROP TABLE {target}")
    return len(rows)
