"""Helpers for tests across apps: the access-table case type and browser-test helpers.

Each app lists the access rule of every URL it serves in ``<app>/tests/access_cases.py`` as
``CASES``; ``oversight/core/tests/test_access_table.py`` requests each URL as every member of
the test cast (conftest.py) and fails if a URL has no case or a role gets the wrong answer."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import CommandError, call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TEST_PASSWORD = "correct-horse-battery-staple"
# The members of the test cast (conftest.py ``cast``), for tests parametrised over roles.
ROLE_NAMES = (
    "practitioner",
    "supervisor",
    "line_manager",
    "agency_lead",
    "other_practitioner",
    "other_supervisor",
    "other_lead",
    "auditor",
    "administrator",
    "stranger",
)


@contextmanager
def today_is(day: dt.date, at: dt.time = dt.time(10)) -> Iterator[dt.date]:
    """Move the clock to ``at`` on ``day`` in the partnership's zone, and let it tick from
    there: a test that depends on "today" pins the day it needs instead of reading the
    machine's date (CI runs the suite at several clock dates)."""
    moment = dt.datetime.combine(day, at, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=True):
        yield day


def integrity_verified() -> tuple[int, str]:
    """``manage.py verify_integrity`` as a scheduler runs it: its exit code (0, or 1 when a
    check found a broken link) and what it printed."""
    out = StringIO()
    try:
        call_command("verify_integrity", stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def browser_tests_required() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@dataclass
class AccessCase:
    """One URL and who may use it. Everyone in the cast not in ``allowed`` gets 403."""

    url_name: str
    allowed: set[str]
    setup: Callable[[Any], dict[str, Any]] = lambda cast: {}
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    public: bool = False
    note: str = ""

    def __str__(self) -> str:
        return self.url_name + (f" [{self.note}]" if self.note else "")


# WCAG 1.4.10 reflow: no page scrolls sideways at 320 CSS px (issue 12). A wide table may
# scroll inside its own focusable, labelled box (``ov-table-scroll``); the page may not.
REFLOW_WIDTH = 320
_WIDER_THAN_SCREEN = """(width) => {
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".ov-table-scroll") && !el.matches(".ov-table-scroll")) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0 && getComputedStyle(el).visibility !== "hidden") {
      if (![...el.children].some(c => c.getBoundingClientRect().right > width + 0.5)) {
        const name = String(el.className || "").trim().split(/\\s+/).join(".");
        const text = (el.textContent || "").trim().slice(0, 40);
        wide.push(`${el.tagName.toLowerCase()}.${name} ${Math.round(box.right)}px: ${text}`);
      }
    }
  }
  return wide.slice(0, 8);
}"""


def assert_reflows(page: Any, width: int = REFLOW_WIDTH) -> None:
    """At ``width`` CSS px the page is no wider than the screen (it does not scroll sideways);
    the viewport is put back afterwards. Named on failure: the widest elements."""
    original = page.viewport_size or {"width": 1200, "height": 900}
    page.set_viewport_size({"width": width, "height": original["height"]})
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide = page.evaluate(_WIDER_THAN_SCREEN, width)
            raise AssertionError(
                f"{page.url} scrolls sideways at {width} px ({scroll_width} px wide):\n"
                + "\n".join(f"- {w}" for w in wide)
            )
    finally:
        page.set_viewport_size(original)


def assert_accessible(page: Any) -> None:
    """axe-core (WCAG 2.2 AA) reports no violations on the page as it is now, and the page
    does not scroll sideways at 320 px (``assert_reflows``): every page a browser test visits
    is checked for both."""
    from axe_playwright_python.sync_playwright import Axe

    # A click on a link returns once the next page is committed, before it is parsed: axe
    # run then finds no document. Wait for the page the click led to (CI flake, stop 24).
    page.wait_for_load_state("load")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    assert not violations, f"axe-core violations on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in violations
    )
    assert_reflows(page)


def sign_in(
    page: Any,
    base_url: str,
    username: str,
    password: str = TEST_PASSWORD,
    *,
    second_factor: bool = True,
) -> None:
    """Sign in through the password form. When the person must use a second factor, each
    app's ``AppConfig.browser_second_step`` (a dotted path; signin's gives the person an
    authenticator app and types its current code) completes it, unless ``second_factor`` is
    False: a test of the second factor itself sees the page that asks for it."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    finish = []
    if second_factor:
        for config in apps.get_app_configs():
            step = getattr(config, "browser_second_step", None)
            if step:
                finish.append(import_string(step)(username))
    page.goto(f"{base_url}/account/sign-in/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    for then in finish:
        if then is not None:
            then(page)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def version_on_page(html: str) -> str:
    """The hidden ``version`` a form page carries, as a browser would send it back."""
    found = re.search(r'<input type="hidden" name="version"(?: value="(\d*)")?', html)
    assert found, "the form carries no hidden version"
    return found.group(1) or ""


def fill_date(page: Any, legend: str, day: dt.date) -> None:
    """Type a date into a GOV.UK date input (day, month and year boxes under a legend), as a
    person would."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def shows_typed_date(html: str, name: str, typed: str) -> bool:
    """Whether a page's GOV.UK date input ``name`` holds the ISO date ``typed`` as it was
    typed, in its day, month and year boxes (a refused form keeps what was typed)."""
    year, month, day = typed.split("-")
    return all(
        f'name="{name}_{part}" value="{value}"' in html
        for part, value in (("day", day), ("month", month), ("year", year))
    )
