"""Reads for integrations: what an agency's case system may see through the API (its own
agency's records only), and the pages' lists. The API's reads use supervision's and
children's own querysets (``decisions_live``), narrowed to the integration's agency."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from oversight.children.models import Child
from oversight.people.models import Membership
from oversight.people.selectors import access_profile
from oversight.supervision.models import Session
from oversight.supervision.selectors import decisions_live

from .models import Integration, WebhookDelivery, WebhookSubscription


def integration_by_client_id(client_id: str) -> Integration | None:
    return (
        Integration.objects.live()
        .select_related("agency", "service_person")
        .filter(client_id=client_id)
        .first()
    )


def integrations_visible_to(user: Any) -> QuerySet[Integration]:
    """The administrator's: every agency's; a lead's: the agencies they lead today."""
    profile = access_profile(user)
    found = Integration.objects.live().select_related("agency").order_by("agency__name", "name")
    if profile.is_administrator:
        return found
    return found.filter(agency_id__in=profile.led_agency_ids)


def subscriptions_of(integration: Integration) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.live().filter(integration=integration).order_by("url")


def deliveries_of(integration: Integration) -> QuerySet[WebhookDelivery]:
    return (
        WebhookDelivery.objects.filter(subscription__integration=integration)
        .select_related("subscription")
        .order_by("-created_at", "-id")
    )


def _current_posts(day: dt.date) -> Prefetch:
    return Prefetch(
        "allocated_practitioner__memberships",
        queryset=Membership.objects.live().filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day
        ),
        to_attr="current_posts",
    )


def children_for(
    integration: Integration, *, changed_since: dt.datetime | None = None
) -> QuerySet[Child]:
    found = (
        Child.objects.live()
        .filter(agency_id=integration.agency_id)
        .select_related("allocated_practitioner")
        .prefetch_related(_current_posts(timezone.localdate()))
    )
    if changed_since is not None:
        found = found.filter(modified_at__gte=changed_since)
    return found


DECISION_STATUSES = ("due", "overdue", "on_file")


def decisions_for(
    integration: Integration,
    *,
    changed_since: dt.datetime | None = None,
    status: str = "",
    today: dt.date | None = None,
) -> QuerySet[Any]:
    """Decisions about the agency's children: ``due`` (not on file, not yet late),
    ``overdue`` (not on file past its two working days), ``on_file``; all when blank."""
    day = today or timezone.localdate()
    found = decisions_live().filter(agency_id=integration.agency_id).select_related("child")
    if changed_since is not None:
        found = found.filter(modified_at__gte=changed_since)
    if status == "due":
        found = found.filter(recorded_on_file_at__isnull=True, file_due_on__gte=day)
    elif status == "overdue":
        found = found.filter(recorded_on_file_at__isnull=True, file_due_on__lt=day)
    elif status == "on_file":
        found = found.filter(recorded_on_file_at__isnull=False)
    return found


def decision_of(integration: Integration, decision_id: int) -> Any:
    return (
        decisions_live()
        .filter(agency_id=integration.agency_id, pk=decision_id)
        .select_related("child")
        .first()
    )


def sessions_for(
    integration: Integration, *, changed_since: dt.datetime | None = None
) -> QuerySet[Session]:
    """The agency's sessions, for calendars: when, who, and whether held; no record."""
    found = (
        Session.objects.live()
        .filter(agency_id=integration.agency_id)
        .select_related("supervisor", "supervisee")
        .only(
            "id",
            "session_type",
            "title",
            "planned_start",
            "duration_minutes",
            "location",
            "status",
            "held_on",
            "modified_at",
            "agency_id",
            "supervisor__email",
            "supervisee__email",
        )
    )
    if changed_since is not None:
        found = found.filter(modified_at__gte=changed_since)
    return found
