"""An escalation whose response is late shows as overdue on the list, on its page and on the
home panel of those who must respond: the view passes what ``is_overdue_on(day)`` answered
for the day, and templates compare no dates (decision 0002). The day before, it does not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oversight.children.models import EscalationStep
from oversight.core.testing import today_is

from .access_cases import escalation_pk

pytestmark = pytest.mark.django_db

RAISED = dt.date(2026, 11, 2)
DUE = dt.date(2026, 11, 4)


@pytest.fixture
def late(cast):
    with today_is(RAISED):
        pk = escalation_pk(cast)["pk"]
    EscalationStep.objects.filter(escalation_id=pk).update(response_due_on=DUE)
    return pk


def _main(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode().split('id="main-content"')[1]
    return page


def test_a_late_response_shows_as_overdue_where_the_escalation_is_listed(cast, client, late):
    client.force_login(cast.supervisor)
    pages = (
        reverse("children:escalation_list"),
        reverse("children:escalation_detail", args=[late]),
    )
    with today_is(dt.date(2026, 11, 5)):
        for url in pages:
            page = _main(client, url)
            assert "4 Nov 2026" in page and "Overdue" in page, url
        # Issue 12: the home page counts it as overdue and links to the list.
        assert "1 escalation past its response date" in _main(client, reverse("home"))
    with today_is(DUE):
        for url in pages:
            assert "Overdue" not in _main(client, url), url
        assert "past its response date" not in _main(client, reverse("home"))


def test_the_lead_of_the_agency_asked_to_respond_sees_your_agency(cast, client, late):
    client.force_login(cast.other_lead)
    page = _main(client, reverse("children:escalation_list"))
    assert "Your agency" in page
    client.force_login(cast.supervisor)
    assert "Your agency" not in _main(client, reverse("children:escalation_list"))


def test_escalation_list_queries_do_not_grow_with_escalations(
    cast, client, django_assert_max_num_queries
):
    """Each row's "overdue" and "your agency" come from the list's own query and the
    viewer's access profile: no query per row."""
    client.force_login(cast.other_lead)
    url = reverse("children:escalation_list")
    with today_is(RAISED):
        escalation_pk(cast)
    with today_is(dt.date(2026, 11, 20)):
        client.get(url)  # warm the session
        with django_assert_max_num_queries(40) as one:
            client.get(url)
        with today_is(RAISED):
            for _ in range(6):
                escalation_pk(cast)
        with django_assert_max_num_queries(len(one.captured_queries)):
            page = client.get(url).content.decode()
    assert page.count("Your agency") == 7 and page.count("Overdue") == 7
