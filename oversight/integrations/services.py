"""Writes for integrations (issue 16): registering a case system, its secret and scopes,
webhook subscriptions and their deliveries, and the writes the API makes on a system's
behalf. The API's writes call the same services as the pages (children's register,
supervision's decision on file, people's staff import); what is here only finds the
agency's record by the case system's own reference and decides between adding and changing.

The acting person is the integration's own account (``Integration.service_person``), which
cannot sign in: the audit log and each record name the system that made the change."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oversight.children import services as children_services
from oversight.children.models import Child, LegalStatus, ReviewMeeting, ReviewMeetingKind
from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    tracked_archive,
    tracked_create,
    tracked_update,
)
from oversight.people import services as people_services
from oversight.people.imports import ImportResult, staff_import_records
from oversight.people.models import Agency, Membership, Person
from oversight.supervision import services as supervision_services
from oversight.supervision.models import Decision

from .models import (
    DeliveryState,
    ExternalReference,
    Integration,
    Scope,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
    new_client_id,
    new_secret,
    secret_hash,
)

# --- Registering a case system ------------------------------------------------------------


def _clean_scopes(scopes: list[str]) -> list[str]:
    chosen = [s for s in Scope.values if s in set(scopes)]
    if not chosen or len(chosen) != len(set(scopes)):
        raise ValidationError({"scopes": "Choose what the system may do."})
    return chosen


@transaction.atomic
def integration_register(
    *,
    actor: Person,
    agency: Agency,
    name: str,
    scopes: list[str],
    origin: RequestOrigin | None = None,
) -> tuple[Integration, str]:
    """Register an agency's case system; returns it with its secret, shown once."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter a name, for example “Mosaic — Northshire CSC”."})
    if Integration.objects.live().filter(agency=agency, name__iexact=name).exists():
        raise ValidationError({"name": "Your agency already has an integration with this name."})
    chosen = _clean_scopes(scopes)
    client_id = new_client_id()
    person = people_services.person_create(
        actor=actor,
        given_name=name[:100],
        family_name="(integration)",
        email=f"{client_id}@integrations.invalid",
        username=f"integration-{client_id}",
        origin=origin,
    )
    secret = new_secret()
    integration = Integration(
        agency=agency,
        name=name,
        client_id=client_id,
        secret_hash=secret_hash(secret),
        scopes=chosen,
        service_person=person,
    )
    tracked_create(integration, actor=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=integration,
        origin=origin,
        detail={"scopes": chosen},
    )
    return integration, secret


@transaction.atomic
def integration_secret_rotate(
    *, actor: Person, integration: Integration, origin: RequestOrigin | None = None
) -> str:
    """A new secret, shown once; the old one stops working at once."""
    locked = Integration.objects.select_for_update().get(pk=integration.pk)
    if locked.is_archived:
        raise ValidationError("This integration has been switched off.")
    secret = new_secret()
    locked.secret_hash = secret_hash(secret)
    locked.secret_set_at = timezone.now()
    tracked_update(locked, actor=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=locked,
        origin=origin,
        detail={"secret_rotated": True},
    )
    return secret


@transaction.atomic
def integration_scopes_change(
    *,
    actor: Person,
    integration: Integration,
    scopes: list[str],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> Integration:
    from oversight.core.services import tracked_edit

    locked = Integration.objects.select_for_update().get(pk=integration.pk)
    locked.scopes = _clean_scopes(scopes)
    tracked_edit(locked, actor=actor, expected_version=expected_version)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=locked,
        origin=origin,
        detail={"scopes": locked.scopes},
    )
    return locked


@transaction.atomic
def integration_switch_off(
    *, actor: Person, integration: Integration, reason: str, origin: RequestOrigin | None = None
) -> Integration:
    """Stop the system's calls and deliveries (archived with the reason; nothing deleted)."""
    locked = Integration.objects.select_for_update().get(pk=integration.pk)
    if locked.is_archived:
        raise ValidationError("This integration is already switched off.")
    tracked_archive(locked, actor=actor, reason=reason)
    return locked


# --- Webhooks --------------------------------------------------------------------------------


