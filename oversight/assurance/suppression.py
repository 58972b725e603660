"""Small-number suppression (issue 5 item 3, issue 9 item 3): no figure is shown or exported
for a group of fewer than five people, and none can be worked out by subtraction. Every page,
chart and export goes through ``suppress``; every group of rows (or cells) whose total is
published anywhere also goes through ``complementary`` (docs/decisions/0004)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

MINIMUM_GROUP: Final = 5
SUPPRESSED: Final = "Fewer than 5"
# A group of five or more hidden so that a smaller one beside it cannot be worked out from
# the total. Said as what it is, not "Fewer than 5": a lead knows their team is bigger.
HIDDEN: Final = "Hidden"
WITHHELD: Final = (SUPPRESSED, HIDDEN)
HIDDEN_NOTE: Final = (
    "“Fewer than 5” marks a group too small to show. “Hidden” marks a larger group held back "
    "with it, so that the small group cannot be worked out by subtracting the others from "
    "the total."
)


def is_suppressed(group_size: int | None) -> bool:
    return group_size is None or group_size < MINIMUM_GROUP


def suppress(value: Any, group_size: int | None) -> Any:
    """``value`` when the group it describes has at least five people, else the marker."""
    return SUPPRESSED if is_suppressed(group_size) else value


def percent(numerator: int, denominator: int) -> Any:
    """A whole-number percentage of a group, suppressed for groups under five."""
    if is_suppressed(denominator):
        return SUPPRESSED
    return round(100 * numerator / denominator)


def complementary(sizes: Sequence[int | None]) -> set[int]:
    """The positions of larger cells to hide beside the small ones, in a group of cells
    whose total is published (agencies in the partnership, teams or staff groups in an
    agency, escalation levels in a row).

    Small cells (under five) are hidden anyway. If any are, the smallest shown cells are
    hidden too, one by one, until at least two cells are hidden and the hidden cells hold
    at least five between them. The total minus the shown cells then gives only the sum of
    two or more hidden cells, itself a group of five or more: no single hidden cell, and no
    small group, can be read off. Ties go to the earlier cell, so the same figures always
    hide the same cells (two views of one day agree)."""
    small = [n for n, size in enumerate(sizes) if is_suppressed(size)]
    if not small:
        return set()
    hidden = set(small)
    shown = sorted((size or 0, n) for n, size in enumerate(sizes) if n not in hidden)
    while shown and (len(hidden) < 2 or sum(sizes[n] or 0 for n in hidden) < MINIMUM_GROUP):
        hidden.add(shown.pop(0)[1])
    return hidden - set(small)


def hide_rows(rows: list[list[Any]], sizes: Sequence[int | None], first: int = 1) -> None:
    """Mark the rows ``complementary`` picks as ``HIDDEN`` from column ``first`` on (the
    rows under five are already suppressed by ``suppress`` and ``percent``)."""
    for n in complementary(sizes):
        rows[n][first:] = [HIDDEN] * (len(rows[n]) - first)
