"""Demo notifications (issue 11 item 8): the morning's reminders and the weekly digests as of
the demo's day, so every persona has something waiting; the demo's escalations, urgent
request and concerns have already told their people (children's demo calls the services).
Anyone still without one is pointed at their email choices. The large partnership skips the
reminders here (they take minutes; the scheduler sends them the next morning)."""

from __future__ import annotations

from django.urls import reverse

from oversight.core.demo import DemoContext

from .digests import weekly_digests_send
from .models import Kind, Notification
from .reminders import reminders_send
from .services import notify


def finish(ctx: DemoContext) -> None:
    if ctx.scale != "small":
        return
    sent = reminders_send(day=ctx.today)
    digests = weekly_digests_send(day=ctx.today)
    ctx.log(f"  {sent} reminders and {digests} weekly summaries")
    personas = ctx.shared.get("personas", {})
    waiting = set(
        Notification.objects.filter(recipient__in=personas.values()).values_list(
            "recipient_id", flat=True
        )
    )
    for person in personas.values():
        if person.pk not in waiting:
            notify(
                recipients=[person],
                kind=Kind.WEEKLY_DIGEST,
                reason="Choose which emails Oversight sends you",
                path=reverse("notifications:preferences"),
                email=False,
            )
