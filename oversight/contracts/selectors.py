"""Reads of supervision policy: which version applies to whom on a date."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from .models import SupervisionPolicy


def policy_in_force(
    *, agency_id: int, staff_group_id: int | None, on: dt.date
) -> SupervisionPolicy:
    """The policy version in force on ``on``: the staff group's own if it has one, else the
    agency's; with neither, the seeds' defaults (an unsaved SupervisionPolicy)."""
    candidates = (
        SupervisionPolicy.objects.live()
        .filter(agency_id=agency_id, effective_from__lte=on)
        .filter(Q(staff_group__isnull=True) | Q(staff_group_id=staff_group_id))
        .order_by("-effective_from", "-id")
    )
    group_policy = None
    agency_policy = None
    for policy in candidates:
        if staff_group_id and policy.staff_group_id == staff_group_id and group_policy is None:
            group_policy = policy
        if policy.staff_group_id is None and agency_policy is None:
            agency_policy = policy
        if group_policy and agency_policy:
            break
    return group_policy or agency_policy or SupervisionPolicy(agency_id=agency_id)
