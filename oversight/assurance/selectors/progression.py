"""Case progression on the dashboards (seed 004 "Assurance indicators" 4; issue 15 item 16):
movement between RAG ratings and legal statuses in the period, beside the drift counts. The
counting is supervision's (``supervision.reflection.progression_counts``, from the day
tallies of decision 0033); counts under five are suppressed here as every dashboard figure is."""

from __future__ import annotations

from oversight.people.models import Agency
from oversight.supervision.reflection import progression_counts
from oversight.supervision.selectors.tallies import Tally

from ..suppression import suppress
from ..tables import Table
from .period import Period


def case_progression_table(
    agencies: list[Agency], period: Period, tallied: dict[int, Tally]
) -> Table:
    table = Table(
        key="case_progression",
        caption="Case progression in the period: RAG ratings and legal statuses",
        columns=[
            "Agency",
            "Rated better than at the discussion before",
            "Rated the same",
            "Rated worse",
            "Legal status changes",
        ],
        note="Each case discussion is compared with the child's previous one in the same "
        "agency. The agency's reflection page shows each kind of move by quarter.",
    )
    found = progression_counts(
        agency_ids=[a.pk for a in agencies],
        periods=[(period.start, period.end)],
        tallies={pk: [t] for pk, t in tallied.items()},
    )
    for agency in agencies:
        counts = found[agency.pk]
        figures = [
            counts.summary["better"][0],
            counts.summary["same"][0],
            counts.summary["worse"][0],
            counts.status_changes[0],
        ]
        table.rows.append([agency.name, *[suppress(n, n) for n in figures]])
    return table
