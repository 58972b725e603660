"""Case progression on the dashboards (seed 004 "Assurance indicators" 4; issue 15 item 16):
movement between RAG ratings and legal statuses in the period, beside the drift counts. The
counting is supervision's (``supervision.reflection.case_progression``); counts under five
are withheld there."""

from __future__ import annotations

from oversight.people.models import Agency
from oversight.supervision.reflection import case_progression

from ..tables import Table
from .period import Period


def case_progression_table(agencies: list[Agency], period: Period) -> Table:
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
    for agency in agencies:
        found = case_progression(agency_id=agency.pk, periods=[(period.start, period.end)])
        table.rows.append(
            [
                agency.name,
                *[row.counts[0] for row in found.rag_summary],
                found.status_changes[0],
            ]
        )
    return table
