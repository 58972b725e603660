"""``|date`` as Django writes it, with each format compiled once per process (issue 17 item 1).

Registered as a template builtin after Django's own (settings.TEMPLATES), so it stands in for
Django's filter everywhere without touching each template, as ``kept_urls`` does for
``{% url %}``. Lists show two or three dates a row: Django's filter splits the format with a
regular expression and builds a formatter object for every date, which came to about a
twentieth of a page's CPU on the children and sessions lists. Here a format made only of the
letters below is split once and each date is written from the parts; anything else (another
letter, an escape, a value that is not a plain date or date and time, a time letter given a
date) goes to Django's filter, which answers as it always has. ``tests/test_kept_dates.py``
holds the two equal for every format our templates use."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import dates
from django.utils.translation import get_language, gettext

register = template.Library()

_DATE_PARTS: dict[str, Callable[[dt.date, dict[str, Any]], str]] = {
    "j": lambda d, n: str(d.day),
    "d": lambda d, n: f"{d.day:02d}",
    "m": lambda d, n: f"{d.month:02d}",
    "Y": lambda d, n: f"{d.year:04d}",
    "M": lambda d, n: n["M"][d.month],
    "F": lambda d, n: n["F"][d.month],
    "l": lambda d, n: n["l"][d.weekday()],
}
_TIME_PARTS: dict[str, Callable[[Any, dict[str, Any]], str]] = {
    "H": lambda d, n: f"{d.hour:02d}",
    "i": lambda d, n: f"{d.minute:02d}",
    "g": lambda d, n: str(d.hour % 12 or 12),
    "a": lambda d, n: n["pm"] if d.hour > 11 else n["am"],
}
# Django's own list of the letters that mean something (django.utils.dateformat).
_LETTERS = re.compile(r"([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")


@functools.cache
def _compiled(format_string: str) -> tuple[tuple[Any, ...], bool] | None:
    """The format's pieces (literal text, or a part's writer) and whether it needs a time;
    None when Django's filter must answer."""
    if "\\" in format_string:
        return None
    pieces: list[Any] = []
    timed = False
    for i, piece in enumerate(_LETTERS.split(format_string)):
        if not i % 2:
            if piece:
                pieces.append(piece)
        elif piece in _DATE_PARTS:
            pieces.append(_DATE_PARTS[piece])
        elif piece in _TIME_PARTS:
            pieces.append(_TIME_PARTS[piece])
            timed = True
        else:
            return None
    return tuple(pieces), timed


@functools.cache
def _names(language: str | None) -> dict[str, Any]:
    """Month, weekday and a.m./p.m. words in ``language``, as Django's formatter reads them
    (the active language: ``language`` is only the key)."""
    return {
        "M": {k: str(v).title() for k, v in dates.MONTHS_3.items()},
        "F": {k: str(v) for k, v in dates.MONTHS.items()},
        "l": {k: str(v) for k, v in dates.WEEKDAYS.items()},
        "am": gettext("a.m."),
        "pm": gettext("p.m."),
    }


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter, answered from the compiled format when it can be."""
    kind = type(value)
    if arg is not None and (kind is dt.datetime or kind is dt.date):
        compiled = _compiled(arg)
        if compiled is not None and (kind is dt.datetime or not compiled[1]):
            names = _names(get_language())
            return "".join(
                piece if type(piece) is str else piece(value, names) for piece in compiled[0]
            )
    return str(django_date(value, arg))
