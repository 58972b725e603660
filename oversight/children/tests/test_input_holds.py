"""Issue 10 items 6 and 7 for children: a form sent twice makes one record; two people
adding the same case reference at once get the form's error, not a server error; a date of
birth a keyboard slip gives is refused, keeping what was typed."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.urls import reverse

from oversight.children import services
from oversight.children.models import Child, Escalation, LegalStatus
from oversight.core.testing import shows_typed_date

pytestmark = pytest.mark.django_db

SUBMITTED = dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def _pinned(time_machine: Any) -> None:
    time_machine.move_to(SUBMITTED, tick=False)


def _token(page: str) -> str:
    found = re.search(r'name="submission_token" value="([^"]+)"', page)
    assert found, "the form carries no submission token"
    return found.group(1)


def _child(cast: Any, **extra: Any) -> dict[str, Any]:
    return {
        "agency": cast.agency.pk,
        "case_reference": "CS-77",
        "display_name": "Family R – child C",
        "legal_status": LegalStatus.CHILD_IN_NEED,
        "status_since": "2026-09-01",
        "allocated_practitioner": cast.practitioner.pk,
        **extra,
    }


@pytest.mark.usefixtures("_pinned")
def test_escalation_form_sent_twice_raises_one_escalation(cast: Any, client: Any) -> None:
    client.force_login(cast.practitioner)
    url = reverse("children:escalation_add")
    token = _token(client.get(url).content.decode())
    data = {
        "subject": "agency_response",
        "about_agency": cast.other_agency.pk,
        "reason": "No strategy discussion",
        "what_was_tried": "Called the team manager",
        "level": "supervisor",
        "submission_token": token,
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Escalation.objects.count() == 1


@pytest.mark.usefixtures("_pinned")
def test_add_a_child_form_sent_twice_adds_the_child_once_without_an_error(
    cast: Any, client: Any
) -> None:
    client.force_login(cast.practitioner)
    url = reverse("children:child_add")
    token = _token(client.get(url).content.decode())
    first = client.post(url, _child(cast, submission_token=token))
    second = client.post(url, _child(cast, submission_token=token))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Child.objects.filter(case_reference="CS-77").count() == 1


@pytest.mark.usefixtures("_pinned")
@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("0001-01-01", "Enter a date of birth on or after 1 January 1900."),
        ("1899-12-31", "Enter a date of birth on or after 1 January 1900."),
        ("2026-11-18", "Enter a date of birth that is today or in the past."),
        ("9999-12-31", "Enter a date of birth that is today or in the past."),
    ],
)
def test_a_date_of_birth_before_1900_or_after_today_is_refused(
    cast: Any, client: Any, born: str, message: str
) -> None:
    client.force_login(cast.practitioner)
    response = client.post(reverse("children:child_add"), _child(cast, date_of_birth=born))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert shows_typed_date(page, "date_of_birth", born) and 'value="Family R – child C"' in page
    assert not Child.objects.exists()


@pytest.mark.usefixtures("_pinned")
def test_a_date_of_birth_today_is_accepted(cast: Any, client: Any) -> None:
    client.force_login(cast.practitioner)
    response = client.post(reverse("children:child_add"), _child(cast, date_of_birth="2026-11-17"))
    assert response.status_code == 302


@pytest.mark.usefixtures("_pinned")
def test_a_status_since_in_year_0001_is_refused(cast: Any, client: Any) -> None:
    client.force_login(cast.practitioner)
    response = client.post(reverse("children:child_add"), _child(cast, status_since="0001-01-01"))
    assert "Enter a date on or after 1 January 1900." in response.content.decode()
    assert not Child.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real connections")
@pytest.mark.django_db(transaction=True)
def test_two_people_adding_the_same_case_reference_at_once_get_the_forms_error(
    cast: Any,
) -> None:
    """The second add checks for the reference before the first has committed, so only the
    database's unique constraint sees the clash; it answers with the form's error."""
    outcome: dict[str, Any] = {}
    started = threading.Event()

    def second_person() -> None:
        try:
            started.set()
            services.child_create(
                actor=cast.agency_lead,
                agency=cast.agency,
                case_reference="CS-RACE",
                display_name="Family S",
                legal_status=LegalStatus.CHILD_IN_NEED,
                status_since=dt.date(2026, 9, 1),
                allocated_practitioner=None,
            )
        except Exception as error:
            outcome["error"] = error
        finally:
            connections.close_all()

    with transaction.atomic():
        services.child_create(
            actor=cast.practitioner,
            agency=cast.agency,
            case_reference="CS-RACE",
            display_name="Family R",
            legal_status=LegalStatus.CHILD_IN_NEED,
            status_since=dt.date(2026, 9, 1),
            allocated_practitioner=None,
        )
        other = threading.Thread(target=second_person)
        other.start()
        started.wait()
        time.sleep(1)  # the second insert now waits on the first's uncommitted row
    other.join(timeout=30)
    error = outcome.get("error")
    assert isinstance(error, ValidationError), repr(error)
    assert error.message_dict == {
        "case_reference": ["A child with this case reference is already on the register."]
    }
    assert Child.objects.filter(case_reference="CS-RACE").count() == 1
