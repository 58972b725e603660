"""Sending webhook deliveries from the task queue, with retry and backoff (issue 16 item 4),
the way the outbox sends emails (decision 0006): a failed try (the receiver refuses, answers
other than 2xx, or says nothing for ``WEBHOOK_TIMEOUT`` seconds) is tried again after
``WEBHOOK_RETRY_SECONDS``, doubling, up to ``WEBHOOK_MAX_ATTEMPTS`` tries; then it shows as
not delivered on the delivery log, with “Send again”. The sweep queues again a delivery whose
task is gone (a worker that died, or a backend that cannot defer)."""

from __future__ import annotations

import datetime as dt
import logging
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from .models import DeliveryState, WebhookDelivery
from .webhooks import SIGNATURE_HEADER, body_of, signature_header

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> dt.timedelta:
    seconds = settings.WEBHOOK_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 6 * 60 * 60))


def webhook_delivery_enqueue(delivery_id: int, *, run_after: dt.datetime | None = None) -> Any:
    send = webhook_deliver
    if run_after is not None:
        if not send.get_backend().supports_defer:
            return None
        send = send.using(run_after=run_after)
    result = send.enqueue(delivery_id=delivery_id)
    WebhookDelivery.objects.filter(pk=delivery_id, state=DeliveryState.QUEUED).update(
        task_id=str(result.id)
    )
    return result


@task(takes_context=True)
def webhook_deliver(context: TaskContext, delivery_id: int) -> str:
    """One try at one delivery."""
    task_id = str(context.task_result.id)
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "no such delivery"
        due = delivery.state == DeliveryState.QUEUED and delivery.next_attempt_at <= now
        taken_back = delivery.state == DeliveryState.SENDING and delivery.task_id == task_id
        if not (due or taken_back):
            return f"nothing to do: {delivery.state}"
        delivery.state = DeliveryState.SENDING
        delivery.attempts += 1
        delivery.task_id = task_id
        delivery.save(update_fields=["state", "attempts", "task_id"])
    subscription = delivery.subscription
    body = body_of(delivery)
    timestamp = int(time.time())
    request = urllib.request.Request(
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Oversight-Webhooks/1",
            "Oversight-Event": delivery.event,
            "Oversight-Delivery": str(delivery.payload.get("id", delivery.pk)),
            SIGNATURE_HEADER: signature_header(subscription.signing_secrets(), timestamp, body),
        },
    )
    status: int | None = None
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        return _attempt_failed(delivery, f"the receiver answered {error.code}", error.code)
    except Exception as error:  # any failure to reach the receiver is one failed try
        return _attempt_failed(delivery, f"{type(error).__name__}: {error}", None)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.DELIVERED,
        delivered_at=timezone.now(),
        last_status=status,
        last_error="",
    )
    return "delivered"


def _attempt_failed(delivery: WebhookDelivery, reason: str, status: int | None) -> str:
    now = timezone.now()
    reason = reason[:500]
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.FAILED, failed_at=now, last_error=reason, last_status=status
        )
        logger.error(
            "Webhook delivery %s not delivered after %s tries", delivery.pk, delivery.attempts
        )
        return "failed"
    when = now + retry_delay(delivery.attempts)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.QUEUED, next_attempt_at=when, last_error=reason, last_status=status
    )
    logger.warning(
        "Webhook delivery %s failed (try %s): %s", delivery.pk, delivery.attempts, reason
    )
    webhook_delivery_enqueue(delivery.pk, run_after=when)
    return f"try {delivery.attempts} failed"


def webhook_deliveries_recover(*, now: dt.datetime | None = None) -> list[Any]:
    """Queue again every delivery that is due and that no waiting or running task holds."""
    now = now or timezone.now()
    live = {
        str(pk)
        for pk in DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).values_list("id", flat=True)
    }
    queued = []
    stranded = WebhookDelivery.objects.filter(
        state__in=[DeliveryState.QUEUED, DeliveryState.SENDING], next_attempt_at__lte=now
    ).exclude(task_id__in=live)
    for delivery in stranded:
        if delivery.state == DeliveryState.SENDING:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.QUEUED)
        queued.append(webhook_delivery_enqueue(delivery.pk))
    return [r for r in queued if r is not None]


@task()
def webhook_deliveries_sweep() -> int:
    return len(webhook_deliveries_recover())


def enqueue_daily() -> list[Any]:
    """core.jobs: the daily sweep of deliveries left behind (IntegrationsConfig.daily_jobs)."""
    return [webhook_deliveries_sweep.enqueue()]
