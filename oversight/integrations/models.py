"""Integrations: an agency's case-management system (Mosaic, Liquidlogic LCS, Eclipse,
SystmOne, CPOMS) as a client of the API, with scopes, a hashed secret and webhook
subscriptions (issue 16; seed 001 standard 6: decisions reach the child's own file within two
working days).

Authentication is a hashed API key: the client sends ``Authorization: Bearer
<client id>.<secret>``; only the SHA-256 of the secret is stored (the secret is 256 random
bits, so a slow hash would add nothing), and it is shown once, when made or rotated."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from oversight.core.models import TrackedModel
from oversight.people.models import Agency


class Scope(models.TextChoices):
    CHILDREN_READ = "children:read", "Read the child register"
    CHILDREN_WRITE = "children:write", "Add and change children"
    DECISIONS_READ = "decisions:read", "Read decisions due on the child's file"
    DECISIONS_CONFIRM = "decisions:confirm", "Confirm decisions are on the child's file"
    STAFF_WRITE = "staff:write", "Add staff, posts and relationships from HR"
    MEETINGS_WRITE = "meetings:write", "Add and change review meetings"
    SESSIONS_READ = "sessions:read", "Read supervision sessions (for calendars)"
    WEBHOOKS_MANAGE = "webhooks:manage", "Read the webhook subscriptions"


class WebhookEvent(models.TextChoices):
    DECISION_MADE = "decision.made", "A decision is made (with the date it is due on file)"
    DECISION_OVERDUE = "decision.overdue", "A decision is overdue on the child's file"
    ESCALATION_RAISED = "escalation.raised", "An escalation is raised"
    DRIFT_FLAGGED = "drift.flagged", "A child is flagged for drift"
    CHILD_DISCUSSED = "child.discussed", "A child is discussed in supervision"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Integration(TrackedModel):
    """One case system of one agency. Everything it reads or changes is its agency's."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="integrations")
    name = models.CharField(max_length=120, help_text="For example “Mosaic — Northshire CSC”.")
    client_id = models.CharField(max_length=40, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    secret_set_at = models.DateTimeField(default=timezone.now, editable=False)
    scopes = models.JSONField(default=list)
    # Who the audit log and the records name as acting: an account that cannot sign in.
    service_person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integration"
    )

    class Meta:
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"],
                condition=models.Q(archived_at__isnull=True),
                name="integration_unique_name_in_agency",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(secret_hash(secret), self.secret_hash)

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [labels.get(s, s) for s in self.scopes]


def new_client_id() -> str:
    return "oc_" + secrets.token_hex(12)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class IdempotentRequest(models.Model):
    """A write sent with an ``Idempotency-Key``: the same key with the same request gets the
    stored answer again; with a different request it is refused."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["integration", "key"], name="idempotency_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.integration_id}:{self.key}"


class ExternalReference(models.Model):
    """A case system's own id for a record Oversight holds (a review meeting), so the system
    can send the same record again and change it rather than add another."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    external_id = models.CharField(max_length=100)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "external_id"], name="external_reference_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.external_id}"


class WebhookSubscription(TrackedModel):
    """Where an integration wants events sent. The signing secret is not stored: it is
    derived from SECRET_KEY and a random salt kept here, so a copy of the database alone
    cannot forge a delivery. Rotating it draws a new salt; the old secret still signs (a
    second signature) for ``WEBHOOK_ROTATION_HOURS``, so the receiver can switch over."""

    integration = models.ForeignKey(
        Integration, on_delete=models.PROTECT, related_name="subscriptions"
    )
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    salt = models.CharField(max_length=64, editable=False)
    previous_salt = models.CharField(max_length=64, blank=True, editable=False)
    previous_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["integration", "url"]

    def __str__(self) -> str:
        return self.url

    @staticmethod
    def secret_for(salt: str) -> str:
        digest = hmac.new(
            settings.SECRET_KEY.encode(), f"webhook:{salt}".encode(), hashlib.sha256
        ).hexdigest()
        return f"whsec_{digest}"

    @property
    def secret(self) -> str:
        return self.secret_for(self.salt)

    def signing_secrets(self) -> list[str]:
        found = [self.secret]
        if self.previous_salt and self.previous_until and self.previous_until > timezone.now():
            found.append(self.secret_for(self.previous_salt))
        return found

    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [labels.get(e, e) for e in self.events]


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Not delivered"


class WebhookDelivery(models.Model):
    """One event on its way to one subscription, tried with backoff like the outbox's emails
    (decision 0006); the delivery log page lists them with “Send again”."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.PROTECT, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    # Acting once per record and event (decision.overdue is announced daily for a week).
    event_key = models.CharField(max_length=100)
    payload = models.JSONField()
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    task_id = models.CharField(max_length=64, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_key"], name="webhook_delivery_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription_id} ({self.get_state_display()})"

    @property
    def can_be_resent(self) -> bool:
        return self.state in (DeliveryState.FAILED, DeliveryState.DELIVERED)
