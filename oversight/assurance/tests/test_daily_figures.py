"""Figures that are never cold (issue 17 item 2): staff compliance kept per agency for every
closed day. The day-by-day sweep that back-fills history gives exactly what the full
recompute (``compliance_for``) gives for the same day, over a year of demo history that
includes a policy change and a record signed late; the dashboards then read the kept rows,
allow any period the data covers, and compute a missing figure once however many ask."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from oversight.assurance import services
from oversight.assurance.compliance import compliance_for
from oversight.assurance.models import ComplianceSnapshot
from oversight.assurance.snapshots import _as_figures, figures_of
from oversight.contracts.tests.factories import policy_changed
from oversight.core.testing import today_is
from oversight.people.models import Agency
from oversight.supervision.models import SessionRecord

TODAY = dt.date(2026, 11, 17)
YEAR_AGO = TODAY - dt.timedelta(days=365)
POLICY_CHANGED = dt.date(2026, 3, 2)


@pytest.fixture
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The small demo as of TODAY, with a stricter policy from mid-year in one agency and one
    record signed three weeks after its deadline."""
    with today_is(TODAY):
        call_command("seed_demo", "--today", TODAY.isoformat(), stdout=StringIO())
        agency = Agency.objects.order_by("pk").first()
        assert agency is not None
        policy_changed(agency, POLICY_CHANGED, interval_days=14)
        record = (
            SessionRecord.objects.live()
            .filter(session__agency=agency, sign_by__range=(YEAR_AGO, POLICY_CHANGED))
            .exclude(supervisee_signed_at=None)
            .order_by("sign_by")
            .first()
        )
        assert record is not None and record.sign_by is not None
        late = record.sign_by + dt.timedelta(days=21)
        record.supervisee_signed_at = timezone.make_aware(dt.datetime.combine(late, dt.time(15)))
        record.save(update_fields=["supervisee_signed_at"])
        yield {"agency": agency, "record": record, "late": late}


@pytest.mark.django_db
def test_kept_figures_equal_a_full_recompute_for_every_day_of_a_year(
    demo: dict[str, Any],
) -> None:
    ids = list(Agency.objects.live().values_list("pk", flat=True))
    # Kept again from the records as they now stand (the policy change and the late record).
    ComplianceSnapshot.objects.filter(on__gte=YEAR_AGO).delete()
    with today_is(TODAY):
        kept_rows = services.figures_backfill(today=TODAY, since=YEAR_AGO)
    assert kept_rows == 365 * len(ids)
    swept = {
        (row.agency_id, row.on): _as_figures(row)
        for row in ComplianceSnapshot.objects.filter(on__gte=YEAR_AGO)
    }
    day = YEAR_AGO
    differing = []
    while day < TODAY:
        full = figures_of(compliance_for(on=day, agency_ids=ids), ids)
        for agency_id in ids:
            if swept[(agency_id, day)] != full[agency_id]:
                differing.append((agency_id, day, swept[(agency_id, day)], full[agency_id]))
        day += dt.timedelta(days=1)
    assert not differing, differing[:3]
    # The history really holds what the test is about: the stricter policy left more people
    # overdue the day it came in, and the late record counted as unsigned until it was signed.
    agency_id = demo["agency"].pk
    before, after = POLICY_CHANGED - dt.timedelta(days=1), POLICY_CHANGED
    assert swept[(agency_id, after)]["counts"][2] > swept[(agency_id, before)]["counts"][2]
    late = demo["late"]
    unsigned = [swept[(agency_id, late - dt.timedelta(days=n))]["counts"][4] for n in (0, 1)]
    assert unsigned[1] >= 1

    # The demo kept every closed day of its history, and the nightly job closes only the day
    # just ended, leaving the days already kept as they were shown (issue 9 item 8).
    days = set(ComplianceSnapshot.objects.filter(final=True).values_list("on", flat=True))
    assert TODAY - dt.timedelta(days=1) in days and YEAR_AGO in days
    assert len(days) > 700  # the small demo has more than two years of history
    kept = ComplianceSnapshot.objects.get(agency=demo["agency"], on=YEAR_AGO)
    with today_is(TODAY + dt.timedelta(days=1)):
        assert services.figures_backfill(today=TODAY + dt.timedelta(days=1)) == len(ids)
    assert ComplianceSnapshot.objects.get(pk=kept.pk).computed_at == kept.computed_at


