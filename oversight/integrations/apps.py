from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """Case-management systems as clients of the API, and webhooks to them (issue 16).
    Imports earlier apps' services and selectors; nothing imports it (decision 0001)."""

    name = "oversight.integrations"
    label = "integrations"
    verbose_name = "Integrations"
    navigation = [("Integrations", "integrations:list", "integrations.list_integrations")]
    daily_jobs = ["oversight.integrations.tasks.enqueue_daily"]
    event_handlers = {
        name: "oversight.integrations.webhooks.event_received"
        for name in (
            "decision.made",
            "decision.overdue",
            "escalation.raised",
            "drift.flagged",
            "child.discussed",
        )
    }
