"""Links are reversed once per process (core.reversing): what ``{% url %}`` writes is what
Django's own tag writes, under a script prefix too, and a name that does not exist is still
an error (issue 17 item 1)."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, Template
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from oversight.core.reversing import reverse_kept


def _render(source: str, **context: object) -> str:
    engine = Engine.get_default()
    return Template(source, engine=engine).render(Context(context))


def test_links_are_the_ones_django_writes() -> None:
    assert _render("{% url 'home' %}") == reverse("home")
    assert _render("{% url 'children:child_detail' 7 %}") == reverse(
        "children:child_detail", args=[7]
    )
    assert _render("{% url 'children:child_detail' pk=n %}", n=8) == reverse(
        "children:child_detail", kwargs={"pk": 8}
    )
    assert _render("{% url 'home' as link %}[{{ link }}]") == f"[{reverse('home')}]"


def test_a_link_follows_the_script_prefix_it_is_served_under() -> None:
    assert reverse_kept("home") == "/"
    set_script_prefix("/oversight/")
    try:
        assert reverse_kept("home") == "/oversight/"
        assert _render("{% url 'home' %}") == "/oversight/"
    finally:
        clear_script_prefix()
    assert reverse_kept("home") == "/"


def test_an_unknown_name_is_still_an_error() -> None:
    with pytest.raises(NoReverseMatch):
        _render("{% url 'no-such-page' %}")
    assert _render("{% url 'no-such-page' as link %}[{{ link }}]") == "[]"
