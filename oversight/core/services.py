"""Writes shared by every app: the audit trail, stamping and archiving tracked records, and
the optimistic-locking check that refuses a stale edit instead of overwriting it, and the
outbox every email goes through (core.tasks sends it; the request never waits on SMTP)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import (
    AuditAction,
    AuditEvent,
    FormSubmission,
    OutgoingEmail,
    OutgoingEmailState,
    TrackedModel,
)

if TYPE_CHECKING:
    # The user model (AUTH_USER_MODEL, people.Person): django-stubs resolves this alias to it,
    # so core names the person who acts without importing the people app (decision 0001).
    from django.contrib.auth.models import _User as Person
    from django.http import HttpRequest


class StaleEditError(ValidationError):
    """Someone else saved this record since the form was opened."""

    def __init__(self) -> None:
        super().__init__(
            "Someone else changed this record while you were editing it. Your changes have not "
            "been saved. Their changes are shown next to yours below: check them, then save "
            "again.",
            code="stale",
        )


class VersionMissingError(ValidationError):
    """An edit that does not say which version it started from: it could overwrite someone
    else's changes unseen, so it is refused."""

    def __init__(self) -> None:
        super().__init__(
            "This form was sent without saying which version of the record it changes, so "
            "nothing was saved. Open the page again and make your changes there.",
            code="version_missing",
        )


def version_check(*, stored: int, expected: int | None) -> None:
    """Refuse an edit without a version, and one made from a form opened before the last save."""
    if expected is None:
        raise VersionMissingError()
    if stored != expected:
        raise StaleEditError()


@dataclass(frozen=True)
class RequestOrigin:
    """Where an action came from, for the audit trail."""

    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> RequestOrigin:
        return cls(
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )


