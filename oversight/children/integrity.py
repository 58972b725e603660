"""Children's checks for ``manage.py verify_integrity``, named on its ``AppConfig``: every
involvement's ``held_elsewhere`` against the child it is with (decision 0030). The flag is
written once, when the involvement opens; a row that disagrees would show a lead another
agency's child as a contribution, or hide one. And the review meetings' kept day tallies
against a recount (decision 0035)."""

from __future__ import annotations

from django.db.models import F, Q

from oversight.core.integrity import BrokenLink, IntegrityResult

from .models import AgencyInvolvement, MeetingTally

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


MEETINGS = "day tallies of review meetings"


def meeting_tallies_check() -> IntegrityResult:
    """Names the first agency and day whose kept review meeting tally differs from judging
    its meetings again (decision 0035): the past periods' children table adds them up."""
    from oversight.core.tallies import BEGINNING

    from .selectors.figures import meetings_counted

    checked = 0
    marks = MeetingTally.objects.filter(kept_through=True).order_by("agency_id")
    for agency_id, last in marks.values_list("agency_id", "on"):
        kept = {
            day: (meetings, prepared)
            for day, meetings, prepared in MeetingTally.objects.filter(
                agency_id=agency_id, kept_through=False
            ).values_list("on", "meetings", "prepared")
        }
        recount = {
            day: counts
            for (_, day), counts in meetings_counted({agency_id}, start=BEGINNING, end=last).items()
        }
        checked += len(recount)
        differ = sorted(
            day for day in kept.keys() | recount.keys() if kept.get(day) != recount.get(day)
        )
        if differ:
            return IntegrityResult(
                MEETINGS,
                checked,
                BrokenLink(
                    "Agency",
                    agency_id,
                    f"its review meetings' tally for {differ[0]:%-d %B %Y} differs from "
                    "judging its meetings again",
                ),
            )
    return IntegrityResult(MEETINGS, checked)
