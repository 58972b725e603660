"""How a contract's state is shown: a GOV.UK tag with a word, never colour alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import OPEN_STATUSES, ContractStatus, SupervisionContract

REVIEW_SOON_DAYS = 30


@dataclass(frozen=True)
class Tag:
    label: str
    colour: str  # a govuk-tag modifier

    @property
    def css(self) -> str:
        return f"govuk-tag govuk-tag--{self.colour}"


def contract_tag(contract: SupervisionContract, *, viewer_id: int | None, on: dt.date) -> Tag:
    if contract.status == ContractStatus.ENDED:
        return Tag("Ended", "grey")
    if contract.status == ContractStatus.SUPERSEDED:
        return Tag("Superseded", "grey")
    if contract.status == ContractStatus.ACTIVE:
        if contract.review_due_on < on:
            return Tag("Review overdue", "red")
        if contract.review_due_on == on:
            return Tag("Review due", "orange")
        if contract.review_due_on <= on + dt.timedelta(days=REVIEW_SOON_DAYS):
            return Tag("Review due soon", "orange")
        return Tag("Active", "green")
    if contract.status in OPEN_STATUSES:
        if (viewer_id == contract.supervisor_id and contract.supervisor_signed_at is None) or (
            viewer_id == contract.supervisee_id and contract.supervisee_signed_at is None
        ):
            return Tag("Awaiting your signature", "yellow")
        if contract.status == ContractStatus.AWAITING_SIGNATURES:
            return Tag("Awaiting signature", "yellow")
    return Tag("Draft", "blue")
