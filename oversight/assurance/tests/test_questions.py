"""Dashboards that answer questions (issue 12 item 2): the partnership and agency dashboards
open with the board's headline questions, each with its figure, its direction over 12 months
and a link to its own page of tables; a table that small groups leave mostly empty says so
once and offers a grouping with figures; other apps add a question in a few lines."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.assurance import questions
from oversight.assurance.suppression import SUPPRESSED
from oversight.assurance.tables import Table
from oversight.children.tests.factories import ChildFactory
from oversight.core.testing import today_is
from oversight.core.workdays import add_working_days
from oversight.supervision.models import Decision, ManagementOversight

from .test_dashboards import dashboard_html, html_tables

TODAY = dt.date(2026, 6, 15)
HEADLINES = [
    "Are staff supervised on time?",
    "Are children in need discussed?",
    "Are decisions on the child's file within two working days?",
    "Is drift caught and resolved?",
    "Are children known to several agencies discussed by all of them?",
]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _headings(html: str, level: int) -> list[str]:
    return [_text(h) for h in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S)]


def _asked(html: str) -> list[str]:
    """The headline questions of a dashboard, in order."""
    found = re.findall(r'<h2[^>]*id="question-[^"]*-heading"[^>]*>(.*?)</h2>', html, re.S)
    return [_text(h) for h in found]


def _section(html: str, slug: str) -> str:
    found = re.search(rf'<section[^>]*id="question-{slug}".*?</section>', html, re.S)
    assert found, f"no headline {slug}"
    return found.group(0)


@pytest.fixture
def pinned() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def _decisions(cast: Any, decided: dt.date, on_time: int, late: int) -> None:
    child: Any = ChildFactory(agency=cast.agency)
    due = add_working_days(decided, 2)
    oversight = ManagementOversight.objects.create(
        child=child, agency=cast.agency, made_by=cast.line_manager, made_on=decided
    )
    for recorded in [decided] * on_time + [due + dt.timedelta(days=3)] * late:
        Decision.objects.create(
            management_oversight=oversight,
            child=child,
            agency=cast.agency,
            decided_on=decided,
            decided_by=cast.supervisor,
            decision="Plan changed",
            rationale="Concerns grew",
            file_due_on=due,
            recorded_on_file_at=timezone.make_aware(dt.datetime.combine(recorded, dt.time(12))),
        )


def test_the_partnership_dashboard_opens_with_the_boards_questions(
    cast: Any, client: Any, pinned: dt.date
) -> None:
    client.force_login(cast.auditor)
    html = client.get(reverse("assurance:partnership_dashboard")).content.decode()
    assert _asked(html) == HEADLINES
    for question in questions.questions_for(questions.PARTNERSHIP):
        if question.is_headline:
            section = _section(html, question.slug)
            assert "data-figure" in section and "data-direction" in section
            url = reverse("assurance:partnership_question", args=[question.slug])
            assert f'href="{url}?start=' in section
        else:
            url = reverse("assurance:partnership_question", args=[question.slug])
            assert f'href="{url}?start=' in html
    # The detail sits on the question pages: the dashboard holds no figure table.
    assert html_tables(html) == {}
    # Staff supervision has month-end figures: its trend is a line with its figures.
    staff = _section(html, "staff-supervised")
    assert "<svg" in staff and "Figures for this chart" in staff
    # Too few children in need at the month ends for a line: the page says so rather than
    # draw nothing.
    children = _section(html, "children-discussed")
    assert "No trend: fewer than two months have a figure large enough" in _text(children)


def test_the_agency_dashboard_asks_the_same_questions_of_its_agency(
    cast: Any, client: Any, pinned: dt.date
) -> None:
    client.force_login(cast.agency_lead)
    html = client.get(reverse("assurance:agency_dashboard", args=[cast.agency.pk])).content
    assert _asked(html.decode()) == HEADLINES


def test_decisions_on_file_headline_gives_the_period_and_its_direction(
    cast: Any, client: Any, pinned: dt.date
) -> None:
    _decisions(cast, dt.date(2026, 5, 6), on_time=4, late=1)
    _decisions(cast, dt.date(2026, 6, 3), on_time=5, late=0)
    client.force_login(cast.agency_lead)
    html = client.get(reverse("assurance:agency_dashboard", args=[cast.agency.pk])).content
    section = _text(_section(html.decode(), "decisions-on-file"))
    assert "90% of decisions made from 16 March 2026 to 15 June 2026" in section
    assert "Up 20 percentage points since May 2026 (80%)." in section
    url = reverse("assurance:agency_question", args=[cast.agency.pk, "decisions-on-file"])
    tables = html_tables(client.get(url).content.decode())
    trend = dict(tables["decisions_trend"][1:])
    assert trend["May 2026"] == "80" and trend["Jun 2026"] == "100"
    assert trend["Apr 2026"] == SUPPRESSED  # no decisions: no share to show
    assert tables["decisions"][1] == [cast.agency.name, "10", "90"]


def test_each_question_page_shows_its_own_tables(cast: Any, client: Any, pinned: dt.date) -> None:
    client.force_login(cast.auditor)
    url = reverse("assurance:partnership_question", args=["staff-supervised"])
    response = client.get(url)
    html = response.content.decode()
    assert _headings(html, 1) == ["Are staff supervised on time?"]
    assert list(html_tables(html)) == ["staff_compliance", "trend", "supervisors"]
    assert reverse("assurance:partnership_dashboard") in html
    drift = client.get(reverse("assurance:partnership_question", args=["drift"])).content
    assert list(html_tables(drift.decode())) == [
        "drift_escalation",
        "drift_trend",
        "case_progression",
    ]


def test_an_unknown_question_is_not_found(cast: Any, client: Any) -> None:
    client.force_login(cast.auditor)
    url = reverse("assurance:partnership_question", args=["are-we-nearly-there"])
    assert client.get(url).status_code == 404
    client.force_login(cast.agency_lead)
    # No table is left over on the agency dashboard, so it has no "Other figures" page.
    url = reverse("assurance:agency_question", args=[cast.agency.pk, questions.OTHER_SLUG])
    assert client.get(url).status_code == 404


def test_a_mostly_empty_table_says_so_once_and_links_to_figures_by_agency(
    cast: Any, client: Any
) -> None:
    """The cast's agency has one supervisor: every team's supervisor figures are withheld.
    Its lead sees the partnership dashboard too, where the agency is one row."""
    client.force_login(cast.agency_lead)
    url = reverse("assurance:agency_question", args=[cast.agency.pk, "staff-supervised"])
    html = client.get(url).content.decode()
    supervisors = re.search(r'aria-labelledby="table-supervisors".*?</section>', html, re.S)
    assert supervisors is not None
    assert supervisors.group(0).count("data-mostly-withheld") == 1
    assert "most of its figures are not shown" in _text(supervisors.group(0))
    by_agency = reverse("assurance:partnership_question", args=["staff-supervised"])
    assert f'href="{by_agency}?start=' in supervisors.group(0)
    # The by-team table has figures (a team of five): it says nothing.
    team = re.search(r'aria-labelledby="table-compliance_by_team".*?</section>', html, re.S)
    assert team is not None and "data-mostly-withheld" not in team.group(0)


def test_a_mostly_empty_partnership_table_links_to_the_whole_partnership_figure(
    cast: Any, client: Any
) -> None:
    """No agency of the cast has five children in need: the table is withheld throughout,
    and the headline gives the one figure the partnership as a whole can show."""
    client.force_login(cast.auditor)
    url = reverse("assurance:partnership_question", args=["children-discussed"])
    html = client.get(url).content.decode()
    table = re.search(r'aria-labelledby="table-children".*?</section>', html, re.S)
    assert table is not None and table.group(0).count("data-mostly-withheld") == 1
    dashboard = reverse("assurance:partnership_dashboard")
    assert re.search(rf'href="{dashboard}\?start=[^"]*#question-children-discussed"', html)
    assert "See the figure for the whole partnership" in html


def test_another_app_adds_a_question_in_a_few_lines(cast: Any, client: Any) -> None:
    """A question registered with its table is asked on the dashboard and has its page; a
    table no question names is still shown, under "Other figures"."""
    added = Table(key="pets", caption="Pets in supervision", columns=["Agency", "Pets"])
    asked = questions.questions_for(questions.PARTNERSHIP, [added])
    assert asked[-1].slug == questions.OTHER_SLUG
    assert asked[-1].tables == (questions.TablePart("pets"),)
    before = list(questions.QUESTIONS)
    try:
        questions.register(
            questions.Question(
                slug="pets",
                ask="Are pets welcome?",
                tables=(questions.TablePart("pets"),),
                answer=lambda scope: questions.Answer("All", "pets welcome", "Level."),
                scopes=frozenset({questions.PARTNERSHIP}),
            )
        )
        found = questions.questions_for(questions.PARTNERSHIP, [added])
        assert found[-1].slug == "pets" and found[-1].is_headline
        assert "pets" not in [q.slug for q in questions.questions_for(questions.AGENCY)]
        client.force_login(cast.auditor)
        html = client.get(reverse("assurance:partnership_dashboard")).content.decode()
        assert _asked(html)[-1] == "Are pets welcome?"
    finally:
        questions.QUESTIONS[:] = before


@pytest.mark.parametrize(
    ("points", "arrow", "words"),
    [
        ([70, 75, 84], "up", "Up 14 percentage points since Jan 2026 (70%)."),
        ([90, 89], "down", "Down 1 percentage point since Jan 2026 (90%)."),
        ([80, 80], "level", "No change since Jan 2026 (80%)."),
        ([80, SUPPRESSED], "", "No trend: fewer than two months have a figure large enough"),
    ],
)
def test_direction_in_words(points: list[Any], arrow: str, words: str) -> None:
    months = ["Jan 2026", "Feb 2026", "Mar 2026"]
    trend = Table(
        key="t",
        caption="Trend",
        columns=["Month", "%"],
        rows=[[m, p] for m, p in zip(months, points, strict=False)],
        chart_column=1,
        chart_kind="line",
    )
    found_arrow, found_words = questions.direction(trend)
    assert found_arrow == arrow and found_words.startswith(words)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("auditor", lambda cast: reverse("assurance:partnership_dashboard")),
        (
            "auditor",
            lambda cast: reverse("assurance:partnership_question", args=["staff-supervised"]),
        ),
        ("auditor", lambda cast: reverse("assurance:partnership_question", args=["wellbeing"])),
        ("agency_lead", lambda cast: reverse("assurance:agency_dashboard", args=[cast.agency.pk])),
        (
            "agency_lead",
            lambda cast: reverse(
                "assurance:agency_question", args=[cast.agency.pk, "decisions-on-file"]
            ),
        ),
    ],
    ids=["partnership", "partnership question", "partnership more", "agency", "agency question"],
)
def test_dashboard_and_question_pages_query_counts(
    cast: Any, client: Any, django_assert_max_num_queries: Any, role: str, url: Any
) -> None:
    """Cold: every figure computed (the month-end trends among them). Warm: the figures are
    kept, and a question page reads only what the page needs besides."""
    client.force_login(cast.by_name(role))
    target = url(cast)
    with django_assert_max_num_queries(155):
        assert client.get(target).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(target).status_code == 200


def test_every_question_page_passes_the_period_on(cast: Any, client: Any) -> None:
    client.force_login(cast.auditor)
    url = reverse("assurance:partnership_dashboard")
    html = dashboard_html(client, f"{url}?start=2026-01-01&end=2026-03-31")
    assert "1 January 2026 to 31 March 2026" in _text(html)
    links = re.findall(r'href="([^"]*/questions/[^"]*)"', html)
    assert links and all("start=2026-01-01" in unescape(link) for link in links)


def test_the_period_typed_in_day_month_and_year_boxes_is_used(cast: Any, client: Any) -> None:
    client.force_login(cast.auditor)
    boxes = {"start_day": "1", "start_month": "1", "start_year": "2026"}
    boxes |= {"end_day": "31", "end_month": "3", "end_year": "2026"}
    html = client.get(reverse("assurance:partnership_dashboard"), boxes).content.decode()
    assert "Figures for 1 January 2026 to 31 March 2026" in _text(html)


def test_the_board_report_opens_with_the_dashboards_questions(
    cast: Any, client: Any, pinned: dt.date
) -> None:
    import io

    from pypdf import PdfReader

    client.force_login(cast.auditor)
    response = client.get(reverse("assurance:partnership_export", args=["pdf"]))
    assert response["Content-Type"] == "application/pdf"
    first = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    for question in HEADLINES[:2]:
        assert question in first
    assert "of staff supervised within their interval on 15 June 2026" in first
