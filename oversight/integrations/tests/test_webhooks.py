"""Webhooks against a real receiver on loopback (issue 16 item 4): signed with HMAC-SHA256
over the timestamp and body, tried again with backoff after a failure, logged with “Send
again”, and carrying ids and what changed, never discussion text or wellbeing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from oversight.core.testing import today_is
from oversight.integrations import services
from oversight.integrations.models import DeliveryState, WebhookDelivery
from oversight.integrations.tasks import webhook_deliveries_recover

from .helpers import decision_for, integration_for
from .receiver import receiver

pytestmark = pytest.mark.django_db
DAY = dt.date(2027, 3, 10)


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's check, as docs/api.md shows it."""
    parts = dict(
        p.split("=", 1) for p in headers["Oversight-Signature"].split(",") if p.startswith("t=")
    )
    signatures = [p[3:] for p in headers["Oversight-Signature"].split(",") if p.startswith("v1=")]
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return any(hmac.compare_digest(expected, s) for s in signatures)


@pytest.fixture
def child(cast: Any) -> Any:
    from oversight.children.tests.factories import ChildFactory

    return ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)


def test_a_signed_delivery_fails_first_and_its_retry_arrives(
    cast: Any, child: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.WEBHOOK_RETRY_SECONDS = 30
    integration, _ = integration_for(cast.agency, actor=cast.agency_lead)
    with receiver([503]) as hooks, today_is(DAY):
        _, secret = services.webhook_subscribe(
            actor=cast.agency_lead,
            integration=integration,
            url=hooks.url,
            events=["decision.made"],
        )
        with django_capture_on_commit_callbacks(execute=True):
            decision = decision_for(cast, child, text="Convene a strategy meeting")
        delivery = WebhookDelivery.objects.get()
        assert len(hooks.received) == 1
        assert delivery.state == DeliveryState.QUEUED and delivery.attempts == 1
        assert delivery.last_status == 503
        assert delivery.next_attempt_at >= timezone.now() + dt.timedelta(seconds=25)

        assert webhook_deliveries_recover() == []  # not due yet
        with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1)):
            webhook_deliveries_recover()
        delivery.refresh_from_db()

    assert len(hooks.received) == 2
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 2
    first, retry = hooks.received
    assert first.body == retry.body
    assert verify(secret, retry.headers, retry.body)
    assert not verify("whsec_wrong", retry.headers, retry.body)
    assert retry.headers["Oversight-Event"] == "decision.made"
    payload = json.loads(retry.body)
    assert payload["event"] == "decision.made"
    assert payload["data"] == {
        "decision_id": decision.pk,
        "child_id": child.pk,
        "agency_id": cast.agency.pk,
        "decided_on": "2027-03-10",
        "file_due_on": "2027-03-12",
        "immediate_concern": False,
    }
    assert "Convene" not in retry.body.decode()


def test_a_rotated_signing_secret_signs_beside_the_old_one_for_a_day(
    cast: Any, child: Any, django_capture_on_commit_callbacks: Any
) -> None:
    integration, _ = integration_for(cast.agency, actor=cast.agency_lead)
    with receiver([]) as hooks:
        subscription, old = services.webhook_subscribe(
            actor=cast.agency_lead, integration=integration, url=hooks.url, events=["decision.made"]
        )
        new = services.webhook_secret_rotate(actor=cast.agency_lead, subscription=subscription)
        with django_capture_on_commit_callbacks(execute=True):
            decision_for(cast, child)
    (arrived,) = hooks.received
    assert new != old
    assert verify(new, arrived.headers, arrived.body) and verify(old, arrived.headers, arrived.body)


def test_events_reach_only_subscriptions_of_the_agency_that_asked_for_them(
    cast: Any, child: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ours, _ = integration_for(cast.agency, actor=cast.agency_lead)
    theirs, _ = integration_for(cast.other_agency, actor=cast.other_lead, name="SystmOne")
    services.webhook_subscribe(
        actor=cast.agency_lead,
        integration=ours,
        url="https://ours.example/h",
        events=["drift.flagged"],
    )
    services.webhook_subscribe(
        actor=cast.other_lead,
        integration=theirs,
        url="https://theirs.example/h",
        events=["decision.made"],
    )
    with django_capture_on_commit_callbacks(execute=False):
        decision_for(cast, child)
    assert WebhookDelivery.objects.count() == 0


def test_an_overdue_decision_is_sent_once_though_announced_daily(
    cast: Any, child: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from oversight.supervision.services.oversight import decisions_overdue_announce

    integration, _ = integration_for(cast.agency, actor=cast.agency_lead)
    services.webhook_subscribe(
        actor=cast.agency_lead,
        integration=integration,
        url="https://ours.example/h",
        events=["decision.overdue"],
    )
    with today_is(DAY):
        decision = decision_for(cast, child)
    with django_capture_on_commit_callbacks(execute=False):
        assert decisions_overdue_announce(today=dt.date(2027, 3, 15)) == 1
        assert decisions_overdue_announce(today=dt.date(2027, 3, 16)) == 1
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.payload["data"] == {
        "decision_id": decision.pk,
        "child_id": child.pk,
        "agency_id": cast.agency.pk,
        "file_due_on": "2027-03-12",
    }


def test_the_delivery_log_sends_a_failed_delivery_again(
    cast: Any, child: Any, client: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    integration, _ = integration_for(cast.agency, actor=cast.agency_lead)
    with receiver([500]) as hooks:
        services.webhook_subscribe(
            actor=cast.agency_lead, integration=integration, url=hooks.url, events=["decision.made"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            decision_for(cast, child)
        delivery = WebhookDelivery.objects.get()
        assert delivery.state == DeliveryState.FAILED
        client.force_login(cast.agency_lead)
        log = client.get(reverse("integrations:deliveries", args=[integration.pk])).content.decode()
        assert "Not delivered" in log and "Send again" in log
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("integrations:resend", args=[delivery.pk]), follow=True)
        assert "Sent again." in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and len(hooks.received) == 2
    client.force_login(cast.other_lead)
    assert client.post(reverse("integrations:resend", args=[delivery.pk])).status_code == 403


def test_escalation_drift_and_discussion_events_carry_no_text(
    cast: Any, child: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from oversight.children.services import escalation_raise

    integration, _ = integration_for(cast.agency, actor=cast.agency_lead)
    services.webhook_subscribe(
        actor=cast.agency_lead,
        integration=integration,
        url="https://ours.example/h",
        events=["escalation.raised", "drift.flagged", "child.discussed"],
    )
    with django_capture_on_commit_callbacks(execute=False):
        escalation = escalation_raise(
            actor=cast.practitioner,
            agency=cast.agency,
            subject="child",
            child=child,
            reason="Secret worry about the family",
            what_was_tried="Private notes",
        )
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.payload["data"] == {
        "escalation_id": escalation.pk,
        "agency_id": cast.agency.pk,
        "child_id": child.pk,
        "level": "supervisor",
        "subject": "child",
    }
    assert "Secret" not in json.dumps(delivery.payload)


def test_signature_is_hmac_sha256_over_timestamp_and_body() -> None:
    from oversight.integrations.webhooks import sign

    body = b'{"event":"decision.made"}'
    expected = hmac.new(b"whsec_x", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sign("whsec_x", 1700000000, body) == expected


def test_the_worked_example_in_the_docs_is_right() -> None:
    from pathlib import Path

    from django.conf import settings

    from oversight.integrations.webhooks import sign

    docs = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    body = b'{"data":{"decision_id":1},"event":"decision.made"}'
    assert f"v1={sign('whsec_test', 1700000000, body)}" in docs
