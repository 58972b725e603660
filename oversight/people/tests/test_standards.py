"""Issue 15 items 5, 6 and 9: supervisors' minimum requirements and the lead's exceptions
(seed 004), safeguarding training for all staff by staff group (seed 002), and asking for a
different supervision arrangement, decided by the lead with the usual handover (seed 001)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.core.testing import today_is
from oversight.notifications.models import Kind, Notification
from oversight.people import services, standards
from oversight.people.models import (
    ChangeRequestStatus,
    Role,
    SupervisionChangeRequest,
    SupervisionRelationship,
    SupervisorException,
    TrainingKind,
)
from oversight.people.selectors import supervisor_training_status
from oversight.people.tests import factories as f

TODAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def _require(cast: Any, **values: Any) -> Any:
    return services.supervisor_requirements_set(
        actor=cast.agency_lead,
        agency=cast.agency,
        values={
            "training_course": "Safeguarding supervision skills",
            "training_must_be_in_date": True,
            "experience_years": 3,
            "qualification": "Social work degree",
            **values,
        },
    )


def _new_supervisor(cast: Any, **kwargs: Any) -> Any:
    person = f.PersonFactory(given_name="Nadia", family_name="Okafor")
    f.MembershipFactory(person=person, agency=cast.agency, job_title="Senior social worker")
    f.RoleAssignmentFactory(person=person, agency=cast.agency, role=Role.SUPERVISOR)
    return person


# --- Item 5: minimum requirements ------------------------------------------------------------


def test_until_the_agency_sets_requirements_the_role_is_enough(cast: Any) -> None:
    person = _new_supervisor(cast)
    relationship = services.supervision_relationship_start(
        actor=cast.administrator,
        supervisor=person,
        supervisee=cast.stranger,
        agency=cast.agency,
        starts_on=TODAY,
    )
    assert relationship.supervisor == person


def test_a_supervisor_short_of_the_requirements_is_refused_until_a_lead_records_an_exception(
    cast: Any,
) -> None:
    _require(cast)
    person = _new_supervisor(cast)
    with pytest.raises(ValidationError) as refused:
        services.supervision_relationship_start(
            actor=cast.administrator,
            supervisor=person,
            supervisee=cast.stranger,
            agency=cast.agency,
            starts_on=TODAY,
        )
    message = str(refused.value)
    assert "does not meet" in message
    assert "no record of the Safeguarding supervision skills course" in message
    assert "0 years of qualified experience; the agency asks for 3" in message
    assert "to record an exception" in message

    exception = services.supervisor_exception_grant(
        actor=cast.agency_lead,
        agency=cast.agency,
        supervisor=person,
        reason="Course booked for January; Aisha oversees until then.",
    )
    assert exception.granted_by == cast.agency_lead
    assert exception.granted_on == TODAY
    assert "No record of the qualification Social work degree" in exception.shortfalls
    relationship = services.supervision_relationship_start(
        actor=cast.administrator,
        supervisor=person,
        supervisee=cast.stranger,
        agency=cast.agency,
        starts_on=TODAY,
    )
    assert relationship.supervisor == person


def test_someone_who_meets_the_requirements_is_assigned_without_an_exception(cast: Any) -> None:
    _require(cast)
    person = _new_supervisor(cast)
    f.TrainingRecordFactory(person=person, course="Safeguarding supervision skills")
    services.qualification_add(
        actor=cast.administrator,
        person=person,
        name="Social work degree",
        awarded_on=TODAY - dt.timedelta(days=5 * 365),
    )
    assert standards.person_shortfalls(person=person, agency=cast.agency, on=TODAY) == []
    with pytest.raises(ValidationError, match="no exception is needed"):
        services.supervisor_exception_grant(
            actor=cast.agency_lead, agency=cast.agency, supervisor=person, reason="Just in case"
        )
    services.supervision_relationship_start(
        actor=cast.administrator,
        supervisor=person,
        supervisee=cast.stranger,
        agency=cast.agency,
        starts_on=TODAY,
    )


def test_expired_supervisor_training_falls_short(cast: Any) -> None:
    _require(cast, experience_years=0, qualification="")
    person = _new_supervisor(cast)
    f.TrainingRecordFactory(
        person=person,
        course="Safeguarding supervision skills",
        completed_on=TODAY - dt.timedelta(days=800),
        expires_on=TODAY - dt.timedelta(days=1),
    )
    assert standards.person_shortfalls(person=person, agency=cast.agency, on=TODAY) == [
        "Their Safeguarding supervision skills course has expired"
    ]


@pytest.mark.parametrize("who", ["administrator", "supervisor", "other_lead"])
def test_only_a_lead_of_the_agency_records_an_exception(cast: Any, who: str) -> None:
    _require(cast)
    person = _new_supervisor(cast)
    with pytest.raises(ValidationError, match="Only a safeguarding lead"):
        services.supervisor_exception_grant(
            actor=cast.by_name(who), agency=cast.agency, supervisor=person, reason="Trust me"
        )
    assert not SupervisorException.objects.exists()


def test_a_withdrawn_exception_no_longer_lets_them_supervise(cast: Any) -> None:
    _require(cast)
    person = _new_supervisor(cast)
    exception = services.supervisor_exception_grant(
        actor=cast.agency_lead, agency=cast.agency, supervisor=person, reason="Course booked"
    )
    services.supervisor_exception_withdraw(
        actor=cast.agency_lead, exception=exception, reason="Course cancelled"
    )
    with pytest.raises(ValidationError, match="does not meet"):
        services.supervisor_check(supervisor=person, agency=cast.agency, on=TODAY)


def test_the_picker_shows_why_a_supervisor_is_refused(cast: Any, client: Any) -> None:
    _require(cast)
    person = _new_supervisor(cast)
    client.force_login(cast.administrator)
    response = client.post(
        reverse("people:supervision_start", args=[cast.stranger.pk]),
        {
            "senior": person.pk,
            "agency": cast.agency.pk,
            "starts_on": TODAY.isoformat(),
            "handover_notes": "",
        },
    )
    assert response.status_code == 200
    assert "does not meet the minimum requirements" in response.content.decode()
    assert not SupervisionRelationship.objects.filter(supervisor=person).exists()


def test_the_picker_names_who_falls_short_until_a_lead_records_an_exception(
    cast: Any, client: Any
) -> None:
    _require(cast)
    person = _new_supervisor(cast)
    url = reverse("people:supervision_start", args=[cast.stranger.pk])
    client.force_login(cast.administrator)
    short = "Nadia Okafor (does not meet the minimum requirements for supervisors in Testshire"
    assert short in client.get(url).content.decode()
    services.supervisor_exception_grant(
        actor=cast.agency_lead, agency=cast.agency, supervisor=person, reason="Course booked"
    )
    page = client.get(url).content.decode()
    assert "Nadia Okafor" in page
    assert short not in page


def test_the_lead_sees_who_falls_short_and_records_an_exception(
    cast: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    _require(cast)
    person = _new_supervisor(cast)
    client.force_login(cast.agency_lead)
    url = reverse("people:supervisor_standards", args=[cast.agency.pk])
    with django_assert_max_num_queries(22):
        page = client.get(url).content.decode()
    assert "Nadia Okafor" in page
    assert "Falls short" in page
    assert "No record of the qualification Social work degree" in page
    assert "Record an exception" in page

    response = client.post(
        reverse("people:supervisor_exception_grant", args=[cast.agency.pk, person.pk]),
        {"reason": "Course booked for January", "review_by": ""},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Agreed by" in page
    assert "Course booked for January" in page


def test_the_lead_sets_the_requirements_and_an_administrator_cannot(cast: Any, client: Any) -> None:
    url = reverse("people:supervisor_requirements", args=[cast.agency.pk])
    data = {
        "training_course": "Level 4 supervision",
        "training_must_be_in_date": "on",
        "experience_years": "2",
        "qualification": "",
        "version": "",
    }
    client.force_login(cast.administrator)
    assert client.post(url, data).status_code == 403
    client.force_login(cast.agency_lead)
    assert client.post(url, data).status_code == 302
    requirements = standards.requirements_for(cast.agency.pk)
    assert requirements is not None
    assert (requirements.training_course, requirements.experience_years) == (
        "Level 4 supervision",
        2,
    )
    data["version"] = str(requirements.version)
    data["experience_years"] = "3"
    assert client.post(url, data).status_code == 302
    requirements.refresh_from_db()
    assert requirements.experience_years == 3


def test_the_other_agencys_lead_cannot_see_who_falls_short_here(cast: Any, client: Any) -> None:
    client.force_login(cast.other_lead)
    url = reverse("people:supervisor_standards", args=[cast.agency.pk])
    assert client.get(url).status_code == 403


# --- Item 6: safeguarding training for all staff -------------------------------------------


def _safeguarding(person: Any, *, done: int, expires: int | None) -> Any:
    return f.TrainingRecordFactory(
        person=person,
        kind=TrainingKind.SAFEGUARDING,
        course="Safeguarding children level 3",
        completed_on=TODAY - dt.timedelta(days=done),
        expires_on=TODAY + dt.timedelta(days=expires) if expires is not None else None,
    )


def test_safeguarding_training_by_staff_group(cast: Any) -> None:
    _safeguarding(cast.practitioner, done=100, expires=600)
    _safeguarding(cast.supervisor, done=700, expires=-10)
    _safeguarding(cast.line_manager, done=300, expires=20)
    groups = standards.safeguarding_training_by_group(agency=cast.agency, on=TODAY)
    assert [g.label for g in groups] == ["Social workers"]
    group = groups[0]
    states = {r.person.username: r.state for r in group.rows}
    assert states == {
        "practitioner": "valid",
        "supervisor": "lapsed",
        "line_manager": "expiring",
        "agency_lead": "none",
        "stranger": "none",
    }
    assert (group.staff, group.in_date, group.lapsed, group.missing) == (5, 2, 1, 2)
    assert group.percent_in_date == 40


def test_supervisor_training_and_safeguarding_training_are_counted_apart(cast: Any) -> None:
    # The cast's supervisor has supervisor training only: valid for supervising, none for
    # safeguarding; a safeguarding course alone is not supervisor training.
    rows = standards.safeguarding_training_by_group(agency=cast.agency, on=TODAY)[0].rows
    assert next(r for r in rows if r.person == cast.supervisor).state == "none"
    assert supervisor_training_status(cast.supervisor, on=TODAY) == "valid"
    _safeguarding(cast.practitioner, done=10, expires=700)
    assert supervisor_training_status(cast.practitioner, on=TODAY) == "none"


def test_the_lead_sees_compliance_by_staff_group_and_who_needs_training(
    cast: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    _safeguarding(cast.practitioner, done=100, expires=600)
    _safeguarding(cast.supervisor, done=700, expires=-10)
    client.force_login(cast.agency_lead)
    with django_assert_max_num_queries(17):
        page = client.get(reverse("people:staff_training", args=[cast.agency.pk])).content.decode()
    assert "1 of 5 staff have it today" in page
    assert "Social workers" in page
    assert "20%" in page
    assert "Expired" in page
    assert "No training recorded" in page


@pytest.mark.parametrize("who", ["supervisor", "line_manager", "other_lead", "auditor"])
def test_staff_training_is_for_the_lead_and_administrator_only(
    cast: Any, client: Any, who: str
) -> None:
    client.force_login(cast.by_name(who))
    assert client.get(reverse("people:staff_training", args=[cast.agency.pk])).status_code == 403


def test_the_administrator_records_safeguarding_training(cast: Any, client: Any) -> None:
    client.force_login(cast.administrator)
    response = client.post(
        reverse("people:training_add", args=[cast.stranger.pk]),
        {
            "kind": TrainingKind.SAFEGUARDING,
            "course": "Safeguarding children level 2",
            "completed_on": (TODAY - dt.timedelta(days=3)).isoformat(),
            "expires_on": (TODAY + dt.timedelta(days=1000)).isoformat(),
        },
    )
    assert response.status_code == 302
    record = cast.stranger.training_records.get()
    assert record.kind == TrainingKind.SAFEGUARDING


# --- Item 9: seeking alternative arrangements ----------------------------------------------


def _relationship(cast: Any) -> SupervisionRelationship:
    return SupervisionRelationship.objects.get(supervisee=cast.practitioner)


def test_either_party_asks_and_the_agencys_leads_are_told(cast: Any) -> None:
    request = services.supervision_change_request(
        actor=cast.practitioner, relationship=_relationship(cast), reason="We clash on style"
    )
    assert request.status == ChangeRequestStatus.OPEN
    told = Notification.objects.filter(kind=Kind.SUPERVISION_CHANGE)
    assert [n.recipient for n in told] == [cast.agency_lead]
    with pytest.raises(ValidationError, match="already waiting"):
        services.supervision_change_request(
            actor=cast.supervisor, relationship=_relationship(cast), reason="I agree"
        )


def test_someone_outside_the_relationship_cannot_ask(cast: Any) -> None:
    with pytest.raises(ValidationError, match="Only the supervisor or the supervisee"):
        services.supervision_change_request(
            actor=cast.line_manager, relationship=_relationship(cast), reason="Not theirs"
        )


def test_declining_needs_a_reason_and_tells_both(cast: Any) -> None:
    request = services.supervision_change_request(
        actor=cast.supervisor, relationship=_relationship(cast), reason="Conflict of interest"
    )
    with pytest.raises(ValidationError):
        services.supervision_change_decide(actor=cast.agency_lead, request=request, agree=False)
    services.supervision_change_decide(
        actor=cast.agency_lead, request=request, agree=False, reason="Discuss it 1:1 first"
    )
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decided_on) == (
        ChangeRequestStatus.DECLINED,
        cast.agency_lead,
        TODAY,
    )
    assert _relationship(cast).ends_on is None
    told = {n.recipient for n in Notification.objects.filter(kind=Kind.SUPERVISION_CHANGE)}
    assert {cast.supervisor, cast.practitioner} <= told


def test_agreeing_with_a_new_supervisor_hands_over(cast: Any) -> None:
    from oversight.contracts.models import ContractEndReason, ContractStatus, SupervisionContract
    from oversight.contracts.tests.factories import SupervisionContractFactory

    old = _relationship(cast)
    SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        relationship=old,
        signed=True,
    )
    newcomer = _new_supervisor(cast)
    request = services.supervision_change_request(
        actor=cast.practitioner, relationship=old, reason="Fresh perspective"
    )
    yesterday = TODAY - dt.timedelta(days=1)
    services.supervision_change_decide(
        actor=cast.agency_lead,
        request=request,
        agree=True,
        last_day=yesterday,
        new_supervisor=newcomer,
        reason="Nadia knows the team",
    )
    old.refresh_from_db()
    request.refresh_from_db()
    assert old.ends_on == yesterday
    new = request.new_relationship
    assert new is not None
    assert (new.supervisor, new.starts_on, new.handover_from) == (newcomer, TODAY, old)
    assert new.handover_notes == "Nadia knows the team"
    # The existing handover: the old contract ends and the new supervisor gets a draft.
    ended = SupervisionContract.objects.get(relationship=old)
    assert (ended.status, ended.end_reason) == (ContractStatus.ENDED, ContractEndReason.HANDOVER)
    assert SupervisionContract.objects.get(relationship=new).status == ContractStatus.DRAFT


def test_agreeing_without_a_new_supervisor_ends_the_supervision(cast: Any) -> None:
    request = services.supervision_change_request(
        actor=cast.practitioner, relationship=_relationship(cast), reason="Moving teams"
    )
    last_day = TODAY + dt.timedelta(days=14)
    services.supervision_change_decide(
        actor=cast.agency_lead, request=request, agree=True, last_day=last_day
    )
    assert _relationship(cast).ends_on == last_day
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.AGREED


def test_the_new_supervisor_must_meet_the_requirements(cast: Any) -> None:
    _require(cast)
    request = services.supervision_change_request(
        actor=cast.practitioner, relationship=_relationship(cast), reason="Fresh perspective"
    )
    with pytest.raises(ValidationError, match="does not meet"):
        services.supervision_change_decide(
            actor=cast.agency_lead,
            request=request,
            agree=True,
            last_day=TODAY,
            new_supervisor=_new_supervisor(cast),
        )


@pytest.mark.parametrize("who", ["other_lead", "line_manager", "administrator"])
def test_only_a_lead_of_the_agency_decides(cast: Any, client: Any, who: str) -> None:
    request = services.supervision_change_request(
        actor=cast.practitioner, relationship=_relationship(cast), reason="Fresh perspective"
    )
    with pytest.raises(ValidationError, match="Only a safeguarding lead"):
        services.supervision_change_decide(
            actor=cast.by_name(who), request=request, agree=False, reason="No"
        )
    client.force_login(cast.by_name(who))
    url = reverse("people:change_request_decide", args=[request.pk])
    assert client.get(url).status_code == 403


def test_the_pages_from_asking_to_deciding(cast: Any, client: Any) -> None:
    relationship = _relationship(cast)
    client.force_login(cast.practitioner)
    page = client.get(reverse("people:my_arrangements")).content.decode()
    assert "Ask for a change" in page
    response = client.post(
        reverse("people:change_request_create", args=[relationship.pk]),
        {"reason": "We would both benefit from a change"},
    )
    assert response.status_code == 302
    page = client.get(reverse("people:my_arrangements")).content.decode()
    assert "Change requested" in page
    assert "Waiting for a decision" in page

    request = SupervisionChangeRequest.objects.get()
    client.force_login(cast.agency_lead)
    listing = client.get(reverse("people:change_request_list", args=[cast.agency.pk]))
    assert "We would both benefit from a change" in listing.content.decode()
    url = reverse("people:change_request_decide", args=[request.pk])
    response = client.post(url, {"decision": "decline", "reason": ""})
    assert "Enter why the request is declined" in response.content.decode()
    response = client.post(url, {"decision": "decline", "reason": "Try a three-way meeting"})
    assert response.status_code == 302
    # Decided: the page is closed now.
    assert client.get(url).status_code == 403
    client.force_login(cast.supervisor)
    page = client.get(reverse("people:my_arrangements")).content.decode()
    assert "Try a three-way meeting" in page


# --- The demo shows each item in use -------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_shows_requirements_training_change_requests_and_a_draft() -> None:
    from io import StringIO

    from django.core.management import call_command

    from oversight.people.models import Agency, Person
    from oversight.supervision.models import SuperviseeDraft
    from oversight.supervision.rules import Permission as SupervisionPermission

    call_command("seed_demo", "--today", TODAY.isoformat(), stdout=StringIO())
    health = Agency.objects.get(name__contains="Community Health")
    rows = standards.supervisor_standings(agency=health, on=TODAY)
    short = {r.person.username: r for r in rows if r.falls_short}
    assert short["supervisor.health"].exception is not None  # lead.health's exception
    groups = standards.safeguarding_training_by_group(agency=health, on=TODAY)
    assert sum(g.staff for g in groups) > sum(g.in_date for g in groups) > 0
    waiting = SupervisionChangeRequest.objects.get(status=ChangeRequestStatus.OPEN)
    assert waiting.relationship.supervisee.username == "practitioner.health"
    assert SupervisionChangeRequest.objects.filter(status=ChangeRequestStatus.DECLINED).exists()
    draft = SuperviseeDraft.objects.select_related("session").get()
    assert draft.is_handed_over
    supervisor = Person.objects.get(pk=draft.session.supervisor_id)
    assert supervisor.has_perm(SupervisionPermission.TAKE_IN_SUPERVISEE_DRAFT, draft.session)
