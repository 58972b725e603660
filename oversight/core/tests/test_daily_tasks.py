"""The daily command puts real work on the queue (the immediate backend in tests runs it):
an ended supervision relationship's active contract is ended as a handover."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from oversight.contracts.models import ContractStatus
from oversight.contracts.tests.factories import SupervisionContractFactory


def test_daily_tasks_end_the_contract_of_an_ended_relationship(cast: Any) -> None:
    relationship = cast.practitioner.supervisions_received.get()
    contract: Any = SupervisionContractFactory(
        relationship=relationship,
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        signed=True,
    )
    relationship.ends_on = timezone.localdate() - dt.timedelta(days=1)
    relationship.save()

    out = StringIO()
    call_command("enqueue_daily_tasks", stdout=out)

    contract.refresh_from_db()
    assert contract.status == ContractStatus.ENDED
    assert "Queued" in out.getvalue()
