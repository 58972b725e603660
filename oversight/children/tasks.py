"""Background work for children in view (django-tasks): drift evaluation for an agency, and
the email alert to agency safeguarding leads when a confidentiality disclosure is made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from oversight.people.models import Agency, Person, Role, RoleAssignment


@task()
def evaluate_drift_for_agency(agency_id: int, today: str | None = None) -> int:
    """Raise drift flags for every child of the agency (run nightly and after imports)."""
    from .services import drift_evaluate_agency

    day = dt.date.fromisoformat(today) if today else None
    return drift_evaluate_agency(agency_id=agency_id, today=day)


def enqueue_daily() -> list[Any]:
    """Drift evaluation for every live agency (core.jobs; ChildrenConfig.daily_jobs)."""
    return [
        evaluate_drift_for_agency.enqueue(agency_id)
        for agency_id in Agency.objects.live().values_list("pk", flat=True)
    ]


@task()
def disclosure_alert_leads(disclosure_id: int) -> int:
    """Email each safeguarding lead of the agency that a disclosure awaits them. The email
    names no person and no detail: the lead signs in to read it (seed 003)."""
    from .models import ConfidentialityDisclosure

    disclosure = ConfidentialityDisclosure.objects.select_related("agency").get(pk=disclosure_id)
    today = timezone.localdate()
    leads = Person.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.on(today)
        .filter(role=Role.AGENCY_LEAD, agency_id=disclosure.agency_id)
        .values("person_id"),
    )
    path = reverse("children:disclosure_detail", args=[disclosure.pk])
    sent = 0
    for lead in leads:
        sent += send_mail(
            subject="Oversight: a confidentiality disclosure needs your attention",
            message=(
                f"A safeguarding supervisor in {disclosure.agency.name} has recorded a "
                "disclosure from supervision under the confidentiality exceptions "
                f"({disclosure.get_category_display().lower()}).\n\n"
                f"Sign in to Oversight to read it and see what is needed: {path}\n"
            ),
            from_email=None,
            recipient_list=[lead.email],
        )
    ConfidentialityDisclosure.objects.filter(pk=disclosure_id).update(
        lead_alerted_at=timezone.now()
    )
    return sent
