"""URLs reversed once per process (issue 17 item 1: what every page pays). A page writes
30 to 50 links with ``{% url %}``, and Django works each out again every time, about 0.1 ms
each: 3 to 4 ms of every request's CPU went on links whose text never changes while the
process runs. ``reverse_kept`` answers a repeated question from memory; the ``{% url %}`` tag
uses it (``templatetags.kept_urls``, a template builtin)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_PLAIN = (int, str)


def reverse_kept(
    viewname: Any,
    *,
    args: list[Any] | tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """``django.urls.reverse``, remembered per process for links whose arguments are plain
    numbers or text (anything else, a model say, is reversed each time: its text could
    change while its identity does not)."""
    kwargs = kwargs or {}
    if not isinstance(viewname, str) or not all(
        isinstance(value, _PLAIN) for value in (*args, *kwargs.values())
    ):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    return _reversed(
        viewname,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )


@lru_cache(maxsize=16384)
def _reversed(
    viewname: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    prefix: str,
    urlconf: str,
) -> str:
    return reverse(
        viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )
