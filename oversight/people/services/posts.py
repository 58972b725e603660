"""Posts (memberships): a person may hold posts in several agencies (issue 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from oversight.core import hooks
from oversight.core.services import RequestOrigin, submission_claim, submission_record

from ..models import Agency, ContactLevel, Membership, NewStarter, Person, StaffGroup, Team
from .base import _create, _end, _update

MEMBERSHIP_FIELDS = frozenset(
    {
        "team",
        "staff_group",
        "job_title",
        "employee_number",
        "contact_level",
        "new_starter",
        "new_starter_until",
        "starts_on",
        "ends_on",
    }
)


@transaction.atomic
def membership_create(
    *,
    actor: Person,
    person: Person,
    agency: Agency,
    job_title: str,
    starts_on: dt.date,
    team: Team | None = None,
    staff_group: StaffGroup | None = None,
    employee_number: str = "",
    contact_level: str = ContactLevel.DIRECT,
    new_starter: str = NewStarter.NO,
    new_starter_until: dt.date | None = None,
    ends_on: dt.date | None = None,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> Membership:
    """A post in an agency; a person may hold posts in several agencies (issue 2). The same
    form sent twice adds it once (issue 10 item 6)."""
    if earlier := submission_claim(token=submission_token, actor=actor, model=Membership):
        return earlier
    membership = Membership(
        person=person,
        agency=agency,
        team=team,
        staff_group=staff_group,
        job_title=job_title,
        employee_number=employee_number,
        contact_level=contact_level,
        new_starter=new_starter,
        new_starter_until=new_starter_until if new_starter else None,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _create(membership, actor=actor, origin=origin)
    submission_record(token=submission_token, target=membership)
    _compliance_changed(membership)
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: Person,
    membership: Membership,
    changes: dict[str, Any],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> Membership:
    if "new_starter" in changes and not changes["new_starter"]:
        changes = {**changes, "new_starter_until": None}
    updated = _update(
        membership,
        actor=actor,
        changes=changes,
        allowed=MEMBERSHIP_FIELDS,
        expected_version=expected_version,
        origin=origin,
    )
    _compliance_changed(updated)
    return updated


@transaction.atomic
def membership_end(
    *,
    actor: Person,
    membership: Membership,
    ends_on: dt.date,
    origin: RequestOrigin | None = None,
) -> Membership:
    ended = _end(membership, actor=actor, ends_on=ends_on, origin=origin, what="post")
    _compliance_changed(ended)
    return ended


def _compliance_changed(membership: Membership) -> None:
    """A post is a row of its agency's staff compliance, and whether its holder counts as a
    supervisor there (issue 17 item 2)."""
    hooks.compliance_changed(agency_ids=[membership.agency_id], person_ids=[membership.person_id])