def _clean_events(events: list[str]) -> list[str]:
    chosen = [e for e in WebhookEvent.values if e in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise ValidationError({"events": "Choose the events to send."})
    return chosen


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    allowed = ("https://", "http://") if settings.WEBHOOK_ALLOW_HTTP else ("https://",)
    if not url.startswith(allowed):
        raise ValidationError({"url": "Enter the address to send to, starting https://"})
    return url


@transaction.atomic
def webhook_subscribe(
    *,
    actor: Person,
    integration: Integration,
    url: str,
    events: list[str],
    origin: RequestOrigin | None = None,
) -> tuple[WebhookSubscription, str]:
    """Send the chosen events to ``url``; returns the signing secret, shown once."""
    subscription = WebhookSubscription(
        integration=integration,
        url=_clean_url(url),
        events=_clean_events(events),
        salt=secrets.token_hex(16),
    )
    tracked_create(subscription, actor=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=subscription,
        origin=origin,
        detail={"events": subscription.events},
    )
    return subscription, subscription.secret


WEBHOOK_ROTATION_HOURS = 24


@transaction.atomic
def webhook_secret_rotate(
    *, actor: Person, subscription: WebhookSubscription, origin: RequestOrigin | None = None
) -> str:
    """A new signing secret, shown once. For a day deliveries carry a signature with each
    secret, so the receiver can change over without missing any."""
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    locked.previous_salt = locked.salt
    locked.previous_until = timezone.now() + dt.timedelta(hours=WEBHOOK_ROTATION_HOURS)
    locked.salt = secrets.token_hex(16)
    tracked_update(locked, actor=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=locked,
        origin=origin,
        detail={"secret_rotated": True},
    )
    return locked.secret


@transaction.atomic
def webhook_unsubscribe(
    *, actor: Person, subscription: WebhookSubscription, origin: RequestOrigin | None = None
) -> WebhookSubscription:
    tracked_archive(subscription, actor=actor, reason="Unsubscribed")
    return subscription


@transaction.atomic
def webhook_delivery_resend(
    *, actor: Person, delivery: WebhookDelivery, origin: RequestOrigin | None = None
) -> WebhookDelivery:
    """Send a delivery again, with a fresh set of tries (after the receiver is mended)."""
    from .tasks import webhook_delivery_enqueue

    locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if not locked.can_be_resent:
        raise ValidationError("This delivery is still being tried.")
    tries = locked.attempts
    locked.state = DeliveryState.QUEUED
    locked.attempts = 0
    locked.next_attempt_at = timezone.now()
    locked.failed_at = None
    locked.save(update_fields=["state", "attempts", "next_attempt_at", "failed_at"])
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=locked,
        origin=origin,
        detail={"resent": True, "tries_before": tries},
    )
    transaction.on_commit(lambda: webhook_delivery_enqueue(locked.pk))
    return locked


# --- What the API writes for a case system ---------------------------------------------------


def _worker(agency: Agency, *, email: str, staff_number: str) -> Person | None:
    email, staff_number = (email or "").strip().lower(), (staff_number or "").strip()
    if not email and not staff_number:
        return None
    posts = Membership.objects.current().filter(agency=agency).select_related("person")
    match = Q(person__email__iexact=email) if email else Q(employee_number=staff_number)
    post = posts.filter(match).first()
    if post is None:
        field = "allocated_worker_email" if email else "allocated_worker_staff_number"
        raise ValidationError(
            {field: f"Nobody with this {field[17:].replace('_', ' ')} has a post in {agency.name}."}
        )
    return post.person


@dataclass(frozen=True)
class ChildInput:
    case_reference: str
    display_name: str
    legal_status: str
    legal_status_since: dt.date | None = None
    date_of_birth: dt.date | None = None
    allocated_worker_email: str = ""
    allocated_worker_staff_number: str = ""


