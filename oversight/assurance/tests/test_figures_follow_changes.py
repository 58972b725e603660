"""Today's staff compliance follows the records without a page view computing it (issue 17
item 2, decision 0023): a service that changes what the figures count queues a refresh of
today's kept row on commit, the dashboards show the change at once, a reader who finds the
row more than five minutes old is shown it and queues a refresh, and a burst of changes
queues one refresh."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.urls import reverse

from oversight.assurance.compliance import compliance_for
from oversight.assurance.models import ComplianceSnapshot
from oversight.assurance.snapshots import _as_figures, figures_of
from oversight.assurance.tasks import assurance_trend_warm
from oversight.contracts.services import supervision_policy_create_version
from oversight.people.services import training_record_add
from oversight.supervision import services as supervision
from oversight.supervision.models import SessionStatus
from oversight.supervision.tests.factories import SessionFactory

from .test_dashboards import _grow, html_tables

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 17)
STAFF, WITHIN, UNSIGNED = 1, 2, 4  # columns of a compliance row


@pytest.fixture
def pinned(time_machine: Any) -> None:
    """17 November 2026, 10:00 in London, the clock stopped; asked for before the cast."""
    time_machine.move_to(dt.datetime(2026, 11, 17, 10, tzinfo=LONDON), tick=False)


@pytest.fixture
def warm(pinned: None, cast: Any, held: Any) -> Any:
    """Eleven staff in the cast's agency, six of them supervised ten days ago, and the
    nightly job run: today's rows and the dashboards' tables are kept."""
    _grow(cast, held, 6)
    assurance_trend_warm.call()
    return cast


def _all_staff(client: Any, cast: Any) -> list[str]:
    """The agency's "All staff" row as its lead sees it."""
    client.force_login(cast.agency_lead)
    url = reverse("assurance:agency_question", args=[cast.agency.pk, "staff-supervised"])
    page = client.get(url)
    assert page.status_code == 200
    return html_tables(page.content.decode())["compliance_by_team"][-1]


def _partnership(client: Any, cast: Any) -> list[str]:
    client.force_login(cast.auditor)
    page = client.get(reverse("assurance:partnership_question", args=["staff-supervised"]))
    assert page.status_code == 200
    return html_tables(page.content.decode())["staff_compliance"][-1]


@pytest.fixture
def enqueued() -> Any:
    """The tasks queued while a test runs, as django-tasks announces them (its
    ``task_enqueued`` signal): (task name, keyword arguments)."""
    from django_tasks.signals import task_enqueued

    seen: list[tuple[str, dict[str, Any]]] = []

    def heard(sender: Any, task_result: Any, **kwargs: Any) -> None:
        seen.append((task_result.task.name, dict(task_result.kwargs)))

    task_enqueued.connect(heard)
    yield seen
    task_enqueued.disconnect(heard)


def _refreshes(enqueued: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The refreshes of today's figures queued, with what each was asked to refresh."""
    return [named for name, named in enqueued if name == "compliance_today_refresh_task"]


def _today_row(agency: Any) -> ComplianceSnapshot:
    return ComplianceSnapshot.objects.get(agency=agency, on=TODAY, final=False)


def _kept_equals_a_full_recompute(agency: Any) -> None:
    full = figures_of(compliance_for(on=TODAY, agency_ids=[agency.pk]), [agency.pk])
    assert _as_figures(_today_row(agency)) == full[agency.pk]


def _record(cast: Any, days_ago: int) -> Any:
    """Amara Okafor's 1:1, recorded by Ben Hughes through the service."""
    on = TODAY - dt.timedelta(days=days_ago)
    session: Any = SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        status=SessionStatus.PLANNED,
        planned_start=dt.datetime.combine(on, dt.time(10), tzinfo=LONDON),
    )
    return supervision.session_record(
        actor=cast.supervisor,
        session=session,
        held_on=on,
        data={"agenda_notes": "Workload", "next_session_on": TODAY + dt.timedelta(days=20)},
    )


def test_the_nightly_job_keeps_todays_row_for_every_agency(warm: Any) -> None:
    """The first visit of the day finds today's figures kept, not missing."""
    for agency in (warm.agency, warm.other_agency):
        _kept_equals_a_full_recompute(agency)


