"""Children's check for ``manage.py verify_integrity``, named on its ``AppConfig``: every
involvement's ``held_elsewhere`` against the child it is with (decision 0030). The flag is
written once, when the involvement opens; a row that disagrees would show a lead another
agency's child as a contribution, or hide one."""

from __future__ import annotations

from django.db.models import F, Q

from oversight.core.integrity import BrokenLink, IntegrityResult

from .models import AgencyInvolvement

WHAT = "agency involvements held elsewhere"


def involvements_held_elsewhere_check() -> IntegrityResult:
    """Names the first involvement whose flag says the wrong agency holds the child."""
    wrong = (
        AgencyInvolvement.objects.filter(
            Q(held_elsewhere=True, agency_id=F("child__agency_id"))
            | (Q(held_elsewhere=False) & ~Q(agency_id=F("child__agency_id")))
        )
        .order_by("pk")
        .values_list("pk", "held_elsewhere")
        .first()
    )
    checked = AgencyInvolvement.objects.count()
    if wrong is None:
        return IntegrityResult(WHAT, checked)
    pk, held_elsewhere = wrong
    problem = (
        "it says another agency holds the child, but its own agency does"
        if held_elsewhere
        else "it says its agency holds the child, but another agency does"
    )
    return IntegrityResult(WHAT, checked, BrokenLink("AgencyInvolvement", pk, problem))
