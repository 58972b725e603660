"""Policy versions and the life of a contract: draft, sign, lock, review, handover."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oversight.contracts.models import ContractEndReason, ContractStatus, SupervisionContract
from oversight.contracts.selectors import contract_current, policy_in_force
from oversight.contracts.services import (
    add_months,
    contract_draft_create,
    contract_handover,
    contract_handover_sweep,
    contract_review,
    contract_sign,
    contract_update_draft,
    supervision_policy_create_version,
)
from oversight.core.models import AuditEvent
from oversight.core.services import StaleEditError
from oversight.people.models import NewStarter, SupervisionRelationship
from oversight.people.tests import factories as pf

from .factories import SupervisionContractFactory, SupervisionPolicyFactory

pytestmark = pytest.mark.django_db


def relationship_of(cast) -> SupervisionRelationship:
    return SupervisionRelationship.objects.get(supervisee=cast.practitioner)


# --- Policy --------------------------------------------------------------------------------


def test_policy_in_force_across_a_change_and_a_staff_group_override(cast):
    agency, group = cast.agency, cast.staff_group
    SupervisionPolicyFactory(agency=agency, effective_from=dt.date(2025, 1, 1), interval_days=30)
    SupervisionPolicyFactory(agency=agency, effective_from=dt.date(2026, 4, 1), interval_days=42)
    SupervisionPolicyFactory(
        agency=agency, staff_group=group, effective_from=dt.date(2025, 6, 1), interval_days=21
    )

    def interval(on: dt.date, group_id: int | None) -> int:
        return policy_in_force(agency_id=agency.pk, staff_group_id=group_id, on=on).interval_days

    assert interval(dt.date(2026, 3, 31), None) == 30
    assert interval(dt.date(2026, 4, 1), None) == 42
    assert interval(dt.date(2025, 5, 31), group.pk) == 30  # before the override existed
    assert interval(dt.date(2026, 5, 1), group.pk) == 21
    assert interval(dt.date(2024, 5, 1), None) == 30  # no policy yet: the seeds' default


def test_a_policy_change_is_a_new_version_and_never_edits_the_past(cast):
    today = dt.date(2026, 6, 1)
    first = SupervisionPolicyFactory(agency=cast.agency, effective_from=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        supervision_policy_create_version(
            actor=cast.agency_lead,
            agency=cast.agency,
            staff_group=None,
            effective_from=dt.date(2026, 5, 1),
            change_reason="Back-dated",
            values={"interval_days": 21},
            today=today,
        )
    assert "effective_from" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        supervision_policy_create_version(
            actor=cast.agency_lead,
            agency=cast.agency,
            staff_group=None,
            effective_from=today,
            change_reason="  ",
            values={},
            today=today,
        )
    assert "change_reason" in error.value.message_dict
    new = supervision_policy_create_version(
        actor=cast.agency_lead,
        agency=cast.agency,
        staff_group=None,
        effective_from=today,
        change_reason="Ofsted recommendation: three-weekly supervision.",
        values={"interval_days": 21},
        today=today,
    )
    first.refresh_from_db()
    assert first.interval_days == 30 and first.version == 1
    assert policy_in_force(agency_id=cast.agency.pk, staff_group_id=None, on=today) == new
    assert AuditEvent.objects.filter(object_id=str(new.pk), action="create").exists()


# --- Contracts -----------------------------------------------------------------------------


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 3, 15), 12) == dt.date(2027, 3, 15)


def test_draft_defaults_from_policy_are_newly_qualified_aware(cast):
    SupervisionPolicyFactory(
        agency=cast.agency,
        interval_days=28,
        new_starter_interval_days=14,
        contract_review_months=6,
    )
    post = cast.practitioner.memberships.get()
    starts = timezone.localdate()
    post.new_starter = NewStarter.NEWLY_QUALIFIED
    post.new_starter_until = starts + dt.timedelta(days=100)
    post.save()
    contract = contract_draft_create(
        actor=cast.supervisor, relationship=relationship_of(cast), starts_on=starts
    )
    assert contract.frequency_days == 14
    assert contract.review_due_on == add_months(starts, 6)
    assert contract.status == ContractStatus.DRAFT
    assert "confidentiality" in contract.supervisor_responsibilities

    # After the newly-qualified period, the ordinary interval applies.
    later = starts + dt.timedelta(days=200)
    contract.status = ContractStatus.ENDED
    contract.save()
    again = contract_draft_create(
        actor=cast.supervisor, relationship=relationship_of(cast), starts_on=later
    )
    assert again.frequency_days == 28


def test_only_the_supervisor_drafts(cast):
    with pytest.raises(ValidationError):
        contract_draft_create(actor=cast.practitioner, relationship=relationship_of(cast))


@pytest.mark.parametrize(
    "name", ["line_manager", "agency_lead", "administrator", "other_supervisor", "stranger"]
)
def test_nobody_but_the_parties_can_sign(cast, name):
    contract = contract_draft_create(actor=cast.supervisor, relationship=relationship_of(cast))
    with pytest.raises(ValidationError):
        contract_sign(contract=contract, actor=cast.by_name(name))
    contract.refresh_from_db()
    assert contract.supervisor_signed_at is None and contract.supervisee_signed_at is None


def test_each_party_signs_once_for_themselves_then_it_is_active_and_locked(cast):
    contract = contract_draft_create(actor=cast.supervisor, relationship=relationship_of(cast))
    contract = contract_sign(contract=contract, actor=cast.practitioner)
    assert contract.status == ContractStatus.AWAITING_SIGNATURES
    assert contract.supervisee_signed_by == cast.practitioner
    assert contract.supervisor_signed_at is None
    with pytest.raises(ValidationError):
        contract_sign(contract=contract, actor=cast.practitioner)
    contract = contract_sign(contract=contract, actor=cast.supervisor)
    assert contract.status == ContractStatus.ACTIVE
    assert contract.signed_on == timezone.localdate()
    assert contract_current(supervisee_id=cast.practitioner.pk, on=timezone.localdate()) == (
        contract
    )
    with pytest.raises(ValidationError):
        contract_update_draft(
            contract=contract,
            actor=cast.supervisor,
            changes={"frequency_days": 21},
            expected_version=contract.version,
        )
    contract.refresh_from_db()
    assert contract.frequency_days != 21
    assert AuditEvent.objects.filter(object_id=str(contract.pk), action="sign").count() == 2


def test_editing_after_one_signature_clears_it(cast):
    contract = contract_draft_create(actor=cast.supervisor, relationship=relationship_of(cast))
    contract = contract_sign(contract=contract, actor=cast.practitioner)
    contract = contract_update_draft(
        contract=contract,
        actor=cast.supervisor,
        changes={"session_duration_minutes": 60},
        expected_version=contract.version,
    )
    assert contract.status == ContractStatus.DRAFT
    assert contract.supervisee_signed_at is None


def test_a_stale_draft_edit_is_refused(cast):
    contract = contract_draft_create(actor=cast.supervisor, relationship=relationship_of(cast))
    opened_at = contract.version
    contract_update_draft(
        contract=SupervisionContract.objects.get(pk=contract.pk),
        actor=cast.supervisor,
        changes={"agenda_setting": "First tab"},
        expected_version=opened_at,
    )
    with pytest.raises(StaleEditError):
        contract_update_draft(
            contract=SupervisionContract.objects.get(pk=contract.pk),
            actor=cast.supervisor,
            changes={"agenda_setting": "Second tab"},
            expected_version=opened_at,
        )
    assert SupervisionContract.objects.get(pk=contract.pk).agenda_setting == "First tab"


def test_a_frequency_beyond_the_policy_ceiling_is_refused(cast):
    SupervisionPolicyFactory(agency=cast.agency, interval_days=30, ceiling_days=60)
    contract = contract_draft_create(actor=cast.supervisor, relationship=relationship_of(cast))
    with pytest.raises(ValidationError) as error:
        contract_update_draft(
            contract=contract,
            actor=cast.supervisor,
            changes={"frequency_days": 80},
            expected_version=contract.version,
        )
    assert "frequency_days" in error.value.message_dict


def test_review_creates_the_next_revision_and_keeps_the_old(cast):
    first = SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        relationship=relationship_of(cast),
        signed=True,
        starts_on=timezone.localdate() - dt.timedelta(days=380),
        agenda_setting="Supervisee sends the agenda two days before.",
    )
    with pytest.raises(ValidationError):
        contract_review(contract=first, actor=cast.practitioner)
    second = contract_review(contract=first, actor=cast.supervisor)
    assert second.revision == 2 and second.previous == first
    assert second.agenda_setting == first.agenda_setting
    assert second.status == ContractStatus.DRAFT
    with pytest.raises(ValidationError):
        contract_review(contract=first, actor=cast.supervisor)

    today = timezone.localdate()
    assert contract_current(supervisee_id=cast.practitioner.pk, on=today) == first
    contract_sign(contract=second, actor=cast.supervisor)
    contract_sign(contract=second, actor=cast.practitioner)
    first.refresh_from_db()
    assert first.status == ContractStatus.SUPERSEDED
    assert first.ended_on == today - dt.timedelta(days=1)
    assert contract_current(supervisee_id=cast.practitioner.pk, on=today) == second
    assert contract_current(supervisee_id=cast.practitioner.pk, on=first.ended_on) == first


def test_contract_ends_at_handover_and_the_new_supervisor_gets_a_draft(cast):
    old = relationship_of(cast)
    contract = SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        relationship=old,
        signed=True,
        notice_of_changes="A week's notice.",
    )
    change = timezone.localdate()
    old.ends_on = change - dt.timedelta(days=1)
    old.save()
    new_supervisor = pf.PersonFactory()
    successor = pf.SupervisionRelationshipFactory(
        supervisor=new_supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        starts_on=change,
        handover_from=old,
    )
    draft = contract_handover(relationship=old, actor=cast.agency_lead)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ENDED
    assert contract.end_reason == ContractEndReason.HANDOVER
    assert contract.ended_on == old.ends_on
    assert draft is not None
    assert draft.relationship == successor and draft.supervisor == new_supervisor
    assert draft.revision == 1 and draft.status == ContractStatus.DRAFT
    assert draft.notice_of_changes == "A week's notice."


def test_the_daily_sweep_ends_contracts_of_ended_relationships(cast):
    old = relationship_of(cast)
    contract = SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        relationship=old,
        signed=True,
    )
    today = timezone.localdate()
    assert contract_handover_sweep(today=today) == 0
    old.ends_on = today - dt.timedelta(days=2)
    old.save()
    successor = pf.SupervisionRelationshipFactory(
        supervisor=cast.agency_lead,
        supervisee=cast.practitioner,
        agency=cast.agency,
        starts_on=today - dt.timedelta(days=1),
        handover_from=old,
    )
    assert contract_handover_sweep(today=today) == 1
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ENDED
    assert contract.end_reason == ContractEndReason.HANDOVER
    draft = SupervisionContract.objects.get(relationship=successor)
    assert draft.status == ContractStatus.DRAFT and draft.supervisor == cast.agency_lead
    assert contract_handover_sweep(today=today) == 0


# --- Handover when a supervisor changes in the people admin (core.hooks) --------------------


def signed_contract(cast, **terms) -> SupervisionContract:
    """The practitioner's signed contract with their current supervisor."""
    return SupervisionContractFactory.create(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        relationship=relationship_of(cast),
        signed=True,
        **terms,
    )


