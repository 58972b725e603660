"""Referrals for specialist assessment (seed 004, issue 15 item 14) and serious case review
themes (seed 004 Introduction, seed 002; item 15) on the agency and partnership dashboards,
with small numbers withheld and no cell worked out by subtraction (decision 0004)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from oversight.assurance.suppression import HIDDEN, SUPPRESSED
from oversight.core.testing import today_is
from oversight.supervision.tests.factories import CaseDiscussionFactory, SessionFactory

from .test_dashboards import dashboard_html, html_tables

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 16)


@pytest.fixture
def discussed(cast: Any) -> Any:
    """Six discussions in the agency (five referred, two on lack of challenge) and two in the
    other agency, all considering professional curiosity, a fortnight before ``DAY``."""
    with today_is(DAY - dt.timedelta(days=14)):
        for n in range(6):
            session = SessionFactory(agency=cast.agency, held=True)
            CaseDiscussionFactory(
                record__session=session,
                specialist_referral=n < 5,
                review_themes=["professional_curiosity", *(["lack_of_challenge"] * (n < 2))],
            )
        for _ in range(2):
            session = SessionFactory(agency=cast.other_agency, held=True)
            CaseDiscussionFactory(record__session=session, review_themes=["professional_curiosity"])
    return cast


def _tables(client: Any, person: Any, url: str) -> dict[str, list[list[str]]]:
    client.force_login(person)
    with today_is(DAY):
        return html_tables(dashboard_html(client, url))


def test_the_agency_dashboard_counts_referrals_and_themes(discussed: Any, client: Any) -> None:
    cast = discussed
    tables = _tables(
        client, cast.agency_lead, reverse("assurance:agency_dashboard", args=[cast.agency.pk])
    )
    referrals = {r[0]: r[1:] for r in tables["specialist_referrals"][1:]}
    assert referrals[cast.agency.name] == ["6", "5", "83"]
    themes = {r[0]: r[1:] for r in tables["review_themes"][1:]}
    assert themes["Professional curiosity"] == ["6"]
    assert themes["Lack of challenge"] == [SUPPRESSED]
    assert themes["Disguised compliance"] == [SUPPRESSED]
    assert len(themes) == 10


def test_the_partnership_dashboard_withholds_small_groups_and_what_would_give_them_away(
    discussed: Any, client: Any
) -> None:
    cast = discussed
    tables = _tables(client, cast.auditor, reverse("assurance:partnership_dashboard"))
    referrals = {r[0]: r[1:] for r in tables["specialist_referrals"][1:]}
    assert referrals[cast.other_agency.name] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    assert referrals[cast.agency.name] == ["6", "5", "83"]
    header = tables["review_themes"][0]
    assert header[-1] == "Partnership"
    themes = {r[0]: dict(zip(header[1:], r[1:], strict=True)) for r in tables["review_themes"][1:]}
    curiosity = themes["Professional curiosity"]
    # Two in the other agency: withheld, and the agency's six hidden beside them, since the
    # total of eight is shown.
    assert curiosity[cast.other_agency.name] == SUPPRESSED
    assert curiosity[cast.agency.name] == HIDDEN
    assert curiosity["Partnership"] == "8"
    assert themes["Lack of challenge"]["Partnership"] == SUPPRESSED


def test_discussions_outside_the_period_are_not_counted(discussed: Any, client: Any) -> None:
    cast = discussed
    url = reverse("assurance:agency_dashboard", args=[cast.agency.pk])
    client.force_login(cast.agency_lead)
    with today_is(DAY + dt.timedelta(days=200)):
        html = dashboard_html(client, url)
    referrals = {r[0]: r[1:] for r in html_tables(html)["specialist_referrals"][1:]}
    assert referrals[cast.agency.name] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]


def test_people_without_the_dashboard_see_no_figures(discussed: Any, client: Any) -> None:
    cast = discussed
    client.force_login(cast.other_lead)
    url = reverse("assurance:agency_dashboard", args=[cast.agency.pk])
    assert client.get(url).status_code == 403
