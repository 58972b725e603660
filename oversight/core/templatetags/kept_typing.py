"""``{% csrf_token %}`` as every form already writes it, plus the signed note of who is
typing (``core.kept_typing``), so a form sent after the idle sign-out is kept. Registered
as a template builtin (settings.TEMPLATES), so it stands in for Django's own tag everywhere
without touching each form."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from oversight.core.kept_typing import TYPED_BY, typed_by_note

register = template.Library()


class KeptCsrfTokenNode(CsrfTokenNode):
    def render(self, context: Any) -> str:
        html = super().render(context)
        request = context.get("request")
        user = getattr(request, "user", None)
        if html and user is not None and user.is_authenticated:
            return format_html(
                '{}<input type="hidden" name="{}" value="{}">',
                html,
                TYPED_BY,
                typed_by_note(user.pk),
            )
        return html


@register.tag
def csrf_token(parser: Any, token: Any) -> KeptCsrfTokenNode:
    return KeptCsrfTokenNode()
