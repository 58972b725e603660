"""Webhooks: what an integration is sent when something happens (issue 16 item 4).

``event_received`` is this app's handler for core.events (IntegrationsConfig.event_handlers):
each live subscription of the event's agency that asked for the event gets a delivery, queued
once the change that raised it is committed. A delivery is signed with HMAC-SHA256 over
``<timestamp>.<body>`` in the ``Oversight-Signature`` header (``t=<unix time>,v1=<hex>``; a
second ``v1`` while a rotated secret is still honoured). docs/api.md shows the check."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import WebhookDelivery, WebhookSubscription

SIGNATURE_HEADER = "Oversight-Signature"
# Events announced more than once for the same record (decision.overdue is announced daily
# for a week): the subscription is sent each only once.
ONCE_PER_RECORD = {"decision.overdue": "decision_id"}


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets: list[str], timestamp: int, body: bytes) -> str:
    return ",".join([f"t={timestamp}", *(f"v1={sign(s, timestamp, body)}" for s in secrets)])


def event_received(name: str, payload: dict[str, Any]) -> None:
    """core.events handler: queue a delivery for each subscription that wants the event."""
    agency_id = payload.get("agency_id")
    subscriptions = (
        WebhookSubscription.objects.live().filter(
            integration__agency_id=agency_id,
            integration__archived_at__isnull=True,
            events__contains=[name],
        )
        if _json_contains_supported()
        else [
            s
            for s in WebhookSubscription.objects.live().filter(
                integration__agency_id=agency_id, integration__archived_at__isnull=True
            )
            if name in s.events
        ]
    )
    key_field = ONCE_PER_RECORD.get(name)
    for subscription in subscriptions:
        event_key = f"{name}:{payload[key_field]}" if key_field else str(uuid.uuid4())
        body = {
            "id": str(uuid.uuid4()),
            "event": name,
            "occurred_at": timezone.now().isoformat(),
            "data": payload,
        }
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    subscription=subscription, event=name, event_key=event_key, payload=body
                )
        except IntegrityError:
            continue  # already sent for this record
        _enqueue_on_commit(delivery.pk)


def _enqueue_on_commit(delivery_id: int) -> None:
    from .tasks import webhook_delivery_enqueue

    transaction.on_commit(lambda: webhook_delivery_enqueue(delivery_id))


def _json_contains_supported() -> bool:
    from django.db import connection

    return bool(connection.features.supports_json_field_contains)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
