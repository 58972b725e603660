"""Who may use each integrations page (see oversight/integrations/rules.py). The API's own
allow and deny sides, every endpoint, are in test_api_access.py."""

from __future__ import annotations

from typing import Any

from oversight.core.testing import AccessCase

LOOK_AFTER = {"agency_lead", "other_lead", "administrator"}
THIS_AGENCY = {"agency_lead", "administrator"}


def _integration(cast: Any) -> Any:
    from oversight.integrations.tests.helpers import integration_for

    integration, _ = integration_for(cast.agency, actor=cast.administrator)
    return integration


def integration_pk(cast: Any) -> dict[str, Any]:
    return {"pk": _integration(cast).pk}


def subscription_pk(cast: Any) -> dict[str, Any]:
    from oversight.integrations import services

    subscription, _ = services.webhook_subscribe(
        actor=cast.administrator,
        integration=_integration(cast),
        url="https://case-system.example/hooks",
        events=["decision.made"],
    )
    return {"pk": subscription.pk}


def delivery_pk(cast: Any) -> dict[str, Any]:
    from oversight.integrations.models import DeliveryState, WebhookDelivery, WebhookSubscription

    subscription = WebhookSubscription.objects.get(pk=subscription_pk(cast)["pk"])
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event="decision.made",
        event_key="test",
        payload={"event": "decision.made", "data": {}},
        state=DeliveryState.FAILED,
        attempts=8,
    )
    return {"pk": delivery.pk}


CASES = [
    AccessCase("integrations:list", LOOK_AFTER),
    AccessCase("integrations:register", LOOK_AFTER),
    AccessCase("integrations:detail", THIS_AGENCY, integration_pk),
    AccessCase("integrations:rotate", THIS_AGENCY, integration_pk, method="post"),
    AccessCase("integrations:scopes", THIS_AGENCY, integration_pk),
    AccessCase("integrations:switch_off", THIS_AGENCY, integration_pk),
    AccessCase("integrations:subscribe", THIS_AGENCY, integration_pk),
    AccessCase("integrations:subscription_rotate", THIS_AGENCY, subscription_pk, method="post"),
    AccessCase("integrations:deliveries", THIS_AGENCY, integration_pk),
    AccessCase("integrations:resend", THIS_AGENCY, delivery_pk, method="post"),
    AccessCase("api:schema", LOOK_AFTER),
    AccessCase("api:reference", LOOK_AFTER),
]
