"""``{% page_querystring "ipage" 2 %}``: the page's query string with one paging parameter
changed, as ``{% querystring ipage=2 %}`` would, for a page paging two lists at once (the
children list and its involvements, issue 17): each list's links keep the other's page and
the search. ``includes/pagination.html`` names its parameter in ``page_param``."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def page_querystring(context: Any, param: str, number: int) -> str:
    return querystring(context, None, **{param: number})
