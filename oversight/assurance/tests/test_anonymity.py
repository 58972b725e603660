"""Issue 9 items 2 and 3: the evaluation shows the answers people gave, and anonymity holds
when two views are compared (docs/decisions/0004-anonymity-and-suppression.md).

The date is pinned to Friday 10 July 2026: the January to June evaluation round and the
April to June pulse quarter have just closed; July to December and July to September are
open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from oversight.assurance.suppression import (
    MINIMUM_GROUP,
    SUPPRESSED,
    WITHHELD,
    complementary,
    is_suppressed,
)
from oversight.people.tests import factories as pf

from .exported import csv_tables, xlsx_tables
from .factories import EvaluationRoundFactory, PulseResponseFactory, answered
from .test_dashboards import csv_blocks, html_tables, with_questions

NOW = dt.datetime(2026, 7, 10, 10, tzinfo=ZoneInfo("Europe/London"))
PUBLISHED_WHEN = "Results are published when the round closes and has at least 5 answers"


@pytest.fixture(autouse=True)
def _july(time_machine: Any) -> Iterator[None]:
    """Autouse, so the clock is pinned before the cast is made."""
    time_machine.move_to(NOW, tick=False)
    yield


def _closed_round(agency: Any) -> Any:
    return EvaluationRoundFactory(
        agency=agency, opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 6, 30)
    )


def _open_round(agency: Any) -> Any:
    return EvaluationRoundFactory(
        agency=agency, opens_on=dt.date(2026, 7, 1), closes_on=dt.date(2026, 12, 31)
    )


def _all(answer: str) -> dict[str, str]:
    return {f"q{n}": answer for n in range(1, 11)}


def _split_40_40_20(round_: Any, supervisor: Any) -> None:
    """Five people: two answer Yes throughout, two Maybe, one No (40% / 40% / 20%)."""
    for answer in ("yes", "yes", "maybe", "maybe", "no"):
        answered(round_, supervisor, 1, **_all(answer))


def _page(client: Any, user: Any, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return with_questions(client, response.content.decode())


def _by_first(rows: list[list[str]]) -> dict[str, list[str]]:
    return {r[0]: r for r in rows[1:]}


# --- Item 2: Yes / Maybe / No in the right columns -----------------------------------------


def test_the_evaluation_shows_yes_maybe_and_no_under_their_own_headings(
    cast: Any, client: Any
) -> None:
    _split_40_40_20(_closed_round(cast.agency), cast.supervisor)

    own = html_tables(_page(client, cast.supervisor, reverse("assurance:evaluation_results")))
    statements = own["evaluation_statements"]
    assert statements[0] == ["Statement", "% Yes", "% Maybe", "% No"]
    assert all(row[1:] == ["40", "40", "20"] for row in statements[1:])

    agency_url = reverse("assurance:agency_dashboard", args=[cast.agency.pk])
    agency = html_tables(_page(client, cast.agency_lead, agency_url))
    assert all(row[1:] == ["40", "40", "20"] for row in agency["evaluation_statements"][1:])

    partnership = html_tables(
        _page(client, cast.auditor, reverse("assurance:partnership_dashboard"))
    )
    evaluation = partnership["evaluation"]
    assert evaluation[0] == ["Agency", "Responses", "% Yes", "% Maybe", "% No"]
    assert _by_first(evaluation)[cast.agency.name][1:] == ["5", "40", "40", "20"]

    exported = csv_tables(client.get(reverse("assurance:partnership_export", args=["csv"])).content)
    block = next(rows for name, rows in exported if "Evaluation of supervision" in name)
    assert _by_first(block)[cast.agency.name][1:] == ["5", "40", "40", "20"]


# --- Item 3a: results move only when a round closes with five or more answers --------------


def test_evaluation_results_are_not_published_while_the_round_is_open(
    cast: Any, client: Any
) -> None:
    answered(_open_round(cast.agency), cast.supervisor, 6, more_of="Talk about Family Zed")

    own = _page(client, cast.supervisor, reverse("assurance:evaluation_results"))
    assert "Talk about Family Zed" not in own
    assert PUBLISHED_WHEN in own
    assert "evaluation_statements" not in html_tables(own)

    agency_url = reverse("assurance:agency_dashboard", args=[cast.agency.pk])
    agency = html_tables(_page(client, cast.agency_lead, agency_url))
    assert all(row[1:] == [SUPPRESSED] * 3 for row in agency["evaluation_statements"][1:])
    partnership = html_tables(
        _page(client, cast.auditor, reverse("assurance:partnership_dashboard"))
    )
    assert _by_first(partnership["evaluation"])[cast.agency.name][1:] == [SUPPRESSED] * 4


def test_a_closed_round_with_fewer_than_five_answers_is_not_published(
    cast: Any, client: Any
) -> None:
    closed = _closed_round(cast.agency)
    answered(closed, cast.supervisor, 4)
    # Four more in the open round: together eight people, but neither round has five.
    answered(_open_round(cast.agency), cast.supervisor, 4)
    partnership = html_tables(
        _page(client, cast.auditor, reverse("assurance:partnership_dashboard"))
    )
    assert _by_first(partnership["evaluation"])[cast.agency.name][1:] == [SUPPRESSED] * 4
    own = _page(client, cast.supervisor, reverse("assurance:evaluation_results"))
    assert PUBLISHED_WHEN in own


def test_one_new_answer_cannot_be_read_off_between_two_page_loads(cast: Any, client: Any) -> None:
    _split_40_40_20(_closed_round(cast.agency), cast.supervisor)
    current = _open_round(cast.agency)
    answered(current, cast.supervisor, 5)
    pages = {
        "own": (cast.supervisor, reverse("assurance:evaluation_results")),
        "agency": (cast.agency_lead, reverse("assurance:agency_dashboard", args=[cast.agency.pk])),
        "partnership": (cast.auditor, reverse("assurance:partnership_dashboard")),
    }
    before = {k: html_tables(_page(client, *v)) for k, v in pages.items()}

    from django.core.cache import cache

    cache.clear()
    answered(current, cast.supervisor, 1, **_all("no"))
    after = {k: html_tables(_page(client, *v)) for k, v in pages.items()}
    for name in pages:
        for key in ("evaluation", "evaluation_statements", "wellbeing"):
            assert before[name].get(key) == after[name].get(key), f"{key} moved on {name}"


def test_a_supervisors_own_results_wait_while_the_rest_of_the_round_is_a_small_group(
    cast: Any, client: Any
) -> None:
    """Seven answered in the round, five about this supervisor: the agency's figures less
    the supervisor's own would give the other two people's answers, so the supervisor's own
    are held back until the rest of the round is empty or five or more."""
    closed = _closed_round(cast.agency)
    answered(closed, cast.supervisor, 5, more_of="More case talk")
    answered(closed, cast.agency_lead, 2)
    own = _page(client, cast.supervisor, reverse("assurance:evaluation_results"))
    assert "More case talk" not in own
    assert PUBLISHED_WHEN in own

    answered(closed, cast.agency_lead, 3)
    own = _page(client, cast.supervisor, reverse("assurance:evaluation_results"))
    assert "More case talk" in own


def test_pulse_results_are_published_only_for_a_closed_quarter_with_five_answers(
    cast: Any, client: Any
) -> None:
    for _ in range(6):
        PulseResponseFactory(agency=cast.agency, quarter_start=dt.date(2026, 4, 1), stress=2)
        PulseResponseFactory(agency=cast.agency, quarter_start=dt.date(2026, 7, 1), stress=4)
    for _ in range(4):
        PulseResponseFactory(agency=cast.agency, quarter_start=dt.date(2026, 1, 1), stress=5)
    rows = {
        (r[0], r[1]): r
        for r in html_tables(
            _page(client, cast.auditor, reverse("assurance:partnership_dashboard"))
        )["wellbeing"][1:]
    }
    assert rows[(cast.agency.name, "Apr 2026")][2:4] == ["6", "2.0"]
    assert rows[(cast.agency.name, "Jul 2026")][2:] == ["Round still open"] * 4
    assert rows[(cast.agency.name, "Jan 2026")][2:] == [SUPPRESSED] * 4


# --- Item 3b: complementary suppression ----------------------------------------------------


def _recoverable(group: list[list[str]], totals: list[str], first: int = 1) -> list[str]:
    """Cells of ``group`` withheld on their own in a column whose total is shown: the total
    less the other rows gives them back."""
    found = []
    for column in range(first, len(totals)):
        withheld = [row for row in group if row[column] in WITHHELD]
        if len(withheld) == 1 and totals[column] not in WITHHELD:
            found.append(f"{withheld[0][0]}, column {column}")
    return found


def _grow_team(cast: Any, name: str, people: int) -> None:
    team = pf.TeamFactory(agency=cast.agency, name=name)
    group = pf.StaffGroupFactory(agency=cast.agency, name=f"{name} staff")
    for _ in range(people):
        pf.MembershipFactory(
            person=pf.PersonFactory(), agency=cast.agency, team=team, staff_group=group
        )


def test_a_small_agency_cannot_be_worked_out_from_the_partnership_total(
    cast: Any, client: Any
) -> None:
    """Five in one agency, three in the other, eight in the partnership: showing the five
    would give away the three."""
    tables = html_tables(_page(client, cast.auditor, reverse("assurance:partnership_dashboard")))
    compliance = tables["staff_compliance"]
    assert compliance[-1][0] == "Partnership" and compliance[-1][1] == "8"
    assert _recoverable(compliance[1:-1], compliance[-1]) == []
    assert _by_first(compliance)[cast.agency.name][1] == "Hidden"
    for month in tables["trend"][1:]:
        assert _recoverable([[c, c] for c in month[2:]], ["", month[1]]) == []


def test_a_small_staff_group_cannot_be_worked_out_from_the_agency_total(
    cast: Any, client: Any
) -> None:
    """Five in the assessment team and its staff group, three in a new one, eight in the
    agency: each split shows neither."""
    _grow_team(cast, "Duty Team", 3)
    url = reverse("assurance:agency_dashboard", args=[cast.agency.pk])
    tables = html_tables(_page(client, cast.agency_lead, url))
    teams, groups = tables["compliance_by_team"], tables["compliance_by_group"]
    total = teams[-1]
    assert total[1] == "8"
    assert _recoverable(teams[1:-1], total) == []
    assert _recoverable(groups[1:], total) == []
    assert _by_first(groups)["Social workers"][1] == "Hidden"


def _export_blocks(client: Any, url: str, fmt: str) -> list[list[list[str]]]:
    response = client.get(url)
    assert response.status_code == 200
    if fmt == "csv":
        return csv_blocks(response.content)
    return [rows for _name, rows in xlsx_tables(response.content)]


@pytest.mark.parametrize("fmt", ["page", "csv", "xlsx"])
def test_no_suppressed_cell_can_be_recomputed_on_any_page_or_export(
    cast: Any, client: Any, fmt: str
) -> None:
    """Every group with a published total, on the page and in each export: the agencies in
    the partnership, the teams and staff groups in an agency, the supervisors by team against
    the agency's supervisors on the partnership page."""
    _grow_team(cast, "Duty Team", 3)
    for _ in range(4):  # four supervisors in the assessment team, one in the duty team
        person = pf.PersonFactory()
        pf.MembershipFactory(person=person, agency=cast.agency, team=cast.team)
        pf.SupervisionRelationshipFactory(supervisor=person, agency=cast.agency)
    client.force_login(cast.agency_lead)
    partnership_url = reverse("assurance:partnership_dashboard")
    agency_url = reverse("assurance:agency_dashboard", args=[cast.agency.pk])

    def tables(url: str, export: str) -> dict[str, list[list[str]]]:
        page = html_tables(with_questions(client, client.get(url).content.decode()))
        if fmt == "page":
            return page
        return dict(zip(page, _export_blocks(client, export, fmt), strict=True))

    exports = ("csv",) if fmt == "page" else (fmt,)
    partnership = tables(partnership_url, reverse("assurance:partnership_export", args=exports))
    agency = tables(agency_url, reverse("assurance:agency_export", args=[cast.agency.pk, *exports]))
    compliance = partnership["staff_compliance"]
    assert _recoverable(compliance[1:-1], compliance[-1]) == []
    for month in partnership["trend"][1:]:
        assert _recoverable([[c, c] for c in month[2:]], ["", month[1]]) == []
    teams = agency["compliance_by_team"]
    assert _recoverable(teams[1:-1], teams[-1]) == []
    assert _recoverable(agency["compliance_by_group"][1:], teams[-1]) == []
    agency_supervisors = _by_first(partnership["supervisors"])[cast.agency.name]
    assert agency_supervisors[1] not in WITHHELD  # six supervisors: a total to subtract from
    assert _recoverable(agency["supervisors"][1:], agency_supervisors) == []


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_no_hidden_cell_can_be_recovered_from_the_shown_cells_and_the_total(
    sizes: list[int],
) -> None:
    """Whatever the group: if anything is hidden, at least two cells are, and together they
    hold five or more, so the total less the shown cells names no cell and no small group."""
    hidden = complementary(sizes) | {n for n, size in enumerate(sizes) if is_suppressed(size)}
    if not hidden or sum(sizes) < MINIMUM_GROUP:
        return  # nothing hidden, or the total is itself suppressed
    shown = [size for n, size in enumerate(sizes) if n not in hidden]
    assert len(hidden) >= 2 or not shown
    assert sum(sizes) - sum(shown) >= MINIMUM_GROUP
    assert all(not is_suppressed(size) for size in shown)
    assert complementary(sizes) == complementary(list(sizes))  # the same figures, the same cells


