"""Concerns about supervision stay findable (seed 001 "Quality Assurance"): the supervisee
raises it one-to-one with the supervisor first, then at a three-way meeting with the
supervisor and line managers where outcomes are agreed. The agency's lead lists them, open
and resolved, with who agreed what; nobody else does, and a lead of two agencies sees each
agency on its own page."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.children import services
from oversight.people.models import Role
from oversight.people.tests.factories import MembershipFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _at(time_machine, day: dt.date) -> None:
    time_machine.move_to(dt.datetime.combine(day, dt.time(10), tzinfo=LONDON), tick=False)


def _raise(cast, description: str = "No supervision since July", *, actor=None, supervisor=None):
    return services.quality_concern_raise(
        actor=actor or cast.practitioner,
        supervisor=supervisor or cast.supervisor,
        agency=(actor or cast.practitioner).memberships.first().agency,
        kind="frequency",
        description=description,
    )


def _resolved_at_three_way(cast, time_machine):
    _at(time_machine, dt.date(2026, 11, 2))
    concern = _raise(cast)
    _at(time_machine, dt.date(2026, 11, 3))
    concern = services.quality_concern_one_to_one(
        concern=concern,
        actor=cast.supervisor,
        met_on=dt.date(2026, 11, 3),
        outcome="Dates offered but none kept",
        resolved=False,
        expected_version=concern.version,
    )
    _at(time_machine, dt.date(2026, 11, 12))
    services.quality_concern_three_way(
        concern=concern,
        actor=cast.line_manager,
        met_on=dt.date(2026, 11, 12),
        attendees=[cast.practitioner, cast.supervisor, cast.line_manager],
        agreed_outcomes="Monthly sessions booked to May",
        expected_version=concern.version,
    )
    _at(time_machine, dt.date(2026, 11, 17))
    return concern


def _list(client, agency, **params) -> str:
    response = client.get(reverse("children:agency_concerns", args=[agency.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_resolved_concern_stays_findable_by_the_agency_lead_with_who_agreed_what(
    cast, client, time_machine
):
    _resolved_at_three_way(cast, time_machine)
    client.force_login(cast.agency_lead)
    page = _list(client, cast.agency, state="resolved")
    assert "Raised by Amara Okafor on 2 Nov 2026" in page
    assert "Ben Hughes" in page
    assert "Resolved at the three-way meeting" in page
    assert "on 12 Nov 2026 by Clare Morgan" in page
    assert (
        "One-to-one on 3 Nov 2026</strong> between Amara Okafor and Ben Hughes, recorded by "
        "Ben Hughes: Dates offered but none kept"
    ) in page
    assert (
        "Three-way meeting on 12 Nov 2026</strong>, agreed by Ben Hughes, Clare Morgan, "
        "Amara Okafor (recorded by Clare Morgan): Monthly sessions booked to May"
    ) in page


def test_the_agency_concerns_list_filters_by_state(cast, client, time_machine):
    _resolved_at_three_way(cast, time_machine)
    _raise(cast, "Sessions keep being cancelled")
    client.force_login(cast.agency_lead)

    both = _list(client, cast.agency)
    assert "2 concerns about supervision, open first" in both
    assert both.index("Stage 1: one-to-one") < both.index("Resolved at the three-way meeting")
    open_only = _list(client, cast.agency, state="open")
    assert "1 open concern about supervision" in open_only
    assert "Resolved at the three-way meeting" not in open_only
    assert "No meeting recorded yet" in open_only
    resolved = _list(client, cast.agency, state="resolved")
    assert "1 resolved concern about supervision" in resolved
    assert "Stage 1: one-to-one" not in resolved

    bad = _list(client, cast.agency, state="archived")
    assert "There is a problem" in bad
    assert "Choose open, resolved, or open and resolved." in bad
    assert "2 concerns about supervision" in bad


@pytest.mark.parametrize(
    "who", ["practitioner", "supervisor", "line_manager", "other_lead", "auditor", "stranger"]
)
def test_only_that_agencys_lead_may_list_its_supervision_concerns(cast, client, who):
    """The supervisee, the supervisor and the line manager see each concern they are party
    to, but not the agency's list; another agency's lead and the auditor see neither."""
    _raise(cast)
    client.force_login(cast.by_name(who))
    url = reverse("children:agency_concerns", args=[cast.agency.pk])
    assert client.get(url).status_code == 403
    client.force_login(cast.agency_lead)
    assert client.get(url).status_code == 200


def test_a_lead_of_two_agencies_sees_each_agencys_concerns_on_its_own_page(
    cast, client, time_machine
):
    _at(time_machine, dt.date(2026, 11, 17))
    # A lead leads an agency where they hold a post (decision 0002).
    MembershipFactory(person=cast.agency_lead, agency=cast.other_agency, job_title="Named nurse")
    RoleAssignmentFactory(person=cast.agency_lead, agency=cast.other_agency, role=Role.AGENCY_LEAD)
    _raise(cast, "No supervision since July")
    _raise(
        cast,
        "Supervision is always about caseload numbers",
        actor=cast.other_practitioner,
        supervisor=cast.other_supervisor,
    )
    client.force_login(cast.agency_lead)
    home = client.get(reverse("home")).content.decode()
    for agency in (cast.agency, cast.other_agency):
        link = reverse("children:agency_concerns", args=[agency.pk])
        assert f'href="{link}">Concerns about supervision in {agency.name}</a>' in home.replace(
            "&#x27;", "'"
        )
    ours = _list(client, cast.agency)
    assert "Amara Okafor" in ours and "Faye Turner" not in ours
    theirs = _list(client, cast.other_agency)
    assert "Faye Turner" in theirs and "Amara Okafor" not in theirs

    client.force_login(cast.other_lead)
    assert _list(client, cast.other_agency)
    url = reverse("children:agency_concerns", args=[cast.agency.pk])
    assert client.get(url).status_code == 403


def test_a_three_way_meeting_names_who_attended(cast, time_machine):
    _at(time_machine, dt.date(2026, 11, 17))
    concern = _raise(cast)
    concern = services.quality_concern_one_to_one(
        concern=concern,
        actor=cast.supervisor,
        met_on=dt.date(2026, 11, 17),
        outcome="x",
        resolved=False,
        expected_version=concern.version,
    )
    with pytest.raises(ValidationError) as error:
        services.quality_concern_three_way(
            concern=concern,
            actor=cast.line_manager,
            met_on=dt.date(2026, 11, 17),
            attendees=[],
            agreed_outcomes="Monthly sessions",
            expected_version=concern.version,
        )
    assert error.value.message_dict == {"attendees": ["Choose who attended the meeting."]}
    concern.refresh_from_db()
    assert concern.stage == "three_way" and concern.one_to_one_recorded_by == cast.supervisor
