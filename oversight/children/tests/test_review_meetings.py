"""Review meetings as the people preparing for them see it (seed 004 objective 4): a child
whose next meeting's window is open and who has not been discussed inside it is flagged
"Discuss before the review" on the children list, the child's page and the home page."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from oversight.children.tests.factories import ChildFactory, ReviewMeetingFactory, discussion

pytestmark = pytest.mark.django_db

# Friday 27 November 2026: its ten-working-day window opens on Friday 13 November.
MEETING = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _on_17_november_2026(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London")), tick=False
    )


def _child(cast, name: str, discussed_on: dt.date):
    child = ChildFactory.create(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        display_name=name,
        legal_status_since=dt.date(2026, 6, 1),
    )
    discussion(child, discussed_on, supervisor=cast.supervisor)
    ReviewMeetingFactory(child=child, meets_on=MEETING)
    return child


def _row_of(page: str, name: str) -> str:
    start = page.index(name)
    return page[start : page.index("</tr>", start)]


def test_the_child_is_flagged_discuss_before_the_review(cast, client):
    """Discussed on 20 September, long before the window: flagged. Discussed on 16 November,
    inside it: not flagged."""
    late = _child(cast, "Family L – child A", dt.date(2026, 9, 20))
    _child(cast, "Family P – child B", dt.date(2026, 11, 16))
    client.force_login(cast.practitioner)

    listed = client.get(reverse("children:child_list")).content.decode()
    assert "Discuss before the review" in _row_of(listed, "Family L – child A")
    assert "between 13 November 2026 and 27 November 2026" in _row_of(listed, "Family L – child A")
    assert "Discuss before the review" not in _row_of(listed, "Family P – child B")

    only = client.get(reverse("children:child_list"), {"show": "before_review"}).content.decode()
    assert "Family L – child A" in only and "Family P – child B" not in only

    detail = client.get(reverse("children:child_detail", args=[late.pk])).content.decode()
    assert "Discuss before the review" in detail
    assert "discuss the child between 13 November 2026 and 27 November 2026" in detail

    # Issue 12: the home page counts the children due and links to the list above.
    home = client.get(reverse("home")).content.decode()
    assert reverse("children:child_list") + "?show=" in home


def test_a_review_not_prepared_for_is_due_by_the_day_of_the_meeting(cast, client):
    """The 20 September discussion would put the next one three months later (21 December);
    the meeting on 27 November comes first."""
    _child(cast, "Family L – child A", dt.date(2026, 9, 20))
    client.force_login(cast.practitioner)
    row = _row_of(client.get(reverse("children:child_list")).content.decode(), "Family L")
    assert "27 Nov 2026" in row
    assert "Before the review meeting on 27 November 2026" in row
