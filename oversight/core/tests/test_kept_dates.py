"""``|date`` compiles each format once (core.templatetags.kept_dates) and writes exactly what
Django's filter writes: for every format our templates use, any date or time of day, in
summer and winter time (issue 17 item 1)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import Context, Engine, Template
from django.template.defaultfilters import date as django_date
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from oversight.core.templatetags.kept_dates import date as kept_date

ROOT = Path(settings.BASE_DIR)
FORMAT = re.compile(r"""\|date:(?:"([^"]*)"|'([^']*)')""")


def _formats_in_templates() -> list[str]:
    found = set()
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("oversight/**/templates/**/*.html")]:
        for match in FORMAT.finditer(path.read_text()):
            found.add(match.group(1) or match.group(2))
    return sorted(found)


FORMATS = _formats_in_templates()
# Formats Django must still answer: other letters, an escape, a setting's name.
OTHERS = ["N j, Y", r"j \o\f F", "DATE_FORMAT", "SHORT_DATE_FORMAT", "D jS", "P", "c"]
INSTANTS = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2060, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=dt.UTC)
)


def _render(source: str, **context: object) -> str:
    return Template(source, engine=Engine.get_default()).render(Context(context))


def test_the_templates_use_formats_worth_compiling() -> None:
    engine = Engine.get_default()
    filters = {}
    for library in engine.template_builtins:
        filters.update(library.filters)
    assert filters["date"] is kept_date
    assert {"j M Y", "j F Y", "j F Y, H:i", "H:i"} <= set(FORMATS)


@hypothesis_settings(max_examples=300, deadline=None)
@given(moment=INSTANTS, format_string=st.sampled_from(FORMATS + OTHERS))
def test_a_date_and_time_is_written_as_django_writes_it(
    moment: dt.datetime, format_string: str
) -> None:
    local = timezone.localtime(moment)
    assert kept_date(local, format_string) == django_date(local, format_string)
    assert kept_date(local.replace(tzinfo=None), format_string) == django_date(
        local.replace(tzinfo=None), format_string
    )


@hypothesis_settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1)), format_string=st.sampled_from(FORMATS))
def test_a_date_is_written_as_django_writes_it(day: dt.date, format_string: str) -> None:
    try:
        expected: str | type[Exception] = django_date(day, format_string)
    except TypeError:  # a time of day asked of a date: Django's own error, not a blank
        expected = TypeError
    if expected is TypeError:
        try:
            kept_date(day, format_string)
        except TypeError:
            return
        raise AssertionError(f"{format_string!r} of a date should fail as Django's does")
    assert kept_date(day, format_string) == expected


def test_other_values_are_answered_by_django() -> None:
    values: tuple[Any, ...] = (None, "", "2026-12-07", dt.time(14, 5), 7)
    for value in values:
        for format_string in ("j M Y", "H:i", None):
            assert kept_date(value, format_string) == django_date(value, format_string)
    assert kept_date(dt.date(2026, 12, 7)) == django_date(dt.date(2026, 12, 7)) == "7 Dec 2026"


def test_pages_show_the_local_time_through_the_filter() -> None:
    """What a page shows: the template's own |date, in UK time (summer time in June)."""
    summer = dt.datetime(2026, 6, 1, 13, 5, tzinfo=dt.UTC)
    winter = dt.datetime(2026, 12, 1, 13, 5, tzinfo=dt.UTC)
    source = '{{ at|date:"j F Y, H:i" }} {{ at|date:"j F Y, g:ia" }} {{ at|date:"l j F Y, H:i" }}'
    assert _render(source, at=summer) == (
        "1 June 2026, 14:05 1 June 2026, 2:05p.m. Monday 1 June 2026, 14:05"
    )
    assert _render(source, at=winter) == (
        "1 December 2026, 13:05 1 December 2026, 1:05p.m. Tuesday 1 December 2026, 13:05"
    )
    assert _render('{{ day|date:"j M Y"|default:"Never" }}', day=None) == "Never"
