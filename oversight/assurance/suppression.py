"""Small-number suppression (issue 5 item 3): no figure is shown or exported for a group of
fewer than five people. Every page, chart and export goes through ``suppress``."""

from __future__ import annotations

from typing import Any, Final

MINIMUM_GROUP: Final = 5
SUPPRESSED: Final = "Fewer than 5"


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
