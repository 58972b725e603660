"""What shows as overdue is what the record's own ``is_overdue_on(day)`` answers for the day,
passed by the view; templates compare no dates (decision 0002). An unsigned record past its
deadline, an open action past its due date and a decision not on the child's file by its
due date show as overdue on every page that lists them, and not before their day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.core.testing import today_is
from oversight.supervision.models import (
    Action,
    CaseDiscussion,
    Decision,
    ManagementOversight,
    Session,
    SessionRecord,
    SessionStatus,
)
from oversight.supervision.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

HELD = dt.date(2026, 11, 2)
SIGN_BY = dt.date(2026, 11, 9)
FILE_DUE = dt.date(2026, 11, 4)
ACTION_DUE = dt.date(2026, 11, 10)
BEFORE = dt.date(2026, 11, 3)  # nothing is due yet
AFTER = dt.date(2026, 11, 18)  # everything above is overdue


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def late(cast: Any) -> dict[str, Any]:
    """A 1:1 held on 2 November with its record still a draft, a decision about a child not
    yet on the child's file, an open action, a later action and the pair's next session."""
    with today_is(HELD):
        session = Session.objects.create(
            session_type="one_to_one",
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=_at(HELD),
            duration_minutes=60,
            status=SessionStatus.HELD,
            held_on=HELD,
        )
        record = SessionRecord.objects.create(
            session=session,
            agenda_notes="Caseload",
            sign_by=SIGN_BY,
            next_session_on=dt.date(2026, 11, 30),
        )
        child: Any = ChildFactory(
            agency=cast.agency, allocated_practitioner=cast.practitioner, display_name="Family K"
        )
        discussion = CaseDiscussion.objects.create(
            record=record, agency=cast.agency, child=child, discussed_on=HELD, rag_rating="red"
        )
        common = {
            "child": child,
            "agency": cast.agency,
            "decided_on": HELD,
            "decided_by": cast.supervisor,
            "rationale": "Escalating risk",
            "file_due_on": FILE_DUE,
        }
        Decision.objects.create(
            case_discussion=discussion, decision="Request a strategy discussion", **common
        )
        oversight = ManagementOversight.objects.create(
            child=child, agency=cast.agency, made_by=cast.supervisor, made_on=HELD
        )
        on_file = Decision.objects.create(
            management_oversight=oversight, decision="Convene a core group", **common
        )
        Action.objects.create(
            origin_record=record,
            description="Share the chronology with the school",
            owner=cast.practitioner,
            due_on=ACTION_DUE,
            child=child,
        )
        Action.objects.create(
            origin_record=record,
            description="Book the family group conference",
            owner=cast.practitioner,
            due_on=dt.date(2026, 12, 20),
        )
        upcoming = Session.objects.create(
            session_type="one_to_one",
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=_at(dt.date(2026, 11, 30)),
            duration_minutes=60,
        )
    return {
        "session": session,
        "record": record,
        "oversight": oversight,
        "decision": on_file,
        "upcoming": upcoming,
    }


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_record_page_shows_the_late_record_action_and_decision(cast, client, late):
    client.force_login(cast.supervisor)
    url = reverse("supervision:record", args=[late["session"].pk])
    with today_is(AFTER):
        page = _page(client, url)
    assert "Overdue: due 9 Nov 2026" in page
    assert "Not on the child's file: was due 4 Nov 2026" in page
    rows = page.split("Actions agreed in this session")[1]
    late_row = rows.split("Share the chronology with the school")[1].split("</tr>")[0]
    later_row = rows.split("Book the family group conference")[1].split("</tr>")[0]
    assert "Overdue" in late_row and "Overdue" not in later_row
    with today_is(BEFORE):
        page = _page(client, url)
    assert "Overdue" not in page and "was due" not in page
    assert "To record on the child's file by 4 Nov 2026" in page


def test_lists_and_panels_show_what_is_overdue(cast, client, late):
    client.force_login(cast.supervisor)
    with today_is(AFTER):
        sessions = _page(client, reverse("supervision:session_list"))
        home = _page(client, reverse("home"))
        to_sign = _page(client, reverse("supervision:records_to_sign"))
    assert sessions.count("Overdue: due 9 Nov 2026") == 2  # awaiting signature, and the table
    # Issue 12: the home page counts it and links to the one list of records to sign.
    assert "1 record not signed by its deadline" in home
    assert to_sign.count("Overdue: due 9 Nov 2026") == 1

    client.force_login(cast.practitioner)
    with today_is(AFTER):
        home = _page(client, reverse("home"))
        actions = _page(client, reverse("supervision:action_list"))
        oversight_list = _page(client, reverse("supervision:oversight_list"))
        prepare = _page(client, reverse("supervision:session_prepare", args=[late["upcoming"].pk]))
    assert "1 of your actions is overdue" in home
    assert "Share the chronology with the school – due 10 Nov 2026" in actions
    assert "Overdue" in actions.split("Share the chronology")[1].split("</li>")[0]
    assert "Overdue" not in actions.split("Book the family group conference")[1].split("</li>")[0]
    waiting = oversight_list.split("</tbody>")[0]
    assert waiting.count("Overdue") == 2
    assert "Overdue" in prepare.split("Share the chronology with the school")[1].split("</tr>")[0]

    with today_is(BEFORE):
        for url in (
            reverse("home"),
            reverse("supervision:action_list"),
            reverse("supervision:records_to_sign"),
            reverse("supervision:oversight_list"),
            reverse("supervision:session_prepare", args=[late["upcoming"].pk]),
        ):
            assert "Overdue" not in _page(client, url)


def test_oversight_and_decision_pages_show_a_decision_overdue_for_the_file(cast, client, late):
    client.force_login(cast.practitioner)
    detail = reverse("supervision:oversight_detail", args=[late["oversight"].pk])
    on_file = reverse("supervision:decision_on_file", args=[late["decision"].pk])
    with today_is(AFTER):
        assert "Not on the child's file: was due 4 Nov 2026" in _page(client, detail)
        assert "Overdue" in _page(client, on_file)
    with today_is(BEFORE):
        assert "was due" not in _page(client, detail)
        assert "Overdue" not in _page(client, on_file)


def test_signed_record_still_shows_what_is_overdue_from_the_live_rows(cast, client, late):
    """A signed record's page shows what was signed; whether an action or a decision is
    overdue today is answered by the live row (signed.Signed reads through to it)."""
    from oversight.supervision.models import SignedContent

    from .test_views import _sign

    with today_is(dt.date(2026, 11, 5)):
        _sign(cast, late["record"])
    assert SignedContent.objects.filter(record=late["record"]).exists()
    client.force_login(cast.supervisor)
    with today_is(AFTER):
        page = _page(client, reverse("supervision:record", args=[late["session"].pk]))
    assert "Overdue: due" not in page  # signed in time
    assert "Not on the child's file: was due 4 Nov 2026" in page
    rows = page.split("Actions agreed in this session")[1]
    assert "Overdue" in rows.split("Share the chronology with the school")[1].split("</tr>")[0]
