"""Which contract is in force on a date, and how each supervisee stands (issue 3 item 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.contracts.models import ContractStatus
from oversight.contracts.selectors import (
    ContractStanding,
    contract_current,
    contract_standings,
    contracts_due_for_review,
)

from .factories import SupervisionContractFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)


def test_current_contract_is_the_signed_one_in_force(cast):
    old = SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        signed=True,
        starts_on=DAY - dt.timedelta(days=400),
        status=ContractStatus.SUPERSEDED,
        ended_on=DAY - dt.timedelta(days=31),
    )
    new = SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        signed=True,
        previous=old,
        revision=2,
        starts_on=DAY - dt.timedelta(days=30),
    )
    assert contract_current(supervisee_id=cast.practitioner.pk, on=DAY) == new
    assert contract_current(supervisee_id=cast.practitioner.pk, on=DAY - dt.timedelta(60)) == old
    assert contract_current(supervisee_id=cast.practitioner.pk, on=DAY - dt.timedelta(500)) is None


def test_standings_missing_unsigned_review_due_ok(cast):
    SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        starts_on=DAY - dt.timedelta(days=5),
    )
    SupervisionContractFactory(
        supervisor=cast.agency_lead,
        supervisee=cast.supervisor,
        agency=cast.agency,
        signed=True,
        starts_on=DAY - dt.timedelta(days=400),
        review_due_on=DAY - dt.timedelta(days=35),
    )
    SupervisionContractFactory(
        supervisor=cast.other_supervisor,
        supervisee=cast.other_practitioner,
        agency=cast.other_agency,
        signed=True,
        starts_on=DAY - dt.timedelta(days=10),
    )
    ids = [cast.practitioner.pk, cast.supervisor.pk, cast.other_practitioner.pk, cast.stranger.pk]
    standings = contract_standings(supervisee_ids=ids, on=DAY)
    assert standings[cast.practitioner.pk].standing == ContractStanding.UNSIGNED
    assert standings[cast.supervisor.pk].standing == ContractStanding.REVIEW_DUE
    assert standings[cast.other_practitioner.pk].standing == ContractStanding.OK
    assert standings[cast.stranger.pk].standing == ContractStanding.MISSING
    due = list(contracts_due_for_review(on=DAY, agency_ids=[cast.agency.pk]))
    assert [c.supervisee for c in due] == [cast.supervisor]


def test_agency_policies_in_force_are_each_agencys_own_version_on_the_day(cast):
    """The dashboards read every agency's policy at once: the same versions as asking one
    agency at a time (a later version is not yet in force; a staff group's does not count)."""
    from oversight.contracts.selectors import agency_policies_in_force, policy_in_force

    from .factories import SupervisionPolicyFactory

    SupervisionPolicyFactory(
        agency=cast.agency, effective_from=DAY - dt.timedelta(days=400), interval_days=30
    )
    SupervisionPolicyFactory(
        agency=cast.agency, effective_from=DAY - dt.timedelta(days=10), interval_days=21
    )
    SupervisionPolicyFactory(agency=cast.agency, effective_from=DAY + dt.timedelta(days=1))
    SupervisionPolicyFactory(
        agency=cast.agency,
        staff_group=cast.staff_group,
        effective_from=DAY - dt.timedelta(days=5),
        interval_days=14,
    )
    ids = {cast.agency.pk, cast.other_agency.pk}
    found = agency_policies_in_force(agency_ids=ids, on=DAY)
    for agency_id in ids:
        alone = policy_in_force(agency_id=agency_id, staff_group_id=None, on=DAY)
        assert found[agency_id].pk == alone.pk
        assert found[agency_id].interval_days == alone.interval_days
    assert found[cast.agency.pk].interval_days == 21
    assert found[cast.other_agency.pk].pk is None  # the seeds' defaults