def audit_event_record(
    *,
    actor: Person | None,
    action: AuditAction | str,
    target: models.Model | None = None,
    origin: RequestOrigin | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one entry to the audit log, chained to the one before (issue 10 item 4). Inside
    a caller's transaction it joins that transaction rather than opening a savepoint: the
    chain's lock is held to its commit either way, and a failure here fails the caller
    (issue 17 item 1: two queries fewer on every audited page and write)."""
    origin = origin or RequestOrigin()
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        detail=detail or {},
    )
    if target is not None:
        event.object_type = target._meta.label_lower
        event.object_id = str(target.pk)
        event.object_repr = str(target)[:200]
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").only("hash").first()
        event.previous_hash = last.hash if last is not None else ""
        event.hash = event.compute_hash()
        event.save()
    return event


M = TypeVar("M", bound=models.Model)


def submission_claim(*, token: str, actor: Person, model: type[M]) -> M | None:
    """Claim a form's submission token inside the creating service's transaction (issue 10
    item 6). Returns what an earlier post of the same form made, or ``None`` when this post is
    the first, and the service goes on to create and then calls ``submission_record``. A blank
    token (a post from no form of ours) claims nothing. A post that fails validation rolls
    its claim back with everything else, so the form can be sent again."""
    token = (token or "").strip()
    if not token:
        return None
    try:
        with transaction.atomic():
            FormSubmission.objects.create(
                token=token, person=actor, object_type=model._meta.label_lower
            )
        return None
    except IntegrityError:
        pass
    earlier = FormSubmission.objects.get(token=token)
    if earlier.person_id != actor.pk or earlier.object_type != model._meta.label_lower:
        raise ValidationError("This form has already been sent. Open the page again to start anew.")
    found = model._default_manager.filter(pk=earlier.object_id).first()
    if found is None:
        raise ValidationError("This form has already been sent. Open the page again to start anew.")
    return found


def submission_record(*, token: str, target: models.Model) -> None:
    """Name the record the first post of a form made, for any later post of it to find."""
    token = (token or "").strip()
    if token:
        FormSubmission.objects.filter(token=token).update(object_id=target.pk)


def _lock_chain() -> None:
    """One writer at a time appends, so two concurrent entries cannot both follow the same
    one and fork the chain. PostgreSQL: a transaction-scoped advisory lock (released at
    commit); SQLite already serialises writers."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])


# An arbitrary constant naming the audit chain's advisory lock.
AUDIT_CHAIN_LOCK = 7_246_001


def tracked_create(obj: TrackedModel, *, actor: Person | None) -> TrackedModel:
    """Stamp and save a new tracked record, then validate it was whole."""
    now = timezone.now()
    obj.created_by = actor
    obj.modified_by = actor
    obj.created_at = now
    obj.modified_at = now
    obj.full_clean()
    obj.save()
    return obj


def tracked_update(obj: TrackedModel, *, actor: Person | None) -> TrackedModel:
    """Save a change the service makes itself (a status, a stamp), not one typed into a form:
    a person's edit goes through ``tracked_edit``, which checks the version."""
    return _tracked_save(obj, actor=actor, expected_version=None, checked=False)


def tracked_edit(
    obj: TrackedModel, *, actor: Person | None, expected_version: int | None
) -> TrackedModel:
    """Save a person's edit to a tracked record, refusing it if it is stale or says no version.

    The caller has already applied the changes to ``obj``; the row is locked and its stored
    version compared with the version the editor started from.
    """
    return _tracked_save(obj, actor=actor, expected_version=expected_version, checked=True)


def _tracked_save(
    obj: TrackedModel, *, actor: Person | None, expected_version: int | None, checked: bool
) -> TrackedModel:
    model = type(obj)
    with transaction.atomic():
        current = model._default_manager.select_for_update().only("version").get(pk=obj.pk)
        if checked:
            version_check(stored=current.version, expected=expected_version)
        obj.version = current.version + 1
        obj.modified_by = actor
        obj.modified_at = timezone.now()
        obj.full_clean()
        obj.save()
    return obj


def tracked_archive(obj: TrackedModel, *, actor: Person | None, reason: str) -> TrackedModel:
    """Archive a record with a reason; it leaves lists but stays for audit."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this is being archived."})
    with transaction.atomic():
        type(obj)._default_manager.select_for_update().filter(pk=obj.pk).exists()
        obj.archived_at = timezone.now()
        obj.archived_by = actor
        obj.archived_reason = reason
        obj.modified_by = actor
        obj.modified_at = obj.archived_at
        obj.version += 1
        obj.save()
        audit_event_record(
            actor=actor, action=AuditAction.ARCHIVE, target=obj, detail={"reason": reason}
        )
    return obj


@transaction.atomic
def outgoing_email_queue(
    *,
    to: str,
    subject: str,
    body: str,
    purpose: str,
    about: models.Model | None = None,
    secret: bool = False,
    html_body: str = "",
    attachments: list[dict[str, str]] | None = None,
) -> OutgoingEmail:
    """Write an email to the outbox with the record that needs it, and queue its sending
    once that record is committed (issue 10 item 2). The request that calls this never talks
    to the mail server."""
    from .tasks import outgoing_email_enqueue

    if not (to or "").strip():
        raise ValidationError({"to": "An email needs an address to go to."})
    email = OutgoingEmail.objects.create(
        to=to.strip(),
        subject=subject[:200],
        body=body,
        html_body=html_body,
        attachments=list(attachments or []),
        purpose=purpose[:120],
        about_type=about._meta.label_lower if about is not None else "",
        about_id=str(about.pk) if about is not None else "",
        secret=secret,
    )
    transaction.on_commit(lambda: outgoing_email_enqueue(email.pk))
    return email


@transaction.atomic
def outgoing_email_resend(
    *, email: OutgoingEmail, actor: Person, origin: RequestOrigin | None = None
) -> OutgoingEmail:
    """Send a failed email again, with a fresh set of tries (the person waiting for it, or
    the administrator, after the mail server is back)."""
    from .tasks import outgoing_email_enqueue

    locked = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if locked.state != OutgoingEmailState.FAILED:
        raise ValidationError("This email has not failed, so there is nothing to send again.")
    if locked.secret:
        raise ValidationError(
            "A password reset link cannot be sent again: ask the person to ask for a new one."
        )
    tries = locked.attempts
    locked.state = OutgoingEmailState.QUEUED
    locked.attempts = 0
    locked.next_attempt_at = timezone.now()
    locked.failed_at = None
    locked.save(update_fields=["state", "attempts", "next_attempt_at", "failed_at"])
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=locked,
        origin=origin,
        detail={"resent": True, "tries_before": tries, "last_error": locked.last_error},
    )
    transaction.on_commit(lambda: outgoing_email_enqueue(locked.pk))
    return locked
