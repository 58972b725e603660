"""Demo policies and contracts (issue 3 item 10).

Every agency has a policy; Health sets its own for health visitors; Children's Services
changed its policy six months ago (two versions). Every supervision relationship has a
contract history: revisions reviewed about yearly, most active, some due or overdue for
review, a few drafts signed by the supervisor and awaiting the supervisee, and contracts ended
at handover (practitioner.csc's previous supervisor). Written with bulk_create in rounds, one
per revision, so ``--scale large`` stays quick."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.utils import timezone

from oversight.core.demo import DemoContext, bulk_insert
from oversight.people.models import (
    ContactLevel,
    Membership,
    Sector,
    StaffGroup,
    SupervisionRelationship,
)

from .models import ContractEndReason, ContractStatus, SupervisionContract, SupervisionPolicy
from .services import add_months
from .terms import DEFAULT_TERMS

BATCH = 1000

INDIRECT_TERMS = {
    "agenda_setting": "Safeguarding concerns raised through referrals this month; any case "
    "where the threshold decision was unclear.",
    "agenda_items_future": "Learning from the latest child safeguarding practice review; "
    "information sharing with health and schools.",
    "learning_development": "Level 3 multi-agency safeguarding training due; shadowing a "
    "strategy discussion.",
    "role_opportunities_concerns": "Interest in the multi-agency safeguarding hub rota. "
    "Concern: volume of referrals on late shifts.",
}


@dataclass
class Post:
    staff_group_id: int | None
    contact_level: str
    new_starter: str
    new_starter_until: dt.date | None

    def is_new_starter_on(self, day: dt.date) -> bool:
        return bool(self.new_starter) and (
            self.new_starter_until is None or day <= self.new_starter_until
        )


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _build_policies(ctx: DemoContext) -> list[SupervisionPolicy]:
    today = ctx.today
    first = today - dt.timedelta(days=365 * (ctx.size["years"] + 2))
    admin = ctx.shared.get("personas", {}).get("admin")
    policies: list[SupervisionPolicy] = []
    health_done = csc_done = False
    for agency in ctx.shared["agencies"]:
        base = SupervisionPolicy(
            agency=agency,
            effective_from=first,
            change_reason="Agency supervision policy adopted from the partnership guidance.",
            created_by=admin,
            modified_by=admin,
        )
        if agency.sector == Sector.CHILDRENS_SOCIAL_CARE and not csc_done:
            csc_done = True
            base.record_deadline_working_days = 10
            base.new_starter_interval_days = 21
            policies.append(base)
            policies.append(
                SupervisionPolicy(
                    agency=agency,
                    effective_from=today - dt.timedelta(days=182),
                    record_deadline_working_days=5,
                    new_starter_interval_days=14,
                    change_reason="After the joint targeted area inspection: records signed "
                    "within five working days, newly qualified social workers supervised "
                    "fortnightly.",
                    created_by=admin,
                    modified_by=admin,
                )
            )
            continue
        policies.append(base)
        if agency.sector == Sector.HEALTH and not health_done:
            health_done = True
            group = StaffGroup.objects.filter(agency=agency, name="Health visitors").first()
            if group is not None:
                policies.append(
                    SupervisionPolicy(
                        agency=agency,
                        staff_group=group,
                        effective_from=first + dt.timedelta(days=90),
                        interval_days=42,
                        new_starter_interval_days=21,
                        contract_review_months=12,
                        # Seed 001 "Recording": health visitors draft their own record for
                        # the supervisor to complete and sign (issue 15 item 7).
                        supervisee_may_draft_record=True,
                        change_reason="Health visitors: six-weekly 1:1 safeguarding "
                        "supervision plus a monthly reflective practice group, in line with "
                        "the trust's named nurse guidance; health visitors draft the record "
                        "for their supervisor to complete.",
                        created_by=admin,
                        modified_by=admin,
                    )
                )
    bulk_insert(SupervisionPolicy, policies)
    return policies


def _policy_for(
    policies: dict[tuple[int, int | None], list[SupervisionPolicy]],
    agency_id: int,
    group_id: int | None,
    on: dt.date,
) -> SupervisionPolicy:
    for key in ((agency_id, group_id), (agency_id, None)):
        versions = [p for p in policies.get(key, []) if p.effective_from <= on]
        if versions:
            return max(versions, key=lambda p: p.effective_from)
    return SupervisionPolicy()


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("contracts")
    today = ctx.today
    by_scope: dict[tuple[int, int | None], list[SupervisionPolicy]] = defaultdict(list)
    for policy in _build_policies(ctx):
        by_scope[(policy.agency_id, policy.staff_group_id)].append(policy)

    posts: dict[tuple[int, int], Post] = {}
    for row in (
        Membership.objects.live()
        .order_by("starts_on")
        .values(
            "person_id",
            "agency_id",
            "staff_group_id",
            "contact_level",
            "new_starter",
            "new_starter_until",
        )
    ):
        posts[(row["person_id"], row["agency_id"])] = Post(
            row["staff_group_id"],
            row["contact_level"],
            row["new_starter"],
            row["new_starter_until"],
        )
    personas = ctx.shared.get("personas", {})
    nq = personas.get("practitioner.nq")
    csc = personas.get("practitioner.csc")
    handed_over = set(
        SupervisionRelationship.objects.filter(handover_from__isnull=False).values_list(
            "handover_from_id", flat=True
        )
    )

    rounds: list[list[SupervisionContract]] = []
    links: list[tuple[SupervisionContract, SupervisionContract]] = []  # (later, earlier)
    relationships = (
        SupervisionRelationship.objects.live()
        .filter(starts_on__lte=today)
        .order_by("pk")
        .only("pk", "supervisor_id", "supervisee_id", "agency_id", "starts_on", "ends_on")
    )
    for position, relationship in enumerate(relationships.iterator(chunk_size=2000)):
        post = posts.get(
            (relationship.supervisee_id, relationship.agency_id),
            Post(None, ContactLevel.DIRECT, "", None),
        )
        # One in twelve has a draft awaiting the supervisee; one in six a review left undone.
        fate = {5: 0.0, 2: 0.1, 8: 0.1}.get(position % 12, 0.5)
        if nq is not None and relationship.supervisee_id == nq.pk:
            fate = 0.0  # the newly-qualified persona has a contract to sign
        if csc is not None and relationship.supervisee_id == csc.pk:
            fate = 0.5  # handed over four months ago; the new contract is signed
        ended = relationship.ends_on is not None and relationship.ends_on < today
        horizon = relationship.ends_on if ended else today
        assert horizon is not None
        chain = _chain(
            ctx,
            rng,
            relationship,
            post,
            by_scope,
            horizon=horizon,
            awaiting=fate == 0.0 and not ended,
            skip_review=fate == 0.1,
        )
        if ended:
            last = chain[-1]
            last.status = ContractStatus.ENDED
            last.ended_on = relationship.ends_on
            if relationship.pk in handed_over:
                last.end_reason = ContractEndReason.HANDOVER
                last.end_notes = (
                    "Three-way handover meeting held with the new supervisor; open actions "
                    "and children on plans handed over."
                )
            else:
                last.end_reason = ContractEndReason.LEFT_POST
        for index, contract in enumerate(chain):
            while len(rounds) <= index:
                rounds.append([])
            rounds[index].append(contract)
            if index:
                links.append((contract, chain[index - 1]))

    for index, batch in enumerate(rounds):
        if index:
            for later, earlier in links:
                if later.revision == index + 1:
                    later.previous_id = earlier.pk
        bulk_insert(SupervisionContract, batch, batch_size=BATCH)
    total = sum(len(batch) for batch in rounds)
    versions = sum(len(v) for v in by_scope.values())
    ctx.log(f"  {versions} policy versions, {total} contracts")


def _chain(
    ctx: DemoContext,
    rng: Any,
    relationship: SupervisionRelationship,
    post: Post,
    policies: dict[tuple[int, int | None], list[SupervisionPolicy]],
    *,
    horizon: dt.date,
    awaiting: bool,
    skip_review: bool,
) -> list[SupervisionContract]:
    """One relationship's revisions, oldest first."""
    today = ctx.today
    chain: list[SupervisionContract] = []
    signed: list[dt.date] = []
    overdue_by = dt.timedelta(days=rng.randint(0, 90))
    start = relationship.starts_on
    revision = 1
    while True:
        policy = _policy_for(policies, relationship.agency_id, post.staff_group_id, start)
        frequency = (
            policy.new_starter_interval_days
            if post.is_new_starter_on(start)
            else policy.interval_days
        )
        review_due = add_months(start, policy.contract_review_months)
        signed_on = min(start + dt.timedelta(days=rng.randint(0, 10)), horizon)
        contract = SupervisionContract(
            supervisor_id=relationship.supervisor_id,
            supervisee_id=relationship.supervisee_id,
            agency_id=relationship.agency_id,
            relationship_id=relationship.pk,
            contact_level=post.contact_level,
            revision=revision,
            status=ContractStatus.ACTIVE,
            frequency_days=frequency,
            session_duration_minutes=rng.choice((60, 90, 90, 90, 120)),
            starts_on=start,
            review_due_on=review_due,
            review_months=policy.contract_review_months,
            signed_on=signed_on,
            supervisor_signed_at=_at(signed_on, 10, rng.randint(0, 59)),
            supervisor_signed_by_id=relationship.supervisor_id,
            supervisee_signed_at=_at(signed_on, 15, rng.randint(0, 59)),
            supervisee_signed_by_id=relationship.supervisee_id,
            created_at=_at(start, 9),
            modified_at=_at(signed_on, 15),
            created_by_id=relationship.supervisor_id,
            modified_by_id=relationship.supervisee_id,
            **DEFAULT_TERMS,
        )
        if post.contact_level == ContactLevel.INDIRECT:
            for name, text in INDIRECT_TERMS.items():
                setattr(contract, name, text)
        chain.append(contract)
        signed.append(signed_on)
        late = dt.timedelta(days=rng.randint(0, 40))
        next_start = review_due + late
        if skip_review and review_due + overdue_by > today:
            # This supervisee's review is left undone: due or overdue now.
            break
        if next_start > horizon:
            break
        contract.status = ContractStatus.SUPERSEDED
        start = next_start
        revision += 1
    for (earlier, earlier_signed), (_, later_signed) in pairwise(zip(chain, signed, strict=True)):
        earlier.ended_on = max(later_signed - dt.timedelta(days=1), earlier_signed)
        earlier.modified_at = _at(later_signed, 15)
    if awaiting:
        last = chain[-1]
        draft_start = max(last.review_due_on - dt.timedelta(days=14), today - dt.timedelta(7))
        if len(chain) == 1 and last.starts_on >= today - dt.timedelta(days=200):
            draft = last  # the first contract, not yet signed by the supervisee
            draft_start = last.starts_on
        else:
            draft = SupervisionContract(
                **{
                    f.attname: getattr(last, f.attname)
                    for f in SupervisionContract._meta.concrete_fields
                    if f.attname not in ("id", "previous_id")
                }
            )
            draft.revision = last.revision + 1
            last.status = ContractStatus.ACTIVE
            last.ended_on = None
            chain.append(draft)
        signed_at = min(today, draft_start + dt.timedelta(days=2))
        draft.status = ContractStatus.AWAITING_SIGNATURES
        draft.starts_on = draft_start
        draft.review_due_on = add_months(draft_start, draft.review_months)
        draft.signed_on = None
        draft.supervisor_signed_at = _at(signed_at, 10)
        draft.supervisee_signed_at = None
        draft.supervisee_signed_by_id = None
        draft.created_at = _at(draft_start, 9)
        draft.modified_at = _at(signed_at, 10)
        draft.modified_by_id = relationship.supervisor_id
    return chain
