"""Evaluation of supervision (seed 004 Appendix I), the wellbeing pulse and workforce
figures: anonymous answers, one per round, results only from five."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.assurance.models import (
    EVALUATION_STATEMENTS,
    EvaluationParticipation,
    EvaluationResponse,
    EvaluationRound,
    PulseParticipation,
    PulseResponse,
    WorkforceFigure,
)
from oversight.assurance.periods import quarter_start
from oversight.assurance.services import evaluation_round_for
from oversight.people.tests import factories as pf

from .factories import (
    EvaluationParticipationFactory,
    EvaluationResponseFactory,
    EvaluationRoundFactory,
    answered,
)

ALL_YES = {f"q{n}": "yes" for n in range(1, 11)}


def _relationship(cast: Any) -> Any:
    return cast.practitioner.supervisions_received.get()


def test_the_form_asks_the_ten_statements_verbatim(cast: Any, client: Any) -> None:
    client.force_login(cast.practitioner)
    html = client.get(
        reverse("assurance:evaluation_form", args=[_relationship(cast).pk])
    ).content.decode()
    for statement in EVALUATION_STATEMENTS:
        assert statement in html
    assert "We need more of" in html and "We need less of" in html
    for answer in ("Yes", "No", "Maybe"):
        assert answer in html


def test_answers_are_stored_without_the_respondent_and_only_once(cast: Any, client: Any) -> None:
    client.force_login(cast.practitioner)
    url = reverse("assurance:evaluation_form", args=[_relationship(cast).pk])
    response = client.post(url, {**ALL_YES, "more_of": "Reflection", "less_of": ""})
    assert response.status_code == 302
    answer = EvaluationResponse.objects.get()
    assert answer.created_by_id is None and answer.modified_by_id is None
    assert answer.supervisor_id == cast.supervisor.pk
    assert answer.more_of == "Reflection"
    assert answer.created_at.time().hour == 12  # day only: cannot be matched by time
    participation = EvaluationParticipation.objects.get()
    assert participation.respondent_id == cast.practitioner.pk
    assert not any(
        f.name in ("response", "answers") for f in EvaluationParticipation._meta.get_fields()
    )

    again = client.post(url, {**ALL_YES, "more_of": "Again"})
    assert "You have already evaluated this supervision in this round." in again.content.decode()
    assert EvaluationResponse.objects.count() == 1


def test_a_missing_answer_is_explained_and_typed_text_kept(cast: Any, client: Any) -> None:
    client.force_login(cast.practitioner)
    answers = {**ALL_YES}
    del answers["q7"]
    response = client.post(
        reverse("assurance:evaluation_form", args=[_relationship(cast).pk]),
        {**answers, "more_of": "Time to think"},
    )
    html = response.content.decode()
    assert "Choose Yes, No or Maybe for statement 7" in html
    assert "Time to think" in html
    assert not EvaluationResponse.objects.exists()


def test_home_prompts_the_supervisee_until_they_answer(cast: Any, client: Any) -> None:
    client.force_login(cast.practitioner)
    form = reverse("assurance:evaluation_form", args=[_relationship(cast).pk])
    home = client.get(reverse("home")).content.decode()
    assert "1 evaluation of your supervision to give" in home and form in home
    client.post(form, {**ALL_YES})
    home = client.get(reverse("home")).content.decode()
    assert "evaluation of your supervision to give" not in home


def _last_round(agency: Any) -> Any:
    """The agency's round before the one open today: closed, so its results are published."""
    from oversight.assurance.periods import round_bounds

    opens, _ = round_bounds(timezone.localdate(), 6)
    opens, closes = round_bounds(opens - dt.timedelta(days=1), 6)
    return EvaluationRoundFactory(agency=agency, opens_on=opens, closes_on=closes)


@pytest.mark.parametrize(("answers", "shown"), [(4, False), (5, True)])
def test_supervisor_sees_own_results_only_from_five(
    cast: Any, client: Any, answers: int, shown: bool
) -> None:
    answered(_last_round(cast.agency), cast.supervisor, answers, more_of="More case talk")
    client.force_login(cast.supervisor)
    html = client.get(reverse("assurance:evaluation_results")).content.decode()
    assert ("More case talk" in html) is shown
    assert ("100" in html) is shown
    if not shown:
        assert "No round in the last 12 months can be shown yet" in html


