"""Issue 15 item 16, seed 004 "Assurance indicators" 1: the wellbeing pulse for supervisors
and supervisees apart, with small groups withheld (decision 0004)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from oversight.assurance import services
from oversight.assurance.models import PulseResponse, PulseRole
from oversight.assurance.suppression import HIDDEN, SUPPRESSED
from oversight.core.testing import today_is

from .factories import PulseResponseFactory
from .test_dashboards import html_tables

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 8, 12)


def test_the_answer_keeps_whether_a_supervisor_or_a_supervisee_gave_it(cast: Any) -> None:
    with today_is(DAY):
        services.pulse_submit(
            actor=cast.supervisor,
            agency_id=cast.agency.pk,
            stress=2,
            resilience=None,
            reflection=None,
        )
        services.pulse_submit(
            actor=cast.practitioner,
            agency_id=cast.agency.pk,
            stress=4,
            resilience=None,
            reflection=None,
        )
    assert sorted(PulseResponse.objects.values_list("stress", "role")) == [
        (2, PulseRole.SUPERVISOR),
        (4, PulseRole.SUPERVISEE),
    ]


def _rows(client: Any, cast: Any) -> dict[tuple[str, str], list[str]]:
    client.force_login(cast.agency_lead)
    with today_is(DAY):
        page = client.get(reverse("assurance:agency_question", args=[cast.agency.pk, "wellbeing"]))
    table = html_tables(page.content.decode())["wellbeing_by_role"]
    return {(r[1], r[2]): r[3:] for r in table[1:]}


def test_each_role_is_shown_apart_once_both_have_five_answers(cast: Any, client: Any) -> None:
    for _ in range(5):
        PulseResponseFactory(
            agency=cast.agency, quarter_start=dt.date(2026, 4, 1), stress=4, role="supervisor"
        )
    for _ in range(6):
        PulseResponseFactory(
            agency=cast.agency, quarter_start=dt.date(2026, 4, 1), stress=2, role="supervisee"
        )
    rows = _rows(client, cast)
    assert rows[("Apr 2026", "Supervisors")][:2] == ["5", "4.0"]
    assert rows[("Apr 2026", "Supervisees")][:2] == ["6", "2.0"]
    assert rows[("Jul 2026", "Supervisors")] == ["Round still open"] * 4


def test_a_small_role_is_withheld_and_the_other_hidden_with_it(cast: Any, client: Any) -> None:
    """Beside the all-staff average, the supervisees' figures would give the three
    supervisors' away."""
    for _ in range(3):
        PulseResponseFactory(
            agency=cast.agency, quarter_start=dt.date(2026, 4, 1), stress=5, role="supervisor"
        )
    for _ in range(8):
        PulseResponseFactory(
            agency=cast.agency, quarter_start=dt.date(2026, 4, 1), stress=2, role="supervisee"
        )
    rows = _rows(client, cast)
    assert rows[("Apr 2026", "Supervisors")] == [SUPPRESSED] * 4
    assert rows[("Apr 2026", "Supervisees")] == [HIDDEN] * 4


def test_case_progression_is_on_the_partnership_dashboard(cast: Any, client: Any) -> None:
    """Item 16, seed 004 indicator 4: moves between ratings and statuses, not only drift."""
    from oversight.children.models import ChildStatus, LegalStatus
    from oversight.supervision import services as supervision
    from oversight.supervision.tests.factories import ChildFactory, SessionFactory

    def record(day: dt.date) -> Any:
        session: Any = SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC),
            status="held",
            held_on=day,
        )
        return supervision.session_record(
            actor=cast.supervisor,
            session=session,
            held_on=day,
            data={"next_session_on": day + dt.timedelta(days=28)},
        )

    with today_is(DAY):
        first, second = record(dt.date(2026, 3, 2)), record(dt.date(2026, 6, 1))
        for _ in range(5):
            child: Any = ChildFactory(agency=cast.agency)
            for rec, rating in ((first, "red"), (second, "amber")):
                supervision.case_discussion_add(
                    actor=cast.supervisor, record=rec, child=child, data={"rag_rating": rating}
                )
            ChildStatus.objects.create(
                child=child, status=LegalStatus.CHILD_IN_NEED, starts_on=dt.date(2025, 1, 1)
            )
            ChildStatus.objects.create(
                child=child, status=LegalStatus.CHILD_PROTECTION, starts_on=dt.date(2026, 6, 2)
            )
        client.force_login(cast.auditor)
        url = reverse("assurance:partnership_question", args=["drift"])
        page = client.get(url).content.decode()
    rows = {r[0]: r[1:] for r in html_tables(page)["case_progression"][1:]}
    assert rows[cast.agency.name] == ["5", SUPPRESSED, SUPPRESSED, "5"]
    assert rows[cast.other_agency.name] == [SUPPRESSED] * 4