@pytest.mark.django_db
def test_a_period_older_than_two_years_can_be_chosen(
    demo: dict[str, Any], client: Any, django_assert_max_num_queries: Any
) -> None:
    auditor = _auditor()
    client.force_login(auditor)
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    with today_is(TODAY):
        url = reverse("assurance:partnership_dashboard")
        period = {"start": start.isoformat(), "end": end.isoformat()}
        # The first to ask computes the other tables once (decision 0023, "Not done")…
        with django_assert_max_num_queries(60):
            page = client.get(url, period)
        # …and everyone after reads them kept.
        with django_assert_max_num_queries(20):
            assert client.get(url, period).status_code == 200
    text = page.content.decode()
    assert "two years or less" not in text
    assert "31 December 2024" in text


def _auditor() -> Any:
    from oversight.people.models import Person

    return Person.objects.get(username="auditor")


@pytest.mark.django_db(transaction=True)
def test_one_request_computes_a_missing_figure_and_the_others_wait_for_it() -> None:
    """Two real threads ask for the same figure; it is computed once."""
    from oversight.core.singleflight import single_flight

    computed: list[int] = []
    store: dict[str, int] = {}
    started = threading.Event()

    def compute() -> int:
        started.set()
        computed.append(1)
        threading.Event().wait(0.3)  # long enough for the other thread to find the lock taken
        store["figure"] = 42
        return 42

    results: list[int] = []

    def ask() -> None:
        results.append(single_flight("test-figure", compute, kept=lambda: store.get("figure")))
        connection.close()

    first = threading.Thread(target=ask)
    first.start()
    started.wait(5)
    second = threading.Thread(target=ask)
    second.start()
    first.join(10)
    second.join(10)
    assert results == [42, 42]
    assert computed == [1]


def _pages(cast: Any) -> list[tuple[Any, str]]:
    agency = cast.agency.pk
    return [
        (cast.auditor, reverse("assurance:partnership_dashboard")),
        (cast.auditor, reverse("assurance:partnership_question", args=["staff-supervised"])),
        (cast.auditor, reverse("assurance:partnership_export", args=["csv"])),
        (cast.auditor, reverse("assurance:partnership_export", args=["xlsx"])),
        (cast.agency_lead, reverse("assurance:agency_dashboard", args=[agency])),
        (
            cast.agency_lead,
            reverse("assurance:agency_question", args=[agency, "children-discussed"]),
        ),
        (cast.agency_lead, reverse("assurance:agency_export", args=[agency, "csv"])),
    ]


def test_dashboards_questions_and_exports_stay_within_20_queries_first_thing_and_after(
    cast: Any, client: Any, held: Any, django_assert_max_num_queries: Any
) -> None:
    """Issue 17 item 2: after the nightly job, the first visit of the day and every visit after
    it read kept figures; no page view recomputes the partnership."""
    from oversight.assurance.tasks import assurance_trend_warm

    held(cast.practitioner, 10)
    assurance_trend_warm.call()
    for person, url in _pages(cast):
        client.force_login(person)
        for _visit in ("first of the day", "again"):
            with django_assert_max_num_queries(20):
                assert client.get(url).status_code == 200, url


def test_a_month_end_kept_before_teams_were_split_shows_its_teams_and_keeps_its_counts(
    cast: Any, client: Any, held: Any
) -> None:
    """Month ends kept under decision 0003 had no split by team: the agency dashboard judges
    the split once and keeps it, and the counts the board saw stay as they were."""
    from oversight.assurance.tests.test_dashboards import html_tables

    held(cast.practitioner, 40)
    day = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    kept = ComplianceSnapshot.objects.create(
        agency=cast.agency, on=day, people=9, within_interval=9, computed_at=timezone.now()
    )
    client.force_login(cast.agency_lead)
    url = reverse("assurance:agency_question", args=[cast.agency.pk, "staff-supervised"])
    page = client.get(url, {"start": (day - dt.timedelta(days=30)).isoformat(), "end": day})
    teams = [row[0] for row in html_tables(page.content.decode())["compliance_by_team"][1:]]
    assert cast.team.name in teams
    kept.refresh_from_db()
    assert (kept.people, kept.within_interval) == (9, 9)
    assert kept.breakdown["team"]
