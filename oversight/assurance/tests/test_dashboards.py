"""Dashboards and exports: suppression under five, nothing personal for the partnership
auditor, charts whose data tables match the CSV, and query counts that do not grow."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.assurance.suppression import (
    HIDDEN,
    SUPPRESSED,
    is_suppressed,
    percent,
    suppress,
)
from oversight.assurance.tasks import assurance_trend_warm
from oversight.contracts.tests.factories import SupervisionContractFactory
from oversight.core.models import AuditAction, AuditEvent
from oversight.people.models import LineManagement
from oversight.people.tests import factories as pf

from .exported import as_shown, csv_tables, xlsx_tables
from .factories import (
    AuditedRecordFactory,
    EvaluationRoundFactory,
    PulseResponseFactory,
    RecordAuditFactory,
    answered,
)

SECRET_NOTE = "We need more of talking about Family Zed"
AUDIT_NOTE = "Auditor found the plan for Family Zed unclear"


class TableParser(HTMLParser):
    """Rows of text of each <table data-table="key">."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.current = dict(attrs).get("data-table")
            if self.current:
                self.tables[self.current] = []
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr" and self.current:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.current = None
        elif tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.current:
            self.tables[self.current].append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not self.in_caption:
            self.cell.append(data)


def html_tables(html: str) -> dict[str, list[list[str]]]:
    parser = TableParser()
    parser.feed(html)
    return parser.tables


QUESTION_LINK = re.compile(r'href="([^"]*/questions/[^"#]*)"')


def with_questions(client: Any, html: str) -> str:
    """A dashboard and every question page it links to, as one text: the dashboard asks the
    headline questions and each question's tables sit on its own page (issue 12 item 2)."""
    links = dict.fromkeys(unescape(link) for link in QUESTION_LINK.findall(html))
    pages = [html]
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        pages.append(response.content.decode())
    return "\n".join(pages)


