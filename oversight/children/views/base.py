"""Shared pieces of the children views: the form view (core's ServiceFormView on this app's
template), the viewer's agencies and people, and the breadcrumbs."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from oversight.core.views import ServiceFormView
from oversight.people.models import Agency, Membership, Person
from oversight.people.selectors import access_profile

from ..rules import STAFF_ROLES


class ChildrenFormView(ServiceFormView):
    """Core's ServiceFormView on the children app's form template."""

    template_name = "children/form.html"


def today() -> Any:
    return timezone.localdate()


def staff_agencies(user: Any) -> QuerySet[Agency]:
    profile = access_profile(user)
    ids: set[int] = set()
    for role in STAFF_ROLES:
        ids |= profile.agencies_with_role(role)
    return Agency.objects.live().filter(pk__in=ids).order_by("name")


def allocatable_people(user: Any) -> QuerySet[Person]:
    """People the viewer may allocate a child to: themselves, their supervisees and reports,
    and, for an agency lead, everyone with a current post in the agency."""
    profile = access_profile(user)
    scope = Q(pk__in={profile.person_id} | set(profile.supervisee_ids) | set(profile.report_ids))
    if profile.led_agency_ids:
        scope |= Q(
            pk__in=Membership.objects.current()
            .filter(agency_id__in=profile.led_agency_ids)
            .values("person_id")
        )
    return Person.objects.filter(scope, is_active=True).order_by("family_name", "given_name")


def home_crumb() -> tuple[str, str | None]:
    return ("Home", reverse("home"))


def children_crumb() -> tuple[str, str | None]:
    return ("Children", reverse("children:child_list"))
