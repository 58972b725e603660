"""People services: validation, handover, optimistic locking and the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from oversight.core.models import AuditAction, AuditEvent
from oversight.core.services import StaleEditError
from oversight.core.testing import today_is
from oversight.people import services
from oversight.people.models import (
    LineManagement,
    Membership,
    NewStarter,
    Role,
    RoleAssignment,
    Sector,
    SupervisionRelationship,
)
from oversight.people.selectors import access_profile, supervisor_training_status

# The day these tests are set on: pinned, since CI runs the suite at several clock dates.
TODAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def _audited(action: str, target: Any) -> bool:
    return AuditEvent.objects.filter(
        action=action, object_type=target._meta.label_lower, object_id=str(target.pk)
    ).exists()


def test_agency_create_and_update_with_version(cast: Any) -> None:
    admin = cast.administrator
    agency = services.agency_create(
        actor=admin, name="Testshire Police", sector=Sector.POLICE, nation="WLS"
    )
    assert agency.partnership == cast.agency.partnership
    assert _audited(AuditAction.CREATE, agency)
    services.agency_update(
        actor=admin, agency=agency, changes={"name": "Testshire Constabulary"}, expected_version=1
    )
    agency.refresh_from_db()
    assert (agency.name, agency.version) == ("Testshire Constabulary", 2)
    with pytest.raises(StaleEditError):
        services.agency_update(
            actor=admin, agency=agency, changes={"name": "Stale"}, expected_version=1
        )


def test_duplicate_names_refused(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.agency_create(
            actor=cast.administrator, name=cast.agency.name.upper(), sector=Sector.HEALTH
        )
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.team_create(actor=cast.administrator, agency=cast.agency, name="assessment team")
    group = services.staff_group_create(
        actor=cast.administrator, agency=cast.agency, name="Family support"
    )
    assert _audited(AuditAction.CREATE, group)


def test_person_create_has_no_usable_password_and_is_audited(cast: Any) -> None:
    person = services.person_create(
        actor=cast.administrator, given_name="Ada", family_name="Lovell", email="Ada@Example.org"
    )
    assert person.username == "ada@example.org"
    assert not person.has_usable_password()
    assert _audited(AuditAction.CREATE, person)
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=cast.administrator, given_name="A", family_name="B", email="ada@example.org"
        )
    assert "email" in error.value.message_dict


def test_person_update_refuses_stale_version(cast: Any) -> None:
    person = cast.practitioner
    services.person_update(
        actor=cast.administrator, person=person, changes={"given_name": "Pat"}, expected_version=1
    )
    with pytest.raises(StaleEditError):
        services.person_update(
            actor=cast.administrator,
            person=person,
            changes={"given_name": "Sam"},
            expected_version=1,
        )


def test_person_deactivate_ends_posts_roles_and_relationships(cast: Any) -> None:
    services.person_deactivate(actor=cast.administrator, person=cast.supervisor, reason="Left")
    cast.supervisor.refresh_from_db()
    assert not cast.supervisor.is_active
    tomorrow = TODAY + dt.timedelta(days=1)
    assert not Membership.objects.on(tomorrow).filter(person=cast.supervisor).exists()
    assert not RoleAssignment.objects.on(tomorrow).filter(person=cast.supervisor).exists()
    assert (
        not SupervisionRelationship.objects.on(tomorrow).filter(supervisor=cast.supervisor).exists()
    )
    with pytest.raises(ValidationError):
        services.person_deactivate(
            actor=cast.administrator, person=cast.administrator, reason="Oops"
        )


def test_membership_new_starter_needs_end_date(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            actor=cast.administrator,
            person=cast.stranger,
            agency=cast.other_agency,
            job_title="Student nurse",
            starts_on=TODAY,
            new_starter=NewStarter.NEWLY_QUALIFIED,
        )
    assert "new_starter_until" in error.value.message_dict
    post = services.membership_create(
        actor=cast.administrator,
        person=cast.stranger,
        agency=cast.other_agency,
        job_title="Health visitor",
        starts_on=TODAY,
        new_starter=NewStarter.NEWLY_QUALIFIED,
        new_starter_until=TODAY + dt.timedelta(days=365),
    )
    assert post.is_new_starter_on(TODAY)
    services.membership_end(actor=cast.administrator, membership=post, ends_on=TODAY)
    with pytest.raises(ValidationError):
        services.membership_end(actor=cast.administrator, membership=post, ends_on=TODAY)


def test_team_from_another_agency_refused(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            actor=cast.administrator,
            person=cast.stranger,
            agency=cast.other_agency,
            job_title="Nurse",
            starts_on=TODAY,
            team=cast.team,
        )
    assert "team" in error.value.message_dict


def test_supervision_handover_ends_old_relationship_and_links_it(cast: Any) -> None:
    old = SupervisionRelationship.objects.get(supervisee=cast.practitioner)
    new = services.supervision_relationship_start(
        actor=cast.administrator,
        supervisor=cast.agency_lead,
        supervisee=cast.practitioner,
        agency=cast.agency,
        starts_on=TODAY,
        handover_notes="Two children on plans; see last record.",
    )
    old.refresh_from_db()
    assert old.ends_on == TODAY - dt.timedelta(days=1)
    assert new.handover_from == old
    assert new.handover_notes.startswith("Two children")
    assert cast.practitioner.pk not in access_profile(cast.supervisor).supervisee_ids
    assert _audited(AuditAction.CHANGE, old) and _audited(AuditAction.CREATE, new)


@pytest.mark.parametrize(
    "who, message_field",
    [("self", "supervisor"), ("same", "supervisor")],
)
def test_self_and_duplicate_supervision_refused(cast: Any, who: str, message_field: str) -> None:
    supervisor = cast.practitioner if who == "self" else cast.supervisor
    with pytest.raises(ValidationError) as error:
        services.supervision_relationship_start(
            actor=cast.administrator,
            supervisor=supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            starts_on=TODAY,
        )
    assert message_field in error.value.message_dict


def test_overlapping_relationship_refused(cast: Any) -> None:
    services.supervision_relationship_start(
        actor=cast.administrator,
        supervisor=cast.agency_lead,
        supervisee=cast.practitioner,
        agency=cast.agency,
        starts_on=TODAY + dt.timedelta(days=30),
    )
    with pytest.raises(ValidationError) as error:
        services.supervision_relationship_start(
            actor=cast.administrator,
            supervisor=cast.line_manager,
            supervisee=cast.practitioner,
            agency=cast.agency,
            starts_on=TODAY + dt.timedelta(days=10),
        )
    assert "starts_on" in error.value.message_dict


def test_relationship_needs_a_post_in_the_agency(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.line_management_start(
            actor=cast.administrator,
            manager=cast.other_lead,
            report=cast.practitioner,
            agency=cast.other_agency,
            starts_on=TODAY,
        )
    assert "agency" in error.value.message_dict


def test_line_management_handover_and_end(cast: Any) -> None:
    new = services.line_management_start(
        actor=cast.administrator,
        manager=cast.agency_lead,
        report=cast.practitioner,
        agency=cast.agency,
        starts_on=TODAY,
    )
    assert new.handover_from == LineManagement.objects.get(manager=cast.line_manager)
    services.line_management_end(actor=cast.administrator, relationship=new, ends_on=TODAY)
    assert not LineManagement.objects.on(TODAY + dt.timedelta(days=1)).filter(
        report=cast.practitioner
    )


def test_roles_partnership_wide_and_duplicate(cast: Any) -> None:
    role = services.role_assign(
        actor=cast.administrator,
        person=cast.stranger,
        role=Role.PARTNERSHIP_AUDITOR,
        agency=cast.agency,
        starts_on=TODAY,
    )
    assert role.agency is None
    with pytest.raises(ValidationError):
        services.role_assign(
            actor=cast.administrator,
            person=cast.stranger,
            role=Role.PARTNERSHIP_AUDITOR,
            starts_on=TODAY,
        )
    with pytest.raises(ValidationError) as error:
        services.role_assign(
            actor=cast.administrator, person=cast.stranger, role=Role.SUPERVISOR, starts_on=TODAY
        )
    assert "agency" in error.value.message_dict
    services.role_end(actor=cast.administrator, assignment=role, ends_on=TODAY)


def test_training_lapses_and_archive_needs_reason(cast: Any) -> None:
    person = cast.stranger
    record = services.training_record_add(
        actor=cast.administrator,
        person=person,
        course="Supervision skills",
        completed_on=TODAY - dt.timedelta(days=800),
        expires_on=TODAY - dt.timedelta(days=1),
    )
    assert supervisor_training_status(person) == "lapsed"
    with pytest.raises(ValidationError):
        services.training_record_archive(actor=cast.administrator, record=record, reason=" ")
    services.training_record_archive(actor=cast.administrator, record=record, reason="Duplicate")
    assert supervisor_training_status(person) == "none"
    assert _audited(AuditAction.ARCHIVE, record)


def test_training_expiry_before_completion_refused(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.training_record_add(
            actor=cast.administrator,
            person=cast.stranger,
            course="Skills",
            completed_on=TODAY,
            expires_on=TODAY - dt.timedelta(days=1),
        )
    assert "expires_on" in error.value.message_dict
