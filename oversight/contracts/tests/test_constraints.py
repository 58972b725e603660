"""The database holds the rules the code assumes (issue 10 item 10): a contract's review date
falls after its start and within its policy's review period of it (seed 001 Practice
guidance: reviewed annually; 004 App. IV; the period is agency policy)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from oversight.contracts.models import SupervisionContract
from oversight.contracts.services import add_months, contract_draft_create, contract_update_draft
from oversight.people.models import SupervisionRelationship

from .factories import SupervisionContractFactory, SupervisionPolicyFactory

STARTS = dt.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _pinned(time_machine: Any) -> None:
    time_machine.move_to(
        dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London")), tick=False
    )


@pytest.mark.parametrize(
    "review_due_on",
    [STARTS, STARTS - dt.timedelta(days=1), add_months(STARTS, 6) + dt.timedelta(days=1)],
    ids=["on the start", "before the start", "a day past six months"],
)
def test_a_contracts_review_outside_its_policy_period_is_refused_by_the_database(
    cast: Any, review_due_on: dt.date
) -> None:
    contract: Any = SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        starts_on=STARTS,
        review_due_on=add_months(STARTS, 6),
        review_months=6,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionContract.objects.filter(pk=contract.pk).update(review_due_on=review_due_on)
    SupervisionContract.objects.filter(pk=contract.pk).update(review_due_on=add_months(STARTS, 6))


def test_a_review_date_beyond_the_policys_period_is_refused_in_our_words(cast: Any) -> None:
    SupervisionPolicyFactory(agency=cast.agency, contract_review_months=6)
    relationship = SupervisionRelationship.objects.get(supervisee=cast.practitioner)
    contract = contract_draft_create(
        actor=cast.supervisor, relationship=relationship, starts_on=STARTS
    )
    assert (contract.review_due_on, contract.review_months) == (add_months(STARTS, 6), 6)
    with pytest.raises(ValidationError) as refused:
        contract_update_draft(
            contract=contract,
            actor=cast.supervisor,
            changes={"review_due_on": add_months(STARTS, 12)},
            expected_version=contract.version,
        )
    assert (
        "The review must be by 17 May 2027: the agency's policy reviews contracts every 6 months."
        in str(refused.value)
    )
    contract.refresh_from_db()
    assert contract.review_due_on == add_months(STARTS, 6)
