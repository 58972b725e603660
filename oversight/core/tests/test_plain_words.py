"""Issue 12 item 6, "words": users never see our internal words. Every demo persona's pages,
crawled from their home page, are read as a person reads them (tags, scripts and styles left
out), and none says "cadence", names a seed ("seed 004") or a seed's objective ("objective 4").
Those stay in the code's comments. The demo is built for a pinned day, so the test holds on
any date."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from oversight.people.demo import PERSONAS
from oversight.people.models import Person

NOW = dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))
# Internal words: the brief's "cadence", seed numbers and a seed's objectives.
INTERNAL = re.compile(r"cadence|seed 00|objective ", re.IGNORECASE)
# Links a crawl does not follow: files, signing out, and the API.
SKIP = re.compile(
    r"sign-?out|logout|\.(ics|pdf|csv|xlsx|zip|json)\b|/export|download|/api/|/admin/|/static/"
)
# Each persona visits at most this many pages, one per shape of URL (ids folded together).
PAGES_EACH = 60


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|head)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").split())


def _links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'<a\s[^>]*href="([^"#]+)', html):
        href = href.replace("&amp;", "&")
        if href.startswith("/") and not href.startswith("//") and not SKIP.search(href):
            found.append(href)
    return found


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


def crawl(client: Any, start: str = "/") -> dict[str, str]:
    """The visible text of the pages reachable from ``start``, one page per URL shape."""
    seen_shapes: set[str] = set()
    pages: dict[str, str] = {}
    queue = deque([start])
    while queue and len(pages) < PAGES_EACH:
        url = queue.popleft()
        shape = _shape(url)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = visible_text(html)
        queue.extend(link for link in _links(html) if _shape(link) not in seen_shapes)
    return pages


def test_visible_text_leaves_out_markup_and_comments() -> None:
    html = (
        "<html><head><title>x</title><style>.cadence{}</style></head><body>"
        "<!-- seed 004 objective 4 --><p>Discussed <b>every</b> month</p>"
        "<script>var cadence = 1;</script></body></html>"
    )
    assert visible_text(html) == "Discussed every month"
    assert INTERNAL.search(visible_text("<p>(seed 004 objective 4)</p>"))


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_no_demo_page_shows_internal_words(client: Any) -> None:
    call_command(
        "seed_demo", "--today", NOW.date().isoformat(), stdout=StringIO(), stderr=StringIO()
    )
    found: list[str] = []
    crawled = 0
    for username, *_ in PERSONAS:
        client.force_login(Person.objects.get(username=username))
        pages = crawl(client)
        crawled += len(pages)
        for url, text in pages.items():
            for match in INTERNAL.finditer(text):
                context = text[max(0, match.start() - 60) : match.end() + 60]
                found.append(f"{username} {url}: …{context}…")
        client.logout()
    assert crawled > 50, "the crawl reached the demo's pages"
    assert not found, "internal words shown to users:\n" + "\n".join(sorted(set(found)))
