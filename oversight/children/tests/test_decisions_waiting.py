"""The decisions waiting for the child's file, a page at a time (seed 001 standard 6: on the
child's file within two working days; seed 004 objective 4: an immediate concern acted on the
same day). A lead's agency has thousands waiting; the page reads the fifty it shows by their
keys first (``core.paging.KeysFirst``, issue 17 item 3), so these tests hold what the reader
sees: how many in all, immediate concerns first, then the longest overdue, and each page
carrying on where the last stopped."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.children.models import Child
from oversight.children.tests.factories import ChildFactory
from oversight.core.paging import KeysFirst
from oversight.core.testing import today_is

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)  # a Tuesday
PER_PAGE = 50  # DecisionsWaitingView


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def decision(cast: Any, name: str, *, due: dt.date, immediate: bool = False, **extra: Any) -> Any:
    from oversight.supervision.models import Decision, ManagementOversight

    child: Child = ChildFactory.create(agency=cast.agency, display_name=name)
    made_on = due - dt.timedelta(days=2)
    oversight = ManagementOversight.objects.create(
        child=child, agency=cast.agency, made_by=cast.line_manager, made_on=made_on
    )
    return Decision.objects.create(
        management_oversight=oversight,
        child=child,
        agency=cast.agency,
        decided_on=made_on,
        decided_by=cast.line_manager,
        decision="Convene a strategy discussion",
        rationale="New information from school",
        file_due_on=due,
        immediate_concern=immediate,
        **extra,
    )


def listed(client: Any, page: int = 1) -> tuple[str, list[str]]:
    response = client.get(reverse("children:decisions_waiting"), {"page": page})
    assert response.status_code == 200
    body = response.content.decode()
    caption = re.search(r"<caption[^>]*>(.*?)</caption>", body, re.S)
    names = re.findall(r'href="/children/\d+/">([^<]+)</a>', body)
    return (caption.group(1).strip() if caption else ""), names


def test_the_lead_pages_through_every_decision_waiting_most_urgent_first(cast, client):
    overdue = [
        decision(cast, f"Overdue {i:02d}", due=TODAY - dt.timedelta(days=60 - i)) for i in range(52)
    ]
    immediate = decision(cast, "Immediate", due=TODAY + dt.timedelta(days=2), immediate=True)
    decision(cast, "Not yet due", due=TODAY + dt.timedelta(days=1))
    decision(
        cast,
        "On file already",
        due=TODAY - dt.timedelta(days=5),
        recorded_on_file_at=timezone.now(),
    )
    decision(
        cast,
        "Archived",
        due=TODAY - dt.timedelta(days=5),
        archived_at=timezone.now(),
        archived_reason="Entered in error",
    )
    client.force_login(cast.agency_lead)

    caption, first = listed(client)
    assert caption.startswith("53 decisions overdue for the child's file or needing action today")
    assert "page 1 of 2" in caption
    assert first[0] == immediate.child.display_name
    assert first[1:] == [d.child.display_name for d in overdue[:49]]

    caption, second = listed(client, page=2)
    assert "page 2 of 2" in caption
    assert second == [d.child.display_name for d in overdue[49:]]
    assert not {"Not yet due", "On file already", "Archived"} & set(first + second)


def test_a_practitioner_sees_only_their_own_childrens_decisions(cast, client):
    mine = decision(cast, "Allocated to me", due=TODAY - dt.timedelta(days=3))
    mine.child.allocated_practitioner = cast.practitioner
    mine.child.save()
    decision(cast, "Someone else's", due=TODAY - dt.timedelta(days=3))
    client.force_login(cast.practitioner)
    caption, names = listed(client)
    assert caption.startswith("1 decision overdue")
    assert names == ["Allocated to me"]


def test_a_list_paged_by_its_keys_needs_an_order(cast):
    from oversight.supervision.models import Decision

    with pytest.raises(ValueError, match="needs an order"):
        KeysFirst(Decision.objects.order_by())
