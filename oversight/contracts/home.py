"""Home panels: contracts awaiting my signature, my contract's review date, and for
supervisors the contracts due for review or not yet drafted (seed 001: agreed at the start,
reviewed annually)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from oversight.core.home import Panel
from oversight.core.overdue import mark_overdue

from . import selectors
from .display import REVIEW_SOON_DAYS
from .rules import is_contract_supervisee


def panels(request: HttpRequest, profile: Any) -> list[Panel]:
    if profile.person_id is None or not profile.member_agency_ids:
        return []
    today = timezone.localdate()
    person_id = profile.person_id
    awaiting = list(selectors.contracts_awaiting_signature_of(person_id=person_id))
    mine = selectors.contract_current(supervisee_id=person_id, on=today)
    due = (
        list(
            selectors.contracts_due_for_review(
                on=today, supervisor_id=person_id, within_days=REVIEW_SOON_DAYS
            )
        )
        if profile.supervisee_ids
        else []
    )
    missing = (
        list(selectors.relationships_without_contract(supervisor_id=person_id, on=today))
        if profile.supervisee_ids
        else []
    )
    if not (awaiting or mine or due or missing):
        return []
    mark_overdue([mine, *due], today)
    user = request.user
    overdue = sum(1 for c in due if c.review_due_on <= today)
    return [
        Panel(
            title="Supervision contracts",
            template_name="contracts/home_panel.html",
            context={
                # Each with whether the viewer signs it as the supervisee (the rule answers).
                "awaiting": [(c, is_contract_supervisee(user, c)) for c in awaiting],
                "mine": mine,
                "due": due,
                "missing": missing,
            },
            order=20,
            counts={"to sign": len(awaiting), "reviews due": overdue},
        )
    ]
