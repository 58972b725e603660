"""Demo touches for the reflective tools and the four stakeholders (issue 15 items 11, 12):
the children's services agency starts its discussions with Gibbs' cycle (seed 004 Appendix
II Example 1); rich discussions use each of the three tools; discussions record whose
perspectives they considered (seed 001 4x4x4). Each draws from its own generator seeded by
the row, so the rest of the demo history stays as it was."""

from __future__ import annotations

import random

from oversight.core.demo import DemoContext
from oversight.people.models import Membership

from ..models import CaseDiscussion, ReflectionSettings, Stakeholder
from ..prompts import ReflectiveTool

FEELINGS = (
    "Uneasy: the flat was tidy for the first time and mother was keen to show it.",
    "Frustrated that the same promises were made again; worried I am getting used to it.",
    "Relieved the child talked to me, then anxious about what she said.",
)
EVALUATION = (
    "The visit kept the child in view; I did not ask to see the bedroom.",
    "Good joint working with school; the plan is still vague on who checks attendance.",
)
CONCLUSION = (
    "I would ask to see where the children sleep, every visit, whatever the mood.",
    "I need to name the pattern of neglect to the family and to the core group.",
)


STAKEHOLDERS = tuple(Stakeholder.values)  # read once (issue 17 item 4), as seeds.THEMES


def discussion_reflection(discussion: CaseDiscussion, *, rich: bool, index: int) -> None:
    rng = random.Random(f"reflection-{index}-{discussion.record.pk}")
    count = rng.choice((2, 3)) if rich else rng.choice((0, 1, 1, 2))
    chosen: set[str] = {Stakeholder.PEOPLE_WHO_USE_SERVICES.value} if rich else set()
    chosen |= set(rng.sample(STAKEHOLDERS, count))
    discussion.stakeholders = [s for s in STAKEHOLDERS if s in chosen]
    if rich and index == 1:
        discussion.reflective_tool = ReflectiveTool.GIBBS
        discussion.reflection = ""
        discussion.feelings = rng.choice(FEELINGS)
        discussion.evaluation = rng.choice(EVALUATION)
        discussion.conclusion = rng.choice(CONCLUSION) if rng.random() < 0.7 else ""
    elif rich and index == 2:
        discussion.reflective_tool = ReflectiveTool.KOLB


def finish(ctx: DemoContext) -> None:
    """The lead of practitioner.csc's agency chose Gibbs' cycle as its reflective tool."""
    person = ctx.shared.get("personas", {}).get("practitioner.csc")
    if person is None:
        return
    agency_id = (
        Membership.objects.filter(person_id=person.pk)
        .order_by("pk")
        .values_list("agency_id", flat=True)
        .first()
    )
    if agency_id is None or ReflectionSettings.objects.filter(agency_id=agency_id).exists():
        return
    ReflectionSettings.objects.create(agency_id=agency_id, default_tool=ReflectiveTool.GIBBS)
