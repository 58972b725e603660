"""Home-page panels: for the administrator, emails that were not sent (issue 10 item 2: the
administrator is told when an alert fails for good); for an agency's lead, requests to change
supervision waiting for them and the way to the agency's staff standards (issue 15 items 5, 6
and 9)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse

from oversight.core.home import DUE_THIS_WEEK, Panel, Task, shared
from oversight.core.models import OutgoingEmail

from .models import Agency, ChangeRequestStatus, SupervisionChangeRequest
from .selectors import AccessProfile


def panels(request: HttpRequest, profile: AccessProfile) -> list[Panel]:
    return [*_lead_panels(request, profile), *_administrator_panels(profile)]


def led_agencies(request: HttpRequest, profile: AccessProfile) -> list[Agency]:
    """The agencies the person leads, by name: one read for every panel that names them."""
    return shared(
        request,
        "led_agencies",
        lambda: list(Agency.objects.filter(pk__in=profile.led_agency_ids).order_by("name")),
    )


def open_change_requests(agency_ids: Collection[int]) -> dict[int, int]:
    """Per agency, its open requests to change supervision."""
    return dict(
        SupervisionChangeRequest.objects.live()
        .filter(status=ChangeRequestStatus.OPEN, relationship__agency_id__in=agency_ids)
        .order_by()
        .values("relationship__agency_id")
        .annotate(n=Count("pk"))
        .values_list("relationship__agency_id", "n")
    )


def _lead_panels(request: HttpRequest, profile: AccessProfile) -> list[Panel]:
    if not profile.led_agency_ids:
        return []
    agencies = led_agencies(request, profile)
    # Read with "About you" on the home page (decision 0024, fifth pass).
    waiting: dict[int, int] = shared(
        request, "change_requests", lambda: open_change_requests(profile.led_agency_ids)
    )
    rows: list[dict[str, Any]] = [
        {
            "agency": agency,
            "waiting": waiting.get(agency.pk, 0),
            "requests_url": reverse("people:change_request_list", args=[agency.pk]),
            "standards_url": reverse("people:supervisor_standards", args=[agency.pk]),
            "training_url": reverse("people:staff_training", args=[agency.pk]),
        }
        for agency in agencies
    ]
    return [
        Panel(
            title="Your agency's staff",
            template_name="people/panels/lead_standards.html",
            context={"rows": rows},
            order=45,
            # The page stays short (decision 0015): the requests are a line of "what needs
            # you today"; the standards and training pages are linked from the agency's page.
            tasks=[
                Task(
                    "requests to change supervision waiting for your decision"
                    + (f" ({row['agency'].name})" if len(rows) > 1 else ""),
                    row["waiting"],
                    row["requests_url"],
                    DUE_THIS_WEEK,
                    25,
                    "request to change supervision waiting for your decision"
                    + (f" ({row['agency'].name})" if len(rows) > 1 else ""),
                )
                for row in rows
            ],
            on_home=False,
        )
    ]


def _administrator_panels(profile: AccessProfile) -> list[Panel]:
    if not profile.is_administrator:
        return []
    failed = OutgoingEmail.objects.failed().count()
    if not failed:
        return []
    return [
        Panel(
            title="Emails not sent",
            template_name="people/panels/failed_emails.html",
            context={"failed": failed},
            order=5,
        )
    ]
