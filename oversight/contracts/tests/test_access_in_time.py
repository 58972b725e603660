"""Contracts follow the supervision relationship in time (decision 0002: what a relationship
opened it closes when it ends). The supervisor of a contract sees and acts on it only while
they supervise the supervisee today; a former supervisor is refused, from the day after the
relationship's last day, even before the nightly handover has ended the contract."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from oversight.contracts.models import ContractStatus
from oversight.people import services as people_services
from oversight.people.models import SupervisionRelationship

from .factories import SupervisionContractFactory

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 17)
LAST_DAY = TODAY + dt.timedelta(days=5)


@pytest.fixture
def contract(cast: Any, time_machine: Any) -> Any:
    """Ben Hughes's active contract with Amara Okafor; their supervision is set to end in five
    days' time (so no handover runs now), then the clock moves a week past that day."""
    time_machine.move_to(dt.datetime.combine(TODAY, dt.time(9), tzinfo=LONDON), tick=False)
    relationship = SupervisionRelationship.objects.get(supervisee=cast.practitioner)
    found = SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        relationship=relationship,
        signed=True,
    )
    people_services.supervision_relationship_end(
        actor=cast.administrator, relationship=relationship, ends_on=LAST_DAY
    )
    return found


def _status(client: Any, person: Any, name: str, contract: Any) -> int:
    client.force_login(person)
    return client.get(reverse(name, args=[contract.pk])).status_code


def test_the_supervisor_uses_the_contract_until_the_relationship_ends(
    cast: Any, client: Any, contract: Any
) -> None:
    for name in (
        "contracts:contract_detail",
        "contracts:contract_review",
        "contracts:contract_end",
    ):
        assert _status(client, cast.supervisor, name, contract) == 200, name


def test_a_former_supervisor_is_refused_the_contract_before_the_handover_runs(
    cast: Any, client: Any, contract: Any, time_machine: Any
) -> None:
    time_machine.move_to(
        dt.datetime.combine(LAST_DAY + dt.timedelta(days=7), dt.time(9), tzinfo=LONDON),
        tick=False,
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE, "the handover has not run yet"
    for name in (
        "contracts:contract_detail",
        "contracts:contract_print",
        "contracts:contract_review",
        "contracts:contract_end",
    ):
        assert _status(client, cast.supervisor, name, contract) == 403, name
    client.force_login(cast.supervisor)
    page = client.get(reverse("contracts:contract_list")).content.decode()
    assert reverse("contracts:contract_detail", args=[contract.pk]) not in page
    # The supervisee and the agency's lead still see it.
    assert _status(client, cast.practitioner, "contracts:contract_detail", contract) == 200
    assert _status(client, cast.agency_lead, "contracts:contract_detail", contract) == 200
