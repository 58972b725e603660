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
    if url == reverse("home"):  # only the escalations panel
        return page.split("Escalations awaiting a response")[1].split("</ul>")[0]
    return page


def test_a_late_response_shows_as_overdue_where_the_escalation_is_listed(cast, client, late):
    client.force_login(cast.supervisor)
    pages = (
        reverse("children:escalation_list"),
        reverse("children:escalation_detail", args=[late]),
        reverse("home"),
    )
    with today_is(dt.date(2026, 11, 5)):
        for url in pages:
            page = _main(client, url)
            assert "4 Nov 2026" in page and "Overdue" in page, url
    with today_is(DUE):
        for url in pages:
            assert "Overdue" not in _main(client, url), url


def test_the_lead_of_the_agency_asked_to_respond_sees_your_agency(cast, client, late):
    client.force_login(cast.other_lead)
    page = _main(client, reverse("children:escalation_list"))
    assert "Your agency" in page
    client.force_login(cast.supervisor)
    assert "Your agency" not in _main(client, reverse("children:escalation_list"))
