"""Shared model pieces: every record says who made and last changed it, carries a version
for optimistic locking, and is archived with a reason rather than deleted. The audit log is
append-only (seed 001 "Recording": records confidential, open to inspection and audit)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone


class TrackedQuerySet(models.QuerySet):
    def live(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> Self:
        return self.filter(archived_at__isnull=False)


class TrackedModel(models.Model):
    """Base for domain records: created/modified stamps, a version and archive-with-reason."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    modified_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    archived_reason = models.TextField(blank=True, editable=False)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    SIGN = "sign", "Signed"
    ARCHIVE = "archive", "Archived"
    EXPORT = "export", "Exported"
    IMPORT = "import", "Imported"
    DISCLOSE = "disclose", "Disclosed"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_OUT = "sign_out", "Signed out"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("The audit log is append-only.")

    def delete(self):
        raise AuditLogImmutable("The audit log is append-only.")


class AuditLogImmutable(Exception):
    pass


class AuditEvent(models.Model):
    """One read or write of a record: who, what, when and from where. Never changed or removed."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # The chain (issue 10 item 4): each entry carries the hash of the one before, so removing
    # or editing any entry breaks every link after it (``manage.py verify_integrity``).
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogImmutable("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("The audit log is append-only.")

    def compute_hash(self) -> str:
        return audit_event_hash(self)


class FormSubmission(models.Model):
    """A form's one-time submission token, used once (issue 10 item 6): a second post of the
    same form (a double click, a resend after a slow answer) finds what the first post made
    instead of making it again. The unique token makes a concurrent second post wait for the
    first and then see its row."""

    token = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=100)
    object_id = models.BigIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} ({self.at:%Y-%m-%d %H:%M})"


def canonical_json(value: object) -> str:
    """One spelling of a value: keys sorted, no spaces, so the same content hashes the same
    on every database (PostgreSQL's jsonb reorders keys)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(value: object) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def audit_event_hash(event: AuditEvent) -> str:
    """The SHA-256 of an entry: every field but the id (given by the database after the hash
    is made) and the hash itself, in a fixed form, with the previous entry's hash. Takes any
    object with the fields, so the migration that chains older entries uses it too."""
    return chain_hash(
        {
            "at": event.at.astimezone(dt.UTC).isoformat(),
            "actor": event.actor_id,
            "action": str(event.action),
            "object_type": event.object_type,
            "object_id": event.object_id,
            "object_repr": event.object_repr,
            "detail": event.detail,
            "ip_address": event.ip_address,
            "user_agent": event.user_agent,
            "previous_hash": event.previous_hash,
        }
    )


class OutgoingEmailState(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent"


class OutgoingEmailQuerySet(models.QuerySet):
    def about(self, obj: models.Model) -> Self:
        return self.filter(about_type=obj._meta.label_lower, about_id=str(obj.pk))

    def failed(self) -> Self:
        return self.filter(state=OutgoingEmailState.FAILED)


class OutgoingEmail(models.Model):
    """One email on its way (issue 10 item 2: alerts are never lost silently). The row is
    written in the same transaction as the record that needs it, so a queue or mail server
    that is down loses nothing: the task sends it, retries with backoff, and after the last
    try marks it failed for the person waiting for it and the administrator to see.

    A ``secret`` email (a password reset link) loses its body once sent or failed and cannot
    be sent again: the person asks for a new one."""

    purpose = models.CharField(max_length=120)
    about_type = models.CharField(max_length=100, blank=True)
    about_id = models.CharField(max_length=64, blank=True)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # Issue 11 item 7: an HTML body beside the plain text, and files (a session's .ics)
    # as [{"filename", "content", "mimetype"}].
    html_body = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    secret = models.BooleanField(default=False)
    state = models.CharField(
        max_length=10, choices=OutgoingEmailState.choices, default=OutgoingEmailState.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempt_started_at = models.DateTimeField(null=True, blank=True)
    # The queue's task that holds this email now: a task the worker recovers after a crash
    # may take back the email it was sending; any other task finds it taken.
    task_id = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["about_type", "about_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} to {self.to} ({self.get_state_display()})"

    @property
    def can_be_resent(self) -> bool:
        return self.state == OutgoingEmailState.FAILED and not self.secret


class WorkerHeartbeat(models.Model):
    """A task-queue worker saying it is alive (``manage.py db_worker``, core's own). A task
    left running by a worker whose heartbeat stopped, or whose process is gone, is put back
    on the queue (``oversight.core.worker.tasks_recover``)."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Worker {self.worker_id} on {self.hostname} (pid {self.pid})"


class ScheduledRun(models.Model):
    """One firing of a schedule (``manage.py crontask``, issue 11 item 6). The first
    scheduler to write the row for a schedule and minute queues its jobs; a second copy
    running by mistake finds the row and queues nothing."""

    schedule = models.CharField(max_length=30)
    due_at = models.DateTimeField()
    started_at = models.DateTimeField(default=timezone.now)
    queued = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["schedule", "due_at"], name="one_run_per_schedule_due")
        ]

    def __str__(self) -> str:
        return f"{self.schedule} due {self.due_at:%Y-%m-%d %H:%M}"