def test_a_new_supervisor_from_today_gets_the_draft_at_once(cast):
    from oversight.people.services import supervision_relationship_start

    contract = signed_contract(cast, notice_of_changes="A week's notice.")
    successor = supervision_relationship_start(
        actor=cast.administrator,
        supervisor=cast.agency_lead,
        supervisee=cast.practitioner,
        agency=cast.agency,
        starts_on=timezone.localdate(),
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ENDED
    assert contract.end_reason == ContractEndReason.HANDOVER
    draft = SupervisionContract.objects.get(relationship=successor)
    assert draft.supervisor == cast.agency_lead and draft.status == ContractStatus.DRAFT
    assert draft.notice_of_changes == "A week's notice."


def test_a_change_next_month_leaves_the_contract_in_force_until_then(cast):
    from oversight.people.services import supervision_relationship_start

    contract = signed_contract(cast)
    successor = supervision_relationship_start(
        actor=cast.administrator,
        supervisor=cast.agency_lead,
        supervisee=cast.practitioner,
        agency=cast.agency,
        starts_on=timezone.localdate() + dt.timedelta(days=30),
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    assert not SupervisionContract.objects.filter(relationship=successor).exists()
    # The nightly sweep hands over once the old relationship's last day has passed.
    assert contract_handover_sweep(today=successor.starts_on) == 1
    assert SupervisionContract.objects.get(relationship=successor).status == ContractStatus.DRAFT


@pytest.mark.parametrize(("days_ago", "ended"), [(1, True), (0, False)])
def test_ending_supervision_in_the_past_ends_its_contract(cast, days_ago, ended):
    from oversight.people.services import supervision_relationship_end

    contract = signed_contract(cast)
    supervision_relationship_end(
        actor=cast.administrator,
        relationship=relationship_of(cast),
        ends_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )
    contract.refresh_from_db()
    assert (contract.status == ContractStatus.ENDED) is ended
