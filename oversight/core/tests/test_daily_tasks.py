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


def test_daily_tasks_queue_the_handover_sweep_drift_for_each_live_agency_and_the_trend(
    cast: Any,
) -> None:
    """Each app's daily jobs (core.jobs) are queued in app order: core's sweep of emails and
    tasks a dead worker left, contracts' handover sweep, children's drift evaluation once per
    live agency and review meetings' day tallies, supervision's handover sweep, overdue
    decisions' announcement and day tallies, notifications' reminders and daily emails,
    assurance's trend warm-up and evaluation reminders, integrations' sweep of webhook
    deliveries."""
    from oversight.core.jobs import enqueue_jobs
    from oversight.people.models import Agency

    agencies = list(Agency.objects.live().values_list("pk", flat=True))
    assert agencies

    queued = enqueue_jobs("daily")

    assert [(r.task.name, tuple(r.args)) for r in queued] == [
        ("outgoing_emails_sweep", ()),
        ("contracts_handover_sweep", ()),
        *[("evaluate_drift_for_agency", (pk,)) for pk in agencies],
        ("meeting_tallies_keep_task", ()),
        ("supervision_handover_sweep", ()),
        ("decisions_overdue_announce", ()),
        ("day_tallies_keep_task", ()),
        ("reminders_task", ()),
        ("daily_emails_task", ()),
        ("assurance_trend_warm", ()),
        ("evaluation_reminders", ()),
        ("webhook_deliveries_sweep", ()),
    ]
    out = StringIO()
    call_command("enqueue_daily_tasks", stdout=out)
    assert out.getvalue().strip() == f"Queued {len(agencies) + 11} tasks."
