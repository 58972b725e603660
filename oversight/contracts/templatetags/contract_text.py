"""Show contract wording as people write it: lines starting "- " become a bulleted list."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def contract_text(value: str | None, empty: str = "Not agreed yet.") -> SafeString:
    text = (value or "").strip()
    if not text:
        return format_html('<p class="govuk-body">{}</p>', empty)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if all(line.startswith(("- ", "* ")) for line in lines):
        items = format_html_join("", "<li>{}</li>", ((line[2:].strip(),) for line in lines))
        return format_html('<ul class="govuk-list govuk-list--bullet">{}</ul>', items)
    paragraphs = "<br>".join(str(conditional_escape(line)) for line in lines)
    return mark_safe(f'<p class="govuk-body">{paragraphs}</p>')