@transaction.atomic
def child_upsert(
    *, integration: Integration, item: ChildInput, origin: RequestOrigin | None = None
) -> tuple[Child, bool]:
    """Add the child the case system names by its case reference, or bring Oversight's copy
    in line: details, legal status from its date, allocated worker from today. Returns the
    child and whether it was added."""
    actor, agency = integration.service_person, integration.agency
    if item.legal_status not in LegalStatus.values:
        raise ValidationError({"legal_status": "Choose a legal status."})
    today = timezone.localdate()
    since = item.legal_status_since or today
    if since > today:
        raise ValidationError({"legal_status_since": "The date cannot be in the future."})
    worker = _worker(
        agency, email=item.allocated_worker_email, staff_number=item.allocated_worker_staff_number
    )
    child = (
        Child.objects.select_for_update()
        .filter(agency=agency, case_reference=item.case_reference.strip())
        .first()
    )
    if child is None:
        added = children_services.child_create(
            actor=actor,
            agency=agency,
            case_reference=item.case_reference,
            display_name=item.display_name,
            legal_status=item.legal_status,
            status_since=since,
            allocated_practitioner=worker,
            date_of_birth=item.date_of_birth,
            origin=origin,
        )
        return added, True
    if (child.display_name, child.date_of_birth) != (item.display_name.strip(), item.date_of_birth):
        child = children_services.child_update(
            child=child,
            actor=actor,
            expected_version=child.version,
            case_reference=child.case_reference,
            display_name=item.display_name,
            date_of_birth=item.date_of_birth,
            agencies_involved=list(child.agencies_involved.all()),
            origin=origin,
        )
    if item.legal_status != child.legal_status:
        children_services.child_status_change(
            child=child, actor=actor, status=item.legal_status, starts_on=since, origin=origin
        )
    if worker is not None and worker.pk != child.allocated_practitioner_id:
        children_services.child_allocate(
            child=child, actor=actor, practitioner=worker, starts_on=today, origin=origin
        )
    child.refresh_from_db()
    return child, False


@transaction.atomic
def review_meeting_upsert(
    *,
    integration: Integration,
    external_id: str,
    case_reference: str,
    kind: str,
    meets_on: dt.date,
    notes: str = "",
    origin: RequestOrigin | None = None,
) -> tuple[ReviewMeeting, bool]:
    """Add or change the review meeting the case system knows by ``external_id``."""
    agency = integration.agency
    if kind not in ReviewMeetingKind.values:
        raise ValidationError({"kind": "Choose the kind of review meeting."})
    child = Child.objects.live().filter(agency=agency, case_reference=case_reference).first()
    if child is None:
        raise ValidationError(
            {"case_reference": "No child with this case reference is on your register."}
        )
    ref = (
        ExternalReference.objects.select_for_update()
        .filter(agency=agency, kind="review_meeting", external_id=external_id)
        .first()
    )
    if ref is None:
        meeting = children_services.review_meeting_add(
            child=child,
            actor=integration.service_person,
            kind=kind,
            meets_on=meets_on,
            notes=notes,
            origin=origin,
        )
        ExternalReference.objects.create(
            agency=agency, kind="review_meeting", external_id=external_id, object_id=meeting.pk
        )
        return meeting, True
    meeting = ReviewMeeting.objects.get(pk=ref.object_id)
    if meeting.child_id != child.pk:
        raise ValidationError(
            {"case_reference": "This meeting belongs to another child; send it with a new id."}
        )
    meeting = children_services.review_meeting_update(
        meeting=meeting,
        actor=integration.service_person,
        kind=kind,
        meets_on=meets_on,
        notes=notes,
        origin=origin,
    )
    return meeting, False


@transaction.atomic
def decision_confirm_on_file(
    *,
    integration: Integration,
    decision: Decision,
    recorded_at: dt.datetime,
    case_system_reference: str,
    origin: RequestOrigin | None = None,
) -> Decision:
    """The case system says the decision is on the child's file: the same service as the
    page's “Record as on the child's file” (seed 001 standard 6)."""
    if decision.agency_id != integration.agency_id:
        raise ValidationError("This decision is not your agency's.")
    return supervision_services.decision_record_on_file(
        actor=integration.service_person,
        decision=decision,
        recorded_at=recorded_at,
        case_system_reference=case_system_reference,
        origin=origin,
    )


def staff_upsert(
    *,
    integration: Integration,
    records: list[dict[str, Any]],
    origin: RequestOrigin | None = None,
) -> ImportResult:
    """HR's staff, posts, roles and relationships: people's CSV import, record by record."""
    return staff_import_records(
        actor=integration.service_person,
        records=records,
        agency=integration.agency,
        origin=origin,
    )


def api_call_audit(
    *,
    integration: Integration,
    method: str,
    path: str,
    status: int,
    origin: RequestOrigin | None = None,
) -> None:
    """Every call, allowed or refused, in the audit log (issue 16)."""
    action = AuditAction.VIEW if method in ("GET", "HEAD", "OPTIONS") else AuditAction.CHANGE
    audit_event_record(
        actor=integration.service_person,
        action=action,
        target=integration,
        origin=origin,
        detail={"api": f"{method} {path}"[:300], "status": status},
    )
