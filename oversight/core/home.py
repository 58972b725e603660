"""Home-page panels. The home page (people.views.HomeView) shows each person what is due and
overdue for them; every app contributes its own panels through an optional ``home.py`` with

    def panels(request: HttpRequest, profile: AccessProfile) -> list[Panel]

returning the panels that person should see (empty list when none apply). Each panel renders
its own template with its own context, built by that app's selectors.

The page opens with "what needs you today" (issue 12 item 1): every panel's ``tasks``, one
short ordered list, overdue first, then due this week, then the rest, each a count and a link
to the full page where the detail lives. A panel with ``on_home=False`` gives only its tasks;
its detail is on those pages, so the home page stays short (decision 0015)."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.apps import apps
from django.core.cache import cache
from django.http import HttpRequest

from oversight.core.routers import reading_from_replica

T = TypeVar("T")

# A lead's view spans an agency (thousands of people and children at scale), and so may a
# manager's or supervisor's with more than WIDE_SCOPE_PEOPLE people. What their pages compute
# from it is kept this long, and the page says so.
WIDE_SCOPE_SECONDS = 5 * 60
WIDE_SCOPE_PEOPLE = 50


OVERDUE = "overdue"
DUE_THIS_WEEK = "due"
TO_DO = "todo"
_TASK_ORDER = {OVERDUE: 0, DUE_THIS_WEEK: 1, TO_DO: 2}


@dataclass
class Task:
    """One line of "what needs you today": ``count`` things, said in ``label`` (which reads
    after the count, e.g. "records waiting for your signature"; ``one`` when the count is 1,
    e.g. "record waiting for your signature"), found at ``url``."""

    label: str
    count: int
    url: str
    status: str = TO_DO  # OVERDUE, DUE_THIS_WEEK or TO_DO
    order: int = 50  # within the same status, lower first
    one: str = ""
    or_more: bool = False  # the count is a cap: there may be more

    @property
    def text(self) -> str:
        count = f"{self.count} or more" if self.or_more else str(self.count)
        return f"{count} {self.one if self.count == 1 and self.one else self.label}"

    @property
    def is_overdue(self) -> bool:
        return self.status == OVERDUE

    @property
    def is_due_this_week(self) -> bool:
        return self.status == DUE_THIS_WEEK


def collect_tasks(panels: list[Panel]) -> list[Task]:
    """Every panel's tasks with something in them: overdue first, then due this week."""
    tasks = [t for p in panels for t in p.tasks if t.count]
    return sorted(tasks, key=lambda t: (_TASK_ORDER.get(t.status, 3), t.order, t.label))


TASKS_SHOWN = 6


def fold_tasks(tasks: list[Task], shown: int = TASKS_SHOWN) -> tuple[list[Task], list[Task]]:
    """The lines shown at once and those folded under "more" (issue 12 item 1: a home page
    of at most 2.5 screens): every overdue line, then others up to ``shown`` lines."""
    first = [t for t in tasks if t.is_overdue]
    rest = [t for t in tasks if not t.is_overdue]
    room = max(0, shown - len(first))
    return first + rest[:room], rest[room:]


@dataclass
class Panel:
    title: str
    template_name: str = ""  # none for a panel that gives only its tasks (on_home=False)
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50  # lower first
    # "due" counts for the summary line at the top of the page, e.g. {"overdue": 3}
    counts: dict[str, int] = field(default_factory=dict)
    # what needs the person, for the list at the top of the page (see Task)
    tasks: list[Task] = field(default_factory=list)
    # False: the panel gives only its tasks; its detail is on the pages they link to
    on_home: bool = True


def shared(request: HttpRequest, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per request: a read several apps' panels need (the agencies the
    person leads, say) is made by whichever asks first and shared with the rest (issue 17
    item 1: one set-based read per kind, not one per panel; decision 0024)."""
    reads: dict[str, Any] = request.__dict__.setdefault("_home_reads", {})
    if name not in reads:
        reads[name] = compute()
    return cast(T, reads[name])


def collect_panels(request: HttpRequest, profile: Any) -> list[Panel]:
    collected: list[Panel] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("oversight."):
            continue
        module_name = f"{config.name}.home"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        if hasattr(module, "panels"):
            collected.extend(module.panels(request, profile))
    return sorted(collected, key=lambda p: (p.order, p.title))


def is_wide_scope(profile: Any) -> bool:
    """Leads an agency, or supervises and manages more than WIDE_SCOPE_PEOPLE people."""
    people = set(profile.report_ids) | set(profile.supervisee_ids)
    return bool(profile.led_agency_ids) or len(people) > WIDE_SCOPE_PEOPLE


def kept_for_wide_scope(profile: Any, name: str, on: dt.date, compute: Callable[[], T]) -> T:
    """``compute()``, kept for a few minutes when ``profile``'s view is wide (shared by their
    home page, compliance page and exports); live for everyone else, whose view is small
    and who expect to see their own changes at once."""
    if not is_wide_scope(profile):
        return compute()
    key = f"home:{name}:{profile.person_id}:{on.isoformat()}"
    found = cache.get(key)
    if found is None:
        with reading_from_replica():  # kept figures tolerate a replica's lag (core.routers)
            found = compute()
        cache.set(key, found, WIDE_SCOPE_SECONDS)
    return cast(T, found)
