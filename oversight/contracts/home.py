"""Home panels: contracts awaiting my signature, my contract's review date, and for
supervisors the contracts due for review or not yet drafted (seed 001: agreed at the start,
reviewed annually). The home page counts them in "what needs you today" and links to the
contracts page, where the detail is (issue 12 item 1)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from oversight.core.home import OVERDUE, TO_DO, Panel, Task, shared
from oversight.core.overdue import mark_overdue
from oversight.people.models import SupervisionRelationship

from . import selectors
from .display import REVIEW_SOON_DAYS
from .rules import is_contract_supervisee


def panels(request: HttpRequest, profile: Any) -> list[Panel]:
    if profile.person_id is None or not profile.member_agency_ids:
        return []
    today = timezone.localdate()
    person_id = profile.person_id
    # The relationships "About you" read (decision 0024, fifth pass): whether each has a
    # running contract is read with the person's contracts.
    supervisees: list[SupervisionRelationship] = (
        shared(
            request,
            "supervisees",
            lambda: list(SupervisionRelationship.objects.on(today).filter(supervisor_id=person_id)),
        )
        if profile.supervisee_ids
        else []
    )
    found = selectors.contracts_of_person(
        person_id=person_id,
        on=today,
        review_within_days=REVIEW_SOON_DAYS,
        supervises=bool(profile.supervisee_ids),
        relationship_ids=[r.pk for r in supervisees],
    )
    awaiting, mine, due = found.awaiting, found.mine, found.due
    # Counted: the home lists none of them (the contracts page does).
    missing = found.without_contract
    if not (awaiting or mine or due or missing):
        return []
    mark_overdue([mine, *due], today)
    user = request.user
    overdue = sum(1 for c in due if c.review_due_on <= today)
    listed = reverse("contracts:contract_list")
    sign = (
        reverse("contracts:contract_sign", args=[awaiting[0].pk]) if len(awaiting) == 1 else listed
    )
    late = sum(1 for c in due if c.is_overdue_on(today))
    tasks = [
        Task(
            "contracts past their review date",
            late,
            listed,
            OVERDUE,
            60,
            "contract past its review date",
        ),
        Task(
            "supervision contracts to sign",
            len(awaiting),
            sign,
            TO_DO,
            60,
            "supervision contract to sign",
        ),
        Task(
            f"contracts due for review in the next {REVIEW_SOON_DAYS} days",
            len(due) - late,
            listed,
            TO_DO,
            61,
            f"contract due for review in the next {REVIEW_SOON_DAYS} days",
        ),
        Task(
            "supervisees without a contract",
            missing,
            listed,
            TO_DO,
            62,
            "supervisee without a contract",
        ),
    ]
    return [
        Panel(
            title="Supervision contracts",
            template_name="contracts/home_panel.html",
            context={
                # Each with whether the viewer signs it as the supervisee (the rule answers).
                "awaiting": [(c, is_contract_supervisee(user, c)) for c in awaiting],
                "mine": mine,
                "due": due,
            },
            order=20,
            counts={"to sign": len(awaiting), "reviews due": overdue},
            tasks=tasks,
            # Only the person's own contract stays on the page; the rest are counted above.
            on_home=mine is not None,
        )
    ]
