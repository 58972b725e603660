"""The supervisee's contract on their home page says how often they are supervised: the
frequency agreed (fortnightly for a newly-qualified practitioner, by the agency's policy), on
the contract in force and on one waiting for their signature."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from oversight.contracts.models import ContractStatus
from oversight.people.models import SupervisionRelationship

from .factories import SupervisionContractFactory

pytestmark = pytest.mark.django_db


def _contract(cast: Any, **fields: Any) -> Any:
    return SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        relationship=SupervisionRelationship.objects.get(supervisee=cast.practitioner),
        **fields,
    )


def _home(client: Any, cast: Any) -> str:
    client.force_login(cast.practitioner)
    return client.get(reverse("home")).content.decode()


def test_home_shows_the_frequency_of_my_contract(cast: Any, client: Any) -> None:
    _contract(cast, signed=True, frequency_days=30)
    html = _home(client, cast)
    assert (
        f"Your contract with {cast.supervisor.display_name} agrees supervision every 30 days."
        in html
    )


def test_home_shows_the_frequency_of_a_contract_to_sign(cast: Any, client: Any) -> None:
    contract = _contract(cast, frequency_days=14, status=ContractStatus.AWAITING_SIGNATURES)
    html = _home(client, cast)
    # Issue 12: counted in "what needs you today", linking to the contract to sign.
    assert reverse("contracts:contract_sign", args=[contract.pk]) in html
    assert "1 supervision contract to sign" in html
    page = client.get(reverse("contracts:contract_sign", args=[contract.pk])).content.decode()
    assert "14 days" in page


def test_a_review_past_its_date_shows_as_overdue(cast: Any, client: Any) -> None:
    """The panel shows what ``SupervisionContract.is_overdue_on(today)`` answered, for the
    supervisee's own contract and on the supervisor's list of reviews (decision 0002)."""
    import datetime as dt

    from oversight.core.testing import today_is

    due = dt.date(2026, 11, 10)
    with today_is(due):
        _contract(cast, signed=True, starts_on=dt.date(2026, 1, 5), review_due_on=due)
        assert "Overdue" not in _home(client, cast).split("Supervision contracts")[1]
        client.force_login(cast.supervisor)
        reviews = client.get(reverse("home")).content.decode()
        assert "1 contract due for review in the next 30 days" in reviews
        assert "past its review date" not in reviews
    with today_is(due + dt.timedelta(days=1)):
        mine = _home(client, cast).split("Supervision contracts")[1]
        assert "due for review on" in mine and "Overdue" in mine.split("</p>")[0]
        client.force_login(cast.supervisor)
        reviews = client.get(reverse("home")).content.decode()
        assert "1 contract past its review date" in reviews
