"""What "About you" on the home page says, now that it is one read of every kind (issue 17
item 1; decision 0024, fifth pass): each person's posts, supervisors, line managers, roles,
supervisees and reports, the supervisor training of them and their supervisees, and a lead's
requests to change supervision. Dates come from the records, never from today."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone

from oversight.people.models import ChangeRequestStatus, NewStarter, Role, SupervisionChangeRequest
from oversight.people.models import SupervisionRelationship as Relationship
from oversight.people.tests import factories as f


def _about_you(client: Any, person: Any) -> str:
    client.force_login(person)
    page = client.get(reverse("home")).content.decode()
    about = page[page.index('id="about-you"') :]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", about)))


def _since(relationship: Any) -> str:
    return f"{relationship.starts_on:%-d %b %Y}"


def test_a_practitioner_sees_their_post_supervisor_and_line_manager(cast: Any, client: Any) -> None:
    relationship = Relationship.objects.get(supervisee=cast.practitioner)
    about = _about_you(client, cast.practitioner)
    assert "Social worker, Testshire Children's Services – Assessment Team" in about
    assert f"Ben Hughes (Testshire Children's Services), since {_since(relationship)}" in about
    assert "Clare Morgan (Testshire Children's Services)" in about
    assert "No training recorded" not in about  # a practitioner needs no supervisor training


def test_a_new_starter_sees_until_when(cast: Any, client: Any) -> None:
    until = timezone.localdate() + dt.timedelta(days=40)
    cast.practitioner.memberships.update(
        new_starter=NewStarter.NEWLY_QUALIFIED, new_starter_until=until
    )
    about = _about_you(client, cast.practitioner)
    assert f"Newly qualified until {until:%-d %b %Y}" in about


def test_a_supervisor_sees_their_supervisee_and_whose_training_has_lapsed(
    cast: Any, client: Any
) -> None:
    f.RoleAssignmentFactory(person=cast.practitioner, agency=cast.agency, role=Role.SUPERVISOR)
    f.TrainingRecordFactory(
        person=cast.practitioner,
        completed_on=timezone.localdate() - dt.timedelta(days=900),
        expires_on=timezone.localdate() - dt.timedelta(days=30),
    )
    about = _about_you(client, cast.supervisor)
    assert "Your supervisor training Training valid" in about
    assert "1 supervisee" in about
    assert "1 of them has supervisor training that has lapsed" in about
    assert "Dev Patel (Testshire Children's Services)" in about  # the lead supervises them


def test_a_line_manager_sees_their_report(cast: Any, client: Any) -> None:
    about = _about_you(client, cast.line_manager)
    assert "1 report" in about and "supervisee" not in about


def test_a_lead_is_told_of_the_requests_to_change_supervision(cast: Any, client: Any) -> None:
    day = timezone.localdate() - dt.timedelta(days=10)
    for supervisee in (cast.practitioner, cast.supervisor):
        SupervisionChangeRequest.objects.create(
            relationship=Relationship.objects.get(supervisee=supervisee),
            requested_by=supervisee,
            reason="We no longer work together",
        )
    SupervisionChangeRequest.objects.create(  # decided: nothing to do
        relationship=Relationship.objects.get(supervisee=cast.practitioner),
        requested_by=cast.practitioner,
        reason="An earlier request",
        status=ChangeRequestStatus.DECLINED,
        decided_by=cast.agency_lead,
        decided_on=day,
        decision_reason="They are the best fit",
    )
    client.force_login(cast.agency_lead)
    page = html.unescape(re.sub(r"\s+", " ", client.get(reverse("home")).content.decode()))
    assert "2 requests to change supervision waiting for your decision" in page
    assert "Agency safeguarding lead, Testshire Children's Services" in page
