"""Compliance by person, by name: only ever for the reader's own scope (the agencies they
lead, the people they line manage)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oversight.people.selectors import access_profile

from ..compliance import PersonCompliance, compliance_for
from ..tables import Table


def named_compliance_rows(
    user: Any,
    on: dt.date,
    *,
    of_people: list[PersonCompliance] | None = None,
    of_agencies: list[PersonCompliance] | None = None,
) -> list[PersonCompliance]:
    """Leads: everyone with a post in their agencies; line managers: their reports.
    ``of_people``: rows already read for a set of people holding the reports, and
    ``of_agencies``: the rows of the led agencies' posts, already read (the home page reads
    them in one pass, issue 17 item 1)."""
    profile = access_profile(user)
    if not profile.led_agency_ids:
        rows = []
    elif of_agencies is not None:
        rows = list(of_agencies)
    else:
        rows = compliance_for(on=on, agency_ids=profile.led_agency_ids)
    seen = {(r.person_id, r.agency_id) for r in rows}
    if profile.report_ids:
        reports = (
            compliance_for(on=on, person_ids=profile.report_ids)
            if of_people is None
            else [r for r in of_people if r.person_id in profile.report_ids]
        )
        rows += [r for r in reports if (r.person_id, r.agency_id) not in seen]
    return rows


NAMED_COLUMNS = [
    "Name",
    "Agency",
    "Team",
    "Staff group",
    "Last supervision",
    "Next due",
    "Days overdue",
    "Contract",
    "Records unsigned past the deadline",
    "Actions overdue",
    "Supervisor training",
    "Supervised themselves",
]


def named_table(rows: list[PersonCompliance]) -> Table:
    def yes_no(value: bool | None) -> str:
        return "" if value is None else ("Yes" if value else "No")

    return Table(
        key="named_compliance",
        caption="Compliance by person",
        columns=NAMED_COLUMNS,
        rows=[
            [
                r.name,
                r.agency_name,
                r.team_name,
                r.staff_group_name,
                r.last_held_on.isoformat() if r.last_held_on else "Never",
                r.next_due_on.isoformat(),
                r.days_overdue,
                r.contract.label,
                r.records_unsigned_overdue,
                r.actions_overdue,
                (r.training or "").capitalize(),
                yes_no(r.supervised_themselves),
            ]
            for r in rows
        ],
    )
