"""The children panels of the home page read each kind once (issue 17 item 1, decision
0024): what they show is what the lists' own selectors give."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from oversight.children import selectors, services
from oversight.children.models import (
    ConcernKind,
    ConcernStage,
    DriftFlag,
    DriftRule,
    QualityConcern,
)
from oversight.children.tests.factories import ChildFactory
from oversight.people.selectors import access_profile


def test_urgent_requests_waiting_and_made_in_one_read(
    cast: Any, django_assert_num_queries: Any
) -> None:
    made = [
        services.urgent_request_make(
            actor=cast.practitioner, supervisor=cast.supervisor, agency=cast.agency, concern=c
        )
        for c in ("one", "two", "three", "four", "five")
    ]
    services.urgent_request_respond(request=made[1], actor=cast.supervisor, response="Met")
    for person in (cast.supervisor, cast.practitioner):
        supervisees = access_profile(person).supervisee_ids
        with django_assert_num_queries(1):
            waiting, mine = selectors.urgent_requests_of(
                person_id=person.pk, supervisee_ids=supervisees
            )
        assert waiting == list(
            selectors.urgent_requests_waiting_for(
                supervisor_id=person.pk, supervisee_ids=supervisees
            )
        )
        assert mine == list(selectors.urgent_requests_made_by(person_id=person.pk)[:3])
    waiting, _ = selectors.urgent_requests_of(
        person_id=cast.supervisor.pk, supervisee_ids=access_profile(cast.supervisor).supervisee_ids
    )
    assert [r.concern for r in waiting] == ["one", "three", "four", "five"]
    _, mine = selectors.urgent_requests_of(person_id=cast.practitioner.pk, supervisee_ids=[])
    assert [r.concern for r in mine] == ["five", "four", "three"]


def _concern(agency: Any, raised_by: Any, supervisor: Any, stage: str) -> QualityConcern:
    return QualityConcern.objects.create(
        agency=agency,
        raised_by=raised_by,
        supervisor=supervisor,
        kind=ConcernKind.FREQUENCY,
        description="Not monthly",
        stage=stage,
    )


def test_concerns_to_resolve_and_the_counts_of_a_lead_in_one_read(
    cast: Any, django_assert_num_queries: Any
) -> None:
    lead = cast.agency_lead
    _concern(cast.agency, cast.practitioner, cast.supervisor, ConcernStage.ONE_TO_ONE)
    _concern(cast.agency, cast.supervisor, lead, ConcernStage.THREE_WAY)
    _concern(cast.agency, lead, cast.supervisor, ConcernStage.ONE_TO_ONE)
    _concern(cast.agency, cast.practitioner, cast.supervisor, ConcernStage.RESOLVED)
    _concern(
        cast.other_agency, cast.other_practitioner, cast.other_supervisor, ConcernStage.ONE_TO_ONE
    )
    led = set(access_profile(lead).led_agency_ids)
    with django_assert_num_queries(1):
        concerns, counts = selectors.concerns_to_resolve(
            lead, person_id=lead.pk, led_agency_ids=led
        )
    assert concerns == list(selectors.quality_concerns_for(lead).exclude(raised_by_id=lead.pk))
    assert len(concerns) == 2
    assert counts == selectors.open_quality_concern_counts(led) == {cast.agency.pk: 3}


def test_the_home_counts_open_drift_flags_on_the_peoples_children(cast: Any, client: Any) -> None:
    now = timezone.now()
    theirs = [
        ChildFactory.create(agency=cast.agency, allocated_practitioner=cast.practitioner)
        for _ in range(2)
    ]
    elsewhere = ChildFactory.create(
        agency=cast.other_agency, allocated_practitioner=cast.other_practitioner
    )
    for child, rule in [
        (theirs[0], DriftRule.CONSECUTIVE),
        (theirs[0], DriftRule.WORSENING),
        (theirs[1], DriftRule.CONSECUTIVE),
        (elsewhere, DriftRule.CONSECUTIVE),
    ]:
        DriftFlag.objects.create(child=child, rule=rule, reason="r", raised_on=now.date())
    DriftFlag.objects.create(
        child=theirs[1],
        rule=DriftRule.WORSENING,
        reason="r",
        raised_on=now.date(),
        acknowledged_at=now,
        acknowledged_by=cast.supervisor,
    )
    client.force_login(cast.supervisor)
    home = client.get(reverse("home")).content.decode()
    assert "3 children flagged for drift" in home
    client.force_login(cast.practitioner)
    assert "flagged for drift" not in client.get(reverse("home")).content.decode()