def test_agency_sets_how_often_evaluation_is_asked(cast: Any, client: Any) -> None:
    client.force_login(cast.agency_lead)
    url = reverse("assurance:agency_settings", args=[cast.agency.pk])
    assert 'value="6"' in client.get(url).content.decode()
    bad = client.post(url, {"interval_months": "40"})
    assert "Enter a number of months from 1 to 24" in bad.content.decode()
    assert client.post(url, {"interval_months": "3"}).status_code == 302
    round_ = evaluation_round_for(
        agency_id=cast.agency.pk, on=__import__("datetime").date(2026, 5, 10)
    )
    assert (round_.opens_on.month, round_.closes_on.month) == (4, 6)
    assert EvaluationRound.objects.count() == 1


def test_pulse_is_optional_anonymous_and_once_a_quarter(cast: Any, client: Any) -> None:
    client.force_login(cast.practitioner)
    url = reverse("assurance:agency_pulse", args=[cast.agency.pk])
    assert client.get(reverse("assurance:pulse"))["Location"] == url
    empty = client.post(url, {"stress": "", "resilience": "", "reflection": ""})
    assert "Answer at least one question" in empty.content.decode()
    assert client.post(url, {"stress": "4", "resilience": "", "reflection": "2"}).status_code == 302
    pulse = PulseResponse.objects.get()
    assert (pulse.stress, pulse.resilience, pulse.reflection) == (4, None, 2)
    assert pulse.created_by_id is None
    assert PulseParticipation.objects.filter(respondent=cast.practitioner).exists()
    assert "You have answered the pulse this quarter" in client.get(url).content.decode()


def test_lead_enters_workforce_figures_with_clear_errors(cast: Any, client: Any) -> None:
    from django.utils import timezone

    client.force_login(cast.agency_lead)
    url = reverse("assurance:workforce", args=[cast.agency.pk])
    quarter = quarter_start(timezone.localdate()).isoformat()
    bad = client.post(
        url,
        {
            "quarter": quarter,
            "funded_posts": "10",
            "vacant_posts": "12",
            "sickness_days_lost": "5",
            "work_related_sickness_days_lost": "9",
        },
    )
    html = bad.content.decode()
    assert "Vacant posts cannot be more than funded posts" in html
    assert "Work-related days cannot be more than all days lost to sickness" in html
    assert 'value="12"' in html
    good = {
        "quarter": quarter,
        "funded_posts": "40",
        "vacant_posts": "4",
        "sickness_days_lost": "50.5",
        "work_related_sickness_days_lost": "10",
    }
    assert client.post(url, good).status_code == 302
    figure = WorkforceFigure.objects.get()
    assert figure.vacant_posts == 4
    stale = client.post(url, {**good, "vacant_posts": "6", "version": "0"})
    assert "Someone else changed this record while you were editing it" in stale.content.decode()
    assert 'value="6"' in stale.content.decode()


def test_the_same_people_answering_in_two_rounds_count_once(cast: Any, client: Any) -> None:

    from oversight.assurance.periods import add_months

    last = _last_round(cast.agency)
    rounds = [
        last,
        EvaluationRoundFactory(
            agency=cast.agency,
            opens_on=add_months(last.opens_on, -6),
            closes_on=last.opens_on - dt.timedelta(days=1),
        ),
    ]
    people = [pf.PersonFactory() for _ in range(3)]
    for round_ in rounds:
        for person in people:
            EvaluationParticipationFactory(
                round=round_, respondent=person, supervisor=cast.supervisor
            )
            EvaluationResponseFactory(round=round_, supervisor=cast.supervisor, more_of="Hidden")
    client.force_login(cast.supervisor)
    html = client.get(reverse("assurance:evaluation_results")).content.decode()
    assert "No round in the last 12 months can be shown yet" in html
    assert "Hidden" not in html


def test_a_quarter_without_workforce_figures_says_so_in_every_column(cast: Any) -> None:
    from oversight.assurance.selectors.wellbeing import workforce_table

    table = workforce_table([cast.agency], timezone.localdate())
    for row in table.rows:
        assert row[2:] == ["Not entered"] * 4  # no blank cell for a screen reader to skip
