"""Issue 10 items 6 and 7 across the service: every submit button ignores a double click, and
every date field in every form is held to a plausible range."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.apps import apps
from django.conf import settings

from oversight.core.forms import SESSION_DATE, GovukForm, GovukFormMixin, PlausibleDateField

ROOT = Path(settings.BASE_DIR)
BUTTON = re.compile(r"<button\b[^>]*>", re.S)


def _templates() -> list[Path]:
    return sorted(
        [*ROOT.glob("templates/**/*.html"), *ROOT.glob("oversight/*/templates/**/*.html")]
    )


def test_every_submit_button_ignores_a_double_click() -> None:
    """GOV.UK Frontend's button module, with ``data-prevent-double-click``, drops a second
    click within a second (issue 10 item 6). The sign-out link button is left alone: signing
    out twice does no harm."""
    missing = []
    for path in _templates():
        for tag in BUTTON.findall(path.read_text()):
            if 'type="button"' in tag or "govuk-button" not in tag:
                continue
            if (
                'data-module="govuk-button"' not in tag
                or 'data-prevent-double-click="true"' not in tag
            ):
                missing.append(f"{path.relative_to(ROOT)}: {tag}")
    assert not missing, "\n".join(missing)
    assert sum(len(BUTTON.findall(p.read_text())) for p in _templates()) > 30


def _form_classes() -> list[Any]:
    found: list[Any] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("oversight."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        found.extend(
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
        )
    return found


def test_every_form_with_a_date_field_holds_it_to_a_plausible_range() -> None:
    """A GOV.UK form gives every date field without its own range 1900–2100, so every form
    with a date field must be one."""
    dated = [
        cls
        for cls in _form_classes()
        if any(isinstance(f, forms.DateField) for f in cls.base_fields.values())
    ]
    assert len(dated) > 15
    assert [cls for cls in dated if not issubclass(cls, GovukFormMixin)] == []


class _Dates(GovukForm):
    on = forms.DateField()
    session_on = PlausibleDateField(dates=SESSION_DATE)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("0001-01-01", "Enter a date on or after 1 January 1900."),
        ("1899-12-31", "Enter a date on or after 1 January 1900."),
        ("2101-01-01", "Enter a date on or before 31 December 2100."),
        ("9999-12-31", "Enter a date on or before 31 December 2100."),
    ],
)
def test_a_date_field_refuses_a_year_before_1900_or_after_2100(typed: str, error: str) -> None:
    form = _Dates(data={"on": typed, "session_on": "2026-11-17"})
    with time_machine.travel(dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))):
        assert not form.is_valid()
    assert form.errors == {"on": [error]}
    assert f'value="{typed}"' in str(form["on"])


@pytest.mark.parametrize(
    ("today", "earliest", "latest"),
    [
        (dt.datetime(2028, 2, 29, 9), "2023-02-28", "2030-02-28"),
        (dt.datetime(2026, 12, 1, 9), "2021-12-01", "2028-12-01"),
    ],
)
def test_session_dates_run_from_five_years_back_to_two_years_ahead(
    today: dt.datetime, earliest: str, latest: str
) -> None:
    with time_machine.travel(today.replace(tzinfo=ZoneInfo("Europe/London")), tick=False):
        for day, ok in ((earliest, True), (latest, True)):
            assert _Dates(data={"on": day, "session_on": day}).is_valid() is ok
        before = dt.date.fromisoformat(earliest) - dt.timedelta(days=1)
        after = dt.date.fromisoformat(latest) + dt.timedelta(days=1)
        assert not _Dates(data={"on": earliest, "session_on": before.isoformat()}).is_valid()
        assert not _Dates(data={"on": earliest, "session_on": after.isoformat()}).is_valid()


def test_errors_are_in_our_own_words_and_name_the_field() -> None:
    """Issue 12 item 4: never Django's "Ensure this value is less than or equal to 92."."""
    from django import forms as django_forms

    from oversight.core.forms import GovukForm

    class Settings(GovukForm):
        days = django_forms.IntegerField(label="Days before the review", max_value=92)
        agency = django_forms.ChoiceField(label="Agency", choices=[("a", "A")])
        on = django_forms.DateField(label="Date of the meeting")
        reason = django_forms.CharField(label="Reason", max_length=5)
        kept = django_forms.IntegerField(
            label="Kept", error_messages={"required": "Say how many were kept"}
        )

    form = Settings(data={"days": "93", "agency": "z", "on": "31/02/2026", "reason": "x" * 6})
    assert not form.is_valid()
    assert form.errors == {
        "days": ["Days before the review must be 92 or less"],
        "agency": ["Select agency from the choices given"],
        "on": ["Date of the meeting must be a real date"],
        "reason": ["Reason must be 5 characters or fewer"],
        "kept": ["Say how many were kept"],
    }
    assert Settings(data={})["days"].errors == ["Enter days before the review"]


def test_the_glossary_explains_the_words_the_pages_use(cast: Any, client: Any) -> None:
    client.force_login(cast.practitioner)
    home = client.get("/").content.decode()
    assert 'href="/help/words-we-use/"' in home  # in the footer of every page
    page = client.get("/help/words-we-use/").content.decode()
    for anchor, term in (
        ("rag", "RAG rating"),
        ("drift", "Drift"),
        ("child-in-need", "Child in need"),
    ):
        assert f'id="{anchor}">{term}</dt>' in page


def test_dates_are_typed_in_day_month_and_year_boxes_and_kept_as_typed() -> None:
    """Issue 12 item 4: the GOV.UK date input. "3 1 2026" is the 3rd of January, never
    1 March; a date that is not real is refused naming the field, and the boxes keep what
    was typed."""
    from django import forms as django_forms

    from oversight.core.forms import DateInput, GovukForm

    class Planned(GovukForm):
        on = django_forms.DateField(label="Date of the session", widget=DateInput())

    form = Planned(data={"on_day": "3", "on_month": "1", "on_year": "2026"})
    assert form.is_valid() and form.cleaned_data["on"] == dt.date(2026, 1, 3)
    assert Planned(data={"on": "2026-01-03"}).is_valid()  # one ISO value still reads
    bad = Planned(data={"on_day": "31", "on_month": "2", "on_year": "2026"})
    assert not bad.is_valid()
    assert bad.error_summary() == [("#id_on_day", "Date of the session must be a real date")]
    html = str(bad["on"])
    for part, typed in (("day", "31"), ("month", "2"), ("year", "2026")):
        assert f'name="on_{part}" value="{typed}"' in html
        assert f'<label class="govuk-label govuk-date-input__label" for="id_on_{part}">' in html
    assert "govuk-input--error" in html
    empty = Planned(data={"on_day": "", "on_month": "", "on_year": ""})
    assert not empty.is_valid() and empty.errors["on"] == ["Enter date of the session"]