def test_a_session_recorded_shows_on_the_dashboards_at_once(
    warm: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cast = warm
    before, partnership_before = _all_staff(client, cast), _partnership(client, cast)
    with django_capture_on_commit_callbacks(execute=True):
        _record(cast, days_ago=1)
    # The clock has not moved: no five minutes passed, and the lead sees the session counted.
    after = _all_staff(client, cast)
    assert after[STAFF] == before[STAFF] == "11"
    assert int(after[WITHIN]) > int(before[WITHIN])
    assert _partnership(client, cast)[WITHIN] != partnership_before[WITHIN]
    _kept_equals_a_full_recompute(cast.agency)


def test_a_record_signed_leaves_the_unsigned_count_at_once(
    warm: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cast = warm
    with django_capture_on_commit_callbacks(execute=True):
        record = _record(cast, days_ago=20)  # its deadline has passed
    with django_capture_on_commit_callbacks(execute=True):
        supervision.record_sign_supervisor(actor=cast.supervisor, record=record)
    # Unsigned until the supervisee signs: counted for both of them.
    assert _all_staff(client, cast)[UNSIGNED] == "2"
    with django_capture_on_commit_callbacks(execute=True):
        supervision.record_sign_supervisee(actor=cast.practitioner, record=record)
    assert _all_staff(client, cast)[UNSIGNED] == "0"
    _kept_equals_a_full_recompute(cast.agency)


def test_a_stricter_policy_shows_at_once(
    warm: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cast = warm
    before = _all_staff(client, cast)
    with django_capture_on_commit_callbacks(execute=True):
        supervision_policy_create_version(
            actor=cast.agency_lead,
            agency=cast.agency,
            staff_group=None,
            effective_from=TODAY,
            change_reason="Weekly supervision while the service is inspected",
            values={"interval_days": 7, "new_starter_interval_days": 7},
        )
    after = _all_staff(client, cast)
    assert int(after[WITHIN]) < int(before[WITHIN])
    _kept_equals_a_full_recompute(cast.agency)


def test_a_page_finding_a_stale_row_shows_it_and_queues_a_refresh(
    warm: Any,
    client: Any,
    time_machine: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Six minutes later, with a session held that no service reported (so the kept row is
    behind the records), the first page that computes the tables reads the kept row as it
    is; the refresh it queued then catches the row up."""
    from django.core.cache import cache

    cast = warm
    kept = _today_row(cast.agency)
    shown = _all_staff(client, cast)
    SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        status=SessionStatus.HELD,
        held_on=TODAY,
        planned_start=dt.datetime.combine(TODAY, dt.time(9), tzinfo=LONDON),
    )
    time_machine.move_to(dt.datetime(2026, 11, 17, 10, 6, tzinfo=LONDON), tick=False)
    cache.clear()  # the dashboard's own kept tables gone: the page reads the kept row
    with django_capture_on_commit_callbacks() as queued:
        assert _all_staff(client, cast) == shown
    assert _today_row(cast.agency).computed_at == kept.computed_at
    assert queued, "a refresh is queued"
    for callback in queued:
        callback()
    assert _today_row(cast.agency).computed_at > kept.computed_at
    _kept_equals_a_full_recompute(cast.agency)
    assert int(_all_staff(client, cast)[WITHIN]) > int(shown[WITHIN])


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_burst_of_changes_queues_one_refresh(
    warm: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A record saved, signed and a training record added, each in its own transaction,
    before the worker picks the refresh up: one refresh is queued for the agency."""
    from django_tasks import default_task_backend

    from oversight.assurance.tasks import compliance_today_refresh_task

    cast = warm
    default_task_backend.clear()  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        record = _record(cast, days_ago=2)
    with django_capture_on_commit_callbacks(execute=True):
        supervision.record_sign_supervisor(actor=cast.supervisor, record=record)
    with django_capture_on_commit_callbacks(execute=True):
        training_record_add(
            actor=cast.agency_lead,
            person=cast.supervisor,
            course="Supervising safeguarding practice",
            completed_on=TODAY,
        )
    queued = [
        result
        for result in default_task_backend.results  # type: ignore[attr-defined]
        if result.task.name == compliance_today_refresh_task.name
    ]
    assert [result.args or result.kwargs for result in queued] == [{"agency_ids": [cast.agency.pk]}]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_the_changes_of_one_transaction_reach_assurance_once(
    warm: Any, enqueued: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """An import's services run in one transaction: nothing is queued until it commits, and
    then one refresh of today's figures, for the agency the people work in."""
    from django.db import transaction

    cast = warm
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record = _record(cast, days_ago=2)
        supervision.record_sign_supervisor(actor=cast.supervisor, record=record)
        training_record_add(
            actor=cast.agency_lead,
            person=cast.other_supervisor,
            course="Supervising safeguarding practice",
            completed_on=TODAY,
        )
        assert _refreshes(enqueued) == []
    refreshes = _refreshes(enqueued)
    assert len(refreshes) == 1
    assert cast.agency.pk in refreshes[0]["agency_ids"]


def test_a_dashboard_refreshed_after_five_minutes_judges_todays_row_with_it(
    warm: Any,
    client: Any,
    enqueued: Any,
    time_machine: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Six minutes on, a lead finds the dashboard's tables stale: they are shown and a
    refresh is queued, which judges today's row too rather than leave it to a second refresh
    that would compute the tables again."""
    cast = warm
    kept = _today_row(cast.agency)
    shown = _all_staff(client, cast)
    SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        status=SessionStatus.HELD,
        held_on=TODAY,
        planned_start=dt.datetime.combine(TODAY, dt.time(9), tzinfo=LONDON),
    )
    time_machine.move_to(dt.datetime(2026, 11, 17, 10, 6, tzinfo=LONDON), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert _all_staff(client, cast) == shown
    assert _today_row(cast.agency).computed_at > kept.computed_at
    _kept_equals_a_full_recompute(cast.agency)
    assert [name for name, _ in enqueued] == ["dashboard_tables_refresh"]
    assert int(_all_staff(client, cast)[WITHIN]) > int(shown[WITHIN])
