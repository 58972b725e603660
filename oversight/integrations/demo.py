"""Demo integrations (issue 16): Northshire Children's Services' case system is registered
by its lead, with every scope and a webhook subscription, so ``lead.csc`` and ``admin`` see
the Integrations pages, the client id and the delivery log. Its secret was shown once, when
it was made, and is not kept: make a new one on its page to try the API."""

from __future__ import annotations

from oversight.core.demo import DemoContext
from oversight.people.models import Role, RoleAssignment

from .models import Scope, WebhookEvent
from .services import integration_register, webhook_subscribe


def build(ctx: DemoContext) -> None:
    personas = ctx.shared.get("personas", {})
    lead, admin = personas.get("lead.csc"), personas.get("admin")
    if lead is None or admin is None:
        return
    led = RoleAssignment.objects.filter(person=lead, role=Role.AGENCY_LEAD).first()
    if led is None or led.agency is None:
        return
    agency = led.agency
    integration, _ = integration_register(
        actor=admin,
        agency=agency,
        name=f"Mosaic — {agency.name}",
        scopes=list(Scope.values),
    )
    webhook_subscribe(
        actor=lead,
        integration=integration,
        url="https://mosaic.example.org/oversight/hooks",
        events=[WebhookEvent.DECISION_MADE, WebhookEvent.DECISION_OVERDUE],
    )
    ctx.log(f"integrations: {integration.name} ({integration.client_id})")