def dashboard_html(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return with_questions(client, response.content.decode())


def csv_blocks(content: bytes) -> list[list[list[str]]]:
    """Each exported table's rows, header first (the CSV files of the export's zip)."""
    return [as_shown(rows) for _name, rows in csv_tables(content)]


@pytest.fixture
def assured(cast: Any) -> Any:
    """Evaluation answers with a note, a graded audit with notes, pulses: things with notes
    and small groups for the auditor not to see."""
    round_ = EvaluationRoundFactory(agency=cast.agency)
    answered(round_, cast.supervisor, 5, more_of=SECRET_NOTE)
    audit = RecordAuditFactory(agency=cast.agency, drawn_by=cast.auditor, status="complete")
    AuditedRecordFactory(audit=audit, notes=AUDIT_NOTE, child_focused="met")
    for _ in range(3):
        PulseResponseFactory(agency=cast.other_agency)
    return cast


def test_suppression_helper() -> None:
    assert is_suppressed(0) and is_suppressed(4) and is_suppressed(None)
    assert not is_suppressed(5)
    assert suppress(3, 4) == SUPPRESSED
    assert suppress(3, 5) == 3
    assert percent(2, 4) == SUPPRESSED
    assert percent(4, 5) == 80


def _names(cast: Any) -> list[str]:
    return [
        cast.by_name(role).display_name
        for role in (
            "practitioner",
            "supervisor",
            "line_manager",
            "agency_lead",
            "other_practitioner",
            "other_supervisor",
            "other_lead",
            "stranger",
        )
    ]


def _assert_nothing_personal(text: str, cast: Any) -> None:
    for name in _names(cast):
        assert name not in text, f"{name} shown to the partnership auditor"
    assert SECRET_NOTE not in text
    assert AUDIT_NOTE not in text


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _assert_small_agency_suppressed(blocks: list[list[list[str]]], name: str) -> None:
    """Every figure in a row about the agency of three people is withheld."""
    seen = 0
    for block in blocks:
        for row in block[1:]:
            if row[0] == name:
                seen += 1
                figures = row[2:] if not _is_number(row[1]) and row[1] != SUPPRESSED else row[1:]
                numbers = [v for v in figures if _is_number(v)]
                assert not numbers, f"figures for a group under five in {block[0]}: {row}"
    assert seen


def test_partnership_dashboard_shows_auditor_no_names_notes_or_small_groups(
    assured: Any, client: Any
) -> None:
    cast = assured
    client.force_login(cast.auditor)
    html = dashboard_html(client, reverse("assurance:partnership_dashboard"))
    _assert_nothing_personal(html, cast)
    assert SUPPRESSED in html
    rows = {r[0]: r for r in html_tables(html)["staff_compliance"][1:]}
    assert rows[cast.other_agency.name][1:] == [SUPPRESSED] * 5
    # Five beside three and a total of eight: the five is hidden too (decision 0004).
    assert rows[cast.agency.name][1:] == [HIDDEN] * 5
    assert rows["Partnership"][1] == "8"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_partnership_exports_show_auditor_no_names_notes_or_small_groups(
    assured: Any, client: Any, fmt: str
) -> None:
    cast = assured
    client.force_login(cast.auditor)
    response = client.get(reverse("assurance:partnership_export", args=[fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        blocks = csv_blocks(response.content)
    else:
        blocks = [rows for _name, rows in xlsx_tables(response.content)]
    text = "\n".join(",".join(r) for b in blocks for r in b)
    _assert_nothing_personal(text, cast)
    _assert_small_agency_suppressed(blocks, cast.other_agency.name)
    assert AuditEvent.objects.filter(actor=cast.auditor, action=AuditAction.EXPORT).exists()


def test_board_report_is_a_pdf_with_the_figures_and_no_names(assured: Any, client: Any) -> None:
    from pypdf import PdfReader

    client.force_login(assured.auditor)
    response = client.get(reverse("assurance:partnership_export", args=["pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Staff supervision compliance" in text
    assert assured.agency.name in text and assured.other_agency.name in text
    assert "Fewer than 5" in text
    for person in (assured.practitioner, assured.supervisor, assured.agency_lead):
        assert person.display_name not in text
    assert SECRET_NOTE not in text and AUDIT_NOTE not in text


def test_every_chart_data_table_matches_the_exported_csv(assured: Any, client: Any) -> None:
    cast = assured
    client.force_login(cast.agency_lead)
    url = reverse("assurance:agency_dashboard", args=[cast.agency.pk])
    html = dashboard_html(client, url)
    assert "<svg" in html and 'role="img"' in html
    tables = html_tables(html)
    blocks = csv_blocks(
        client.get(reverse("assurance:agency_export", args=[cast.agency.pk, "csv"])).content
    )
    assert len(blocks) == len(tables)
    for block, (key, rows) in zip(blocks, tables.items(), strict=True):
        assert block == rows, f"table {key} differs from its CSV"


def test_agency_dashboard_by_team_and_staff_group(cast: Any, client: Any) -> None:
    client.force_login(cast.agency_lead)
    html = dashboard_html(client, reverse("assurance:agency_dashboard", args=[cast.agency.pk]))
    tables = html_tables(html)
    teams = {r[0]: r for r in tables["compliance_by_team"][1:]}
    assert teams["Assessment Team"][1] == "5"
    groups = {r[0]: r for r in tables["compliance_by_group"][1:]}
    assert groups["Social workers"][1] == "5"
    supervisors = {r[0]: r for r in tables["supervisors"][1:]}
    assert supervisors["Assessment Team"][1] == SUPPRESSED


def test_a_bad_period_is_explained_and_the_default_shown(cast: Any, client: Any) -> None:
    client.force_login(cast.auditor)
    response = client.get(
        reverse("assurance:partnership_dashboard"), {"start": "2026-05-01", "end": "2026-01-01"}
    )
    assert "The end of the period must be on or after its start." in response.content.decode()


def test_compliance_page_names_the_line_managers_reports_only(
    cast: Any, client: Any, held: Any
) -> None:
    held(cast.practitioner, 60)
    client.force_login(cast.line_manager)
    html = client.get(reverse("assurance:compliance")).content.decode()
    assert cast.practitioner.display_name in html
    assert "Supervision overdue by" in html
    assert cast.stranger.display_name not in html
    assert cast.other_practitioner.display_name not in html


def test_home_panel_for_lead_names_who_needs_attention(cast: Any, client: Any, held: Any) -> None:
    held(cast.practitioner, 60)
    client.force_login(cast.agency_lead)
    html = client.get(reverse("home")).content.decode()
    # Issue 12: the home page counts them and links to compliance, which names them.
    assert "of your staff are overdue for supervision" in html
    url = reverse("assurance:compliance") + "?attention=on"
    assert url in html
    assert cast.practitioner.display_name in client.get(url).content.decode()


def test_home_panel_for_auditor_links_to_the_partnership_dashboard(cast: Any, client: Any) -> None:
    client.force_login(cast.auditor)
    html = client.get(reverse("home")).content.decode()
    assert reverse("assurance:partnership_dashboard") in html


def _grow(cast: Any, held: Any, n: int) -> None:
    for _ in range(n):
        person = pf.PersonFactory()
        pf.MembershipFactory(person=person, agency=cast.agency, team=cast.team)
        pf.LineManagementFactory(manager=cast.line_manager, report=person, agency=cast.agency)
        pf.SupervisionRelationshipFactory(
            supervisor=cast.supervisor, supervisee=person, agency=cast.agency
        )
        held(person, 45)
        held(person, 10)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("auditor", lambda cast: reverse("assurance:partnership_dashboard")),
        ("agency_lead", lambda cast: reverse("assurance:agency_dashboard", args=[cast.agency.pk])),
        ("agency_lead", lambda cast: reverse("home")),
        ("line_manager", lambda cast: reverse("home")),
        ("line_manager", lambda cast: reverse("assurance:compliance")),
        ("auditor", lambda cast: reverse("assurance:partnership_export", args=["csv"])),
        (
            "auditor",
            lambda cast: reverse("assurance:partnership_question", args=["staff-supervised"]),
        ),
        (
            "agency_lead",
            lambda cast: reverse(
                "assurance:agency_question", args=[cast.agency.pk, "decisions-on-file"]
            ),
        ),
    ],
    ids=[
        "partnership",
        "agency",
        "lead home",
        "manager home",
        "compliance",
        "export",
        "partnership question",
        "agency question",
    ],
)
def test_query_count_does_not_grow_with_data(
    cast: Any, client: Any, held: Any, role: str, url: Any
) -> None:
    from django.core.cache import cache

    client.force_login(cast.by_name(role))

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(cast)).status_code == 200
        return len(queries)

    _grow(cast, held, 2)
    # What the nightly job keeps before anyone arrives (issue 17 item 2).
    assurance_trend_warm.call()
    before = count()
    _grow(cast, held, 10)
    assert count() == before


def _trend_rows(client: Any, url: str) -> list[list[str]]:
    tables = html_tables(dashboard_html(client, url))
    return tables["trend"]


def test_the_nightly_task_keeps_every_closed_day_and_the_trend_reads_it(
    cast: Any, client: Any, held: Any
) -> None:
    """Issue 17 item 2: staff compliance is kept per agency for every closed day of the
    history; the trend then reads the kept rows in one query and shows the same figures."""
    from django.core.cache import cache
    from django.db.models import Min
    from django.utils import timezone

    from oversight.assurance.models import ComplianceSnapshot
    from oversight.assurance.tasks import assurance_trend_warm
    from oversight.people.models import Membership

    _grow(cast, held, 6)
    client.force_login(cast.agency_lead)
    url = reverse("assurance:agency_dashboard", args=[cast.agency.pk])
    computed = _trend_rows(client, url)

    assurance_trend_warm.call()
    first = Membership.objects.filter(agency=cast.agency).aggregate(first=Min("starts_on"))
    closed = (timezone.localdate() - first["first"]).days
    kept = ComplianceSnapshot.objects.filter(agency=cast.agency, final=True)
    assert kept.count() == closed
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        read_back = _trend_rows(client, url)
    assert read_back == computed
    # Today's row for the compliance table, and every month end of the trend at once.
    assert sum("assurance_compliancesnapshot" in q["sql"] for q in queries) == 2


@pytest.fixture
def pinned(time_machine: Any) -> None:
    """17 November 2026, 10:00 in London; asked for before the cast so it is made then."""
    time_machine.move_to(
        dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London")), tick=False
    )


# Today's point is not a month end: it is computed live and moves with the records.
TODAY_ROW = "17 Nov 2026"


def _recompute(client: Any, cast: Any, day: dt.date, reason: str) -> Any:
    return client.post(
        reverse("assurance:month_end_recompute", args=[cast.agency.pk]),
        {"month_end": day.isoformat(), "reason": reason},
        follow=True,
    )


def test_the_task_does_not_change_a_kept_month_end_and_the_audited_recompute_does(
    pinned: None, cast: Any, client: Any, held: Any
) -> None:
    """Issue 9 item 8: sessions recorded late for October do not move October's figure when
    the daily task runs again; the agency lead's deliberate recompute, with its reason, does,
    and the audit log keeps the figures before and after."""
    from django.core.cache import cache

    from oversight.assurance.tasks import assurance_trend_warm

    _grow(cast, held, 6)
    client.force_login(cast.agency_lead)
    url = reverse("assurance:agency_dashboard", args=[cast.agency.pk])
    assurance_trend_warm.call()
    october = dt.date(2026, 10, 31)
    label = "31 Oct 2026"
    before = {row[0]: row[1] for row in _trend_rows(client, url)[1:]}
    assert before[label] != "100"
    for membership in cast.agency.memberships.all():
        held(membership.person, (dt.date(2026, 11, 17) - october).days + 1)

    assert assurance_trend_warm.call() == 0
    cache.clear()
    still = {row[0]: row[1] for row in _trend_rows(client, url)[1:]}
    assert {k: v for k, v in still.items() if k != TODAY_ROW} == {
        k: v for k, v in before.items() if k != TODAY_ROW
    }

    page = _recompute(client, cast, october, "Sessions for October recorded late")
    assert "Figures for 31 October 2026 recomputed" in page.content.decode()
    cache.clear()
    after = {row[0]: row[1] for row in _trend_rows(client, url)[1:]}
    assert after[label] == "100"
    assert {k: v for k, v in after.items() if k not in (label, TODAY_ROW)} == {
        k: v for k, v in before.items() if k not in (label, TODAY_ROW)
    }
    event = AuditEvent.objects.get(detail__kind="month_end_recompute")
    assert event.actor == cast.agency_lead
    assert event.detail["reason"] == "Sessions for October recorded late"
    assert event.detail["on"] == "2026-10-31"
    assert event.detail["before"]["within_interval"] < event.detail["after"]["within_interval"]


def test_recomputing_month_end_figures_needs_a_reason_and_the_agencys_lead(
    pinned: None, cast: Any, client: Any, held: Any
) -> None:
    from oversight.assurance.models import ComplianceSnapshot
    from oversight.assurance.services import compliance_snapshot_recompute
    from oversight.assurance.tasks import assurance_trend_warm

    _grow(cast, held, 6)
    assurance_trend_warm.call()
    october = dt.date(2026, 10, 31)
    kept = ComplianceSnapshot.objects.get(agency=cast.agency, on=october)
    client.force_login(cast.agency_lead)
    page = _recompute(client, cast, october, "  ").content.decode()
    assert "Enter why the month-end figures are being recomputed" in page
    client.force_login(cast.other_lead)
    assert _recompute(client, cast, october, "Tidying up").status_code == 403
    with pytest.raises(ValidationError, match="Only the administrator or the agency"):
        compliance_snapshot_recompute(
            actor=cast.supervisor, agency=cast.agency, on=october, reason="Tidying up"
        )
    assert ComplianceSnapshot.objects.get(pk=kept.pk).computed_at == kept.computed_at
    assert not AuditEvent.objects.filter(detail__kind="month_end_recompute").exists()


def test_an_import_leaves_a_month_end_already_shown_as_it_was(
    pinned: None, cast: Any, client: Any, held: Any
) -> None:
    """Issue 9 item 8: a staff import with people in post for years, then the daily task,
    and last month's figure on the partnership's trend is what it was."""
    from django.core.cache import cache

    from oversight.assurance.tasks import assurance_trend_warm
    from oversight.people.imports import COLUMNS, staff_import_csv

    _grow(cast, held, 6)
    client.force_login(cast.agency_lead)
    url = reverse("assurance:agency_dashboard", args=[cast.agency.pk])
    assurance_trend_warm.call()
    before = {row[0]: row[1] for row in _trend_rows(client, url)[1:]}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for n in range(8):
        writer.writerow(
            {
                "given_name": f"New{n}",
                "family_name": "Starter",
                "email": f"new{n}@example.org",
                "agency": cast.agency.name,
                "job_title": "Social worker",
                "start_date": "2005-09-01",
                "supervisor_email": cast.supervisor.email,
            }
        )
    assert staff_import_csv(actor=cast.administrator, content=out.getvalue().encode()).ok
    assurance_trend_warm.call()
    cache.clear()
    after = {row[0]: row[1] for row in _trend_rows(client, url)[1:]}
    del before[TODAY_ROW], after[TODAY_ROW]
    assert after == before


def test_compliance_page_filters_by_need_and_pages_a_large_team(
    cast: Any, client: Any, held: Any
) -> None:
    """A line manager with dozens of reports: the list is paged, and can be narrowed to the
    people who need attention (here the practitioner, whose supervision is overdue)."""
    _grow(cast, held, 55)
    for report in LineManagement.objects.filter(manager=cast.line_manager):
        SupervisionContractFactory(
            signed=True, supervisor=cast.supervisor, supervisee=report.report, agency=cast.agency
        )
    held(cast.practitioner, 60)
    client.force_login(cast.line_manager)
    url = reverse("assurance:compliance")

    everyone = client.get(url).content.decode()
    assert "56 people; page 1 of 2" in everyone
    assert 'rel="next"' in everyone

    needing = client.get(url, {"attention": "on"}).content.decode()
    assert "Up to date" in everyone
    assert "Up to date" not in needing
    assert cast.practitioner.display_name in needing

    by_team = client.get(url, {"team": f"{cast.team.name}, {cast.agency.name}", "page": "2"})
    assert by_team.status_code == 200
    assert "page 2 of 2" in by_team.content.decode()
    # The next and previous links keep the filter.
    assert "team=" in by_team.content.decode().split('rel="prev"')[0].rsplit("href=", 1)[1]


def test_compliance_page_rejects_an_unknown_team_and_shows_everyone(cast: Any, client: Any) -> None:
    client.force_login(cast.line_manager)
    html = client.get(reverse("assurance:compliance"), {"team": "Not a team"}).content.decode()
    assert "There is a problem" in html or "Select team from the choices given" in html
    assert cast.practitioner.display_name in html


def test_home_lists_the_most_overdue_of_many_reports_and_links_to_the_rest(
    cast: Any, client: Any, held: Any
) -> None:
    _grow(cast, held, 25)
    held(cast.practitioner, 60)
    client.force_login(cast.line_manager)
    html = client.get(reverse("home")).content.decode()
    assert reverse("assurance:compliance") in html
    assert reverse("assurance:my_people") in html
    # Issue 12: the page the home page links to lists all of them, most overdue first.
    page = client.get(reverse("assurance:my_people")).content.decode()
    assert page.count('<tr class="govuk-table__row">') == 26 + 1
    assert page.index(cast.practitioner.display_name) < page.index("</tr>", page.index("<tbody"))


def test_partnership_dashboard_query_count_does_not_grow_with_agencies(
    cast: Any, client: Any, held: Any
) -> None:
    from django.core.cache import cache

    client.force_login(cast.auditor)

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("assurance:partnership_dashboard")).status_code == 200
        return len(queries)

    assurance_trend_warm.call()  # the nightly job keeps each agency's figures
    before = count()
    for _ in range(3):
        agency = pf.AgencyFactory(partnership=cast.agency.partnership)
        person = pf.PersonFactory()
        pf.MembershipFactory(person=person, agency=agency)
    assurance_trend_warm.call()
    assert count() == before


def test_a_line_managers_home_shows_a_session_held_a_moment_ago(
    cast: Any, client: Any, held: Any
) -> None:
    """A team is small: its manager's home is live, not kept (a lead's agency is kept)."""
    held(cast.practitioner, 60)
    client.force_login(cast.line_manager)
    before = client.get(reverse("home")).content.decode()
    assert "1 of your staff is overdue for supervision" in before
    held(cast.practitioner, 0)
    after = client.get(reverse("home")).content.decode()
    assert "overdue for supervision" not in after
    assert "kept for up to five minutes" not in after


def test_an_agency_leads_home_says_its_figures_are_kept(cast: Any, client: Any) -> None:
    client.force_login(cast.agency_lead)
    assert "kept for up to five minutes" in client.get(reverse("home")).content.decode()