def test_complementary_suppression_hides_the_next_smallest() -> None:
    assert complementary([3, 40, 6, 9]) == {2}
    assert complementary([1, 1, 30, 8]) == {3}  # two small cells hold only two between them
    assert complementary([3, 2, 30]) == set()  # the two small cells hold five together
    assert complementary([10, 20]) == set()


def test_a_small_escalation_level_cannot_be_worked_out_from_the_escalations_raised(
    cast: Any, client: Any
) -> None:
    """Nineteen raised: six, five and five at three levels, three at the fourth. Showing the
    three larger would give away the three."""
    from oversight.children.models import Escalation, EscalationLevel, EscalationSubject

    for level, count in zip(EscalationLevel, (6, 5, 5, 3), strict=True):
        for _ in range(count):
            Escalation.objects.create(
                agency=cast.agency,
                subject=EscalationSubject.AGENCY_RESPONSE,
                about_agency=cast.other_agency,
                raised_by=cast.supervisor,
                reason="The plan has drifted.",
                what_was_tried="A conversation with the allocated worker.",
                level=level,
            )
    tables = html_tables(_page(client, cast.auditor, reverse("assurance:partnership_dashboard")))
    row = _by_first(tables["drift_escalation"])[cast.agency.name]
    assert row[3] == "19"
    levels = row[4:8]
    assert levels.count(SUPPRESSED) == 1
    assert sum(cell in WITHHELD for cell in levels) == 2
