"""Urgent requests and concerns about supervision follow the relationship in time (decision
0002: what a relationship opened it closes when it ends). The supervisor a request or concern
names sees and answers it only while they supervise the person who raised it; a former
supervisor is refused, and their home page no longer asks them."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from oversight.children import services
from oversight.children.models import ConcernKind
from oversight.people import services as people_services
from oversight.people.models import SupervisionRelationship

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 17)


@pytest.fixture
def raised(cast: Any, time_machine: Any) -> tuple[Any, Any]:
    """Amara Okafor asks Ben Hughes, her supervisor, for an urgent discussion and raises a
    concern about her supervision."""
    time_machine.move_to(dt.datetime.combine(TODAY, dt.time(9), tzinfo=LONDON), tick=False)
    request = services.urgent_request_make(
        actor=cast.practitioner, supervisor=cast.supervisor, agency=cast.agency, concern="A bruise"
    )
    concern = services.quality_concern_raise(
        actor=cast.practitioner,
        supervisor=cast.supervisor,
        agency=cast.agency,
        kind=ConcernKind.FREQUENCY,
        description="No session since August",
    )
    return request, concern


def _end_supervision(cast: Any) -> None:
    people_services.supervision_relationship_end(
        actor=cast.administrator,
        relationship=SupervisionRelationship.objects.get(supervisee=cast.practitioner),
        ends_on=TODAY - dt.timedelta(days=1),
    )


def _statuses(client: Any, person: Any, request: Any, concern: Any) -> list[int]:
    client.force_login(person)
    return [
        client.get(reverse("children:urgent_respond", args=[request.pk])).status_code,
        client.get(reverse("children:concern_detail", args=[concern.pk])).status_code,
        client.get(reverse("children:concern_meeting", args=[concern.pk])).status_code,
    ]


def test_the_supervisor_answers_while_they_supervise(cast: Any, client: Any, raised: Any) -> None:
    assert _statuses(client, cast.supervisor, *raised) == [200, 200, 200]
    home = client.get(reverse("home")).content.decode()
    assert "Urgent discussion requested" in home


def test_a_former_supervisor_no_longer_sees_or_answers_them(
    cast: Any, client: Any, raised: Any
) -> None:
    _end_supervision(cast)
    assert _statuses(client, cast.supervisor, *raised) == [403, 403, 403]
    home = client.get(reverse("home")).content.decode()
    assert "Urgent discussion requested" not in home
    assert reverse("children:urgent_respond", args=[raised[0].pk]) not in home
    # The person who raised them, and the agency's lead, still see them.
    client.force_login(cast.practitioner)
    assert client.get(reverse("children:concern_detail", args=[raised[1].pk])).status_code == 200
    client.force_login(cast.agency_lead)
    assert client.get(reverse("children:concern_detail", args=[raised[1].pk])).status_code == 200
