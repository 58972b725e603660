"""The figures assurance reads: counts only, by agency and period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from oversight.children import selectors, services
from oversight.children.tests.factories import ChildFactory, ReviewMeetingFactory, discussion
from oversight.core.testing import today_is
from oversight.core.workdays import add_working_days

pytestmark = pytest.mark.django_db

# The day these tests are set on: pinned, since CI runs the suite at several clock dates.
TODAY = dt.date(2026, 11, 17)  # a Tuesday


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def test_cadence_and_review_meeting_figures(cast):
    discussed = ChildFactory(agency=cast.agency, legal_status_since=ago(200))
    discussion(discussed, ago(20))
    ChildFactory(agency=cast.agency, legal_status_since=ago(200))
    ChildFactory(agency=cast.agency, legal_status="early_help", legal_status_since=ago(200))
    ReviewMeetingFactory(child=discussed, meets_on=ago(10))
    ReviewMeetingFactory(child=discussed, meets_on=ago(150))
    figures = selectors.cadence_figures(agency_ids={cast.agency.pk}, on=TODAY)
    assert (figures.in_cadence, figures.within_cadence, figures.overdue) == (2, 1, 1)
    assert figures.never_discussed == 1
    meetings = selectors.review_meeting_figures(
        agency_ids={cast.agency.pk}, start=ago(365), end=TODAY
    )
    assert meetings == {"meetings": 2, "discussed_before": 1}
    assert selectors.children_counts_by_status(agency_ids={cast.agency.pk}) == {
        "child_in_need": 2,
        "early_help": 1,
    }


def test_drift_and_escalation_figures(cast):
    child = ChildFactory(agency=cast.agency, legal_status_since=ago(400))
    for days, rag in ((90, "green"), (30, "red")):
        discussion(child, ago(days), rag=rag)
    (flag,) = services.drift_evaluate(child=child)
    services.drift_flag_acknowledge(flag=flag, actor=cast.supervisor, decision="Plan changed")
    escalation = services.escalation_raise(
        actor=cast.practitioner,
        agency=cast.agency,
        subject="agency_response",
        about_agency=cast.other_agency,
        reason="r",
        what_was_tried="w",
    )
    services.escalation_resolve(escalation=escalation, actor=cast.supervisor, outcome="Agreed")
    drift = selectors.drift_flag_figures(agency_ids={cast.agency.pk}, start=ago(7), end=TODAY)
    assert drift == {"raised": 1, "resolved": 1, "open": 0, "raised_by_rule": {"worsening": 1}}
    for agency in (cast.agency, cast.other_agency):
        figures = selectors.escalation_figures(agency_ids={agency.pk}, start=ago(7), end=TODAY)
        assert figures["raised"] == 1 and figures["resolved"] == 1
        assert figures["by_level"] == {"supervisor": 1}


def test_decisions_on_file_figures(cast):
    from oversight.supervision.models import Decision, ManagementOversight

    child = ChildFactory(agency=cast.agency)
    decided = ago(20)
    due = add_working_days(decided, 2)
    oversight = ManagementOversight.objects.create(
        child=child, agency=cast.agency, made_by=cast.line_manager, made_on=decided
    )
    for recorded in (decided, due + dt.timedelta(days=3), None):
        Decision.objects.create(
            management_oversight=oversight,
            child=child,
            agency=cast.agency,
            decided_on=decided,
            decided_by=cast.supervisor,
            decision="d",
            rationale="r",
            file_due_on=due,
            recorded_on_file_at=timezone.make_aware(dt.datetime.combine(recorded, dt.time(12)))
            if recorded
            else None,
        )
    figures = selectors.decisions_on_file_figures(
        agency_ids={cast.agency.pk}, start=ago(30), end=TODAY, today=TODAY
    )
    assert figures == {"decisions": 3, "on_time": 1, "late": 1, "overdue": 1}
    waiting = selectors.decisions_waiting_for_file(
        selectors.children_visible_to(cast.practitioner).model.objects.all(), today=TODAY
    )
    assert len(waiting) == 1


def test_figures_by_agency_match_each_agency_asked_alone(cast):
    """The dashboards ask for every agency at once; each agency's figures are those it would
    get alone (an escalation between two agencies counts for both)."""
    for agency, days in ((cast.agency, 20), (cast.other_agency, 120)):
        child = ChildFactory(agency=agency, legal_status_since=ago(200))
        discussion(child, ago(days))
        ReviewMeetingFactory(child=child, meets_on=ago(5))
    services.escalation_raise(
        actor=cast.practitioner,
        agency=cast.agency,
        subject="agency_response",
        about_agency=cast.other_agency,
        reason="r",
        what_was_tried="w",
    )
    ids = {cast.agency.pk, cast.other_agency.pk}
    start, end = ago(60), TODAY
    cadence = selectors.cadence_figures_by_agency(agency_ids=ids, on=TODAY)
    meetings = selectors.review_meeting_figures_by_agency(agency_ids=ids, start=start, end=end)
    drift = selectors.drift_flag_figures_by_agency(agency_ids=ids, start=start, end=end)
    escalations = selectors.escalation_figures_by_agency(agency_ids=ids, start=start, end=end)
    decisions = selectors.decisions_on_file_figures_by_agency(
        agency_ids=ids, start=start, end=end, today=TODAY
    )
    for agency_id in ids:
        alone = {agency_id}
        assert cadence[agency_id] == selectors.cadence_figures(agency_ids=alone, on=TODAY)
        assert meetings[agency_id] == selectors.review_meeting_figures(
            agency_ids=alone, start=start, end=end
        )
        figures = selectors.drift_flag_figures(agency_ids=alone, start=start, end=end)
        assert drift[agency_id] == {k: figures[k] for k in ("raised", "resolved", "open")}
        assert escalations[agency_id] == selectors.escalation_figures(
            agency_ids=alone, start=start, end=end
        )
        assert decisions[agency_id] == selectors.decisions_on_file_figures(
            agency_ids=alone, start=start, end=end, today=TODAY
        )
    assert cadence[cast.agency.pk].within_cadence == 1
    assert cadence[cast.other_agency.pk].overdue == 1
    assert escalations[cast.agency.pk]["raised"] == escalations[cast.other_agency.pk]["raised"] == 1


# --- Discussed before the review meeting (seed 004 objective 4) -----------------------------

# Friday 6 November 2026: ten working days before it is Friday 23 October, five is Friday 30
# October.
MEETING = dt.date(2026, 11, 6)


def _child_with(agency, *, discussed: list[dt.date], meetings: list[dt.date]):
    child = ChildFactory.create(agency=agency, legal_status_since=dt.date(2026, 1, 5))
    for on in discussed:
        discussion(child, on)
    for on in meetings:
        ReviewMeetingFactory(child=child, meets_on=on)
    return child


def test_an_older_discussion_is_not_counted_as_discussed_before_the_review_meeting(cast):
    """Discussed on 1 September, two months before the 6 November meeting and outside its
    window: that meeting was not discussed before. The other child's 28 October discussion
    is inside the window."""
    _child_with(cast.agency, discussed=[dt.date(2026, 9, 1)], meetings=[MEETING])
    _child_with(cast.agency, discussed=[dt.date(2026, 10, 28)], meetings=[MEETING])
    figures = selectors.review_meeting_figures(
        agency_ids={cast.agency.pk}, start=dt.date(2026, 8, 1), end=TODAY
    )
    assert figures == {"meetings": 2, "discussed_before": 1}


def test_the_discussed_before_figure_uses_each_agencys_window(cast):
    """The window is the agency's setting: five working days in one agency (from 30
    October), the default ten in the other (from 23 October)."""
    from oversight.children.tests.factories import DriftSettingsFactory

    DriftSettingsFactory(agency=cast.agency, pre_review_working_days=5)
    for agency in (cast.agency, cast.other_agency):
        _child_with(agency, discussed=[dt.date(2026, 10, 28)], meetings=[MEETING])
    found = selectors.review_meeting_figures_by_agency(
        agency_ids={cast.agency.pk, cast.other_agency.pk}, start=dt.date(2026, 8, 1), end=TODAY
    )
    assert found[cast.agency.pk] == {"meetings": 1, "discussed_before": 0}
    assert found[cast.other_agency.pk] == {"meetings": 1, "discussed_before": 1}


def test_a_child_whose_review_window_is_open_is_counted_to_discuss_before_the_review(cast):
    """Next meeting Friday 27 November 2026 (window from 13 November); last discussed in
    September: flagged. Another child was discussed on 16 November, inside the window."""
    _child_with(cast.agency, discussed=[dt.date(2026, 9, 20)], meetings=[dt.date(2026, 11, 27)])
    _child_with(cast.agency, discussed=[dt.date(2026, 11, 16)], meetings=[dt.date(2026, 11, 27)])
    figures = selectors.cadence_figures(agency_ids={cast.agency.pk}, on=TODAY)
    assert figures.in_cadence == 2
    assert figures.discuss_before_review == 1
