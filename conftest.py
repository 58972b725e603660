"""Shared test fixtures: a small partnership with one named user per role and relationship
(after healthchecks' hc/test.py), and the headless-Chromium fixtures for browser tests.

The cast, all in ``agency`` unless said otherwise:
- ``practitioner``: supervised by ``supervisor``, line-managed by ``line_manager``;
- ``supervisor``, ``line_manager``, ``agency_lead``;
- ``other_practitioner``: in ``other_agency``, supervised by ``other_supervisor``;
- ``other_lead``: lead of ``other_agency``; ``auditor``; ``administrator``;
- ``stranger``: signed in, in ``agency``, with no relationship to anyone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.backends.signals import connection_created
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from oversight.core.testing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROLE_NAMES,  # noqa: F401  (re-exported for tests that parametrise over the cast)
    browser_tests_required,
)
from oversight.people.models import Role
from oversight.people.tests import factories as f

# Property tests judge what the code answers, never how fast: no per-example deadline and no
# "too slow" health check, which a busy CI machine (the suite at several dates at once) trips.
hypothesis_settings.register_profile(
    "oversight", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("oversight")

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

if "faketime" in os.environ.get("LD_PRELOAD", ""):
    # `make test-dates` moves the clock with libfaketime, whose clock_nanosleep turns Python's
    # time.sleep into EINVAL when the monotonic clock is left real (FAKETIME_DONT_FAKE_MONOTONIC,
    # which keeps threads' timed waits working). select() waits on a relative timeout instead.
    import select
    import time

    def _sleep(seconds: float) -> None:
        select.select([], [], [], max(seconds, 0))

    time.sleep = _sleep


def _allow_truncating_the_audit_log(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Browser tests' databases are emptied with TRUNCATE, which the audit log's trigger
    refuses from every other client (core/0005)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET oversight.audit_truncate = 'allowed'")


connection_created.connect(_allow_truncating_the_audit_log)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache: home panels and dashboards keep figures for a
    few minutes, and primary keys repeat from one test's database to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class Cast:
    agency: Any
    team: Any
    staff_group: Any
    other_agency: Any
    practitioner: Any
    supervisor: Any
    line_manager: Any
    agency_lead: Any
    other_practitioner: Any
    other_supervisor: Any
    other_lead: Any
    auditor: Any
    administrator: Any
    stranger: Any

    def by_name(self, name: str) -> Any:
        return getattr(self, name)


# Fixed names: a test that finds a name on a page must not depend on Faker drawing one
# that HTML escapes (O'Donnell) or that contains another cast member's name.
CAST_NAMES = {
    "practitioner": ("Amara", "Okafor"),
    "supervisor": ("Ben", "Hughes"),
    "line_manager": ("Clare", "Morgan"),
    "agency_lead": ("Dev", "Patel"),
    "stranger": ("Erin", "Walsh"),
    "other_practitioner": ("Faye", "Turner"),
    "other_supervisor": ("Gareth", "Lloyd"),
    "other_lead": ("Hannah", "Price"),
    "auditor": ("Isla", "Grant"),
    "administrator": ("Jack", "Reid"),
}


def named(username: str) -> Any:
    given, family = CAST_NAMES[username]
    return f.PersonFactory(username=username, given_name=given, family_name=family)


@pytest.fixture
def cast(db: None) -> Cast:
    agency = f.AgencyFactory(name="Testshire Children's Services")
    other_agency = f.AgencyFactory(name="Testshire Community Health")
    team = f.TeamFactory(agency=agency, name="Assessment Team")
    group = f.StaffGroupFactory(agency=agency, name="Social workers")

    def staff(username: str, agency: Any, role: str, title: str) -> Any:
        person = named(username)
        same = agency.pk == team.agency_id
        f.MembershipFactory(
            person=person,
            agency=agency,
            team=team if same else None,
            staff_group=group if same else None,
            job_title=title,
        )
        f.RoleAssignmentFactory(person=person, agency=agency, role=role)
        return person

    practitioner = staff("practitioner", agency, Role.PRACTITIONER, "Social worker")
    supervisor = staff("supervisor", agency, Role.SUPERVISOR, "Practice supervisor")
    line_manager = staff("line_manager", agency, Role.LINE_MANAGER, "Team manager")
    agency_lead = staff("agency_lead", agency, Role.AGENCY_LEAD, "Principal social worker")
    stranger = staff("stranger", agency, Role.PRACTITIONER, "Family support worker")
    other_practitioner = staff(
        "other_practitioner", other_agency, Role.PRACTITIONER, "Health visitor"
    )
    other_supervisor = staff(
        "other_supervisor", other_agency, Role.SUPERVISOR, "Safeguarding supervisor"
    )
    other_lead = staff("other_lead", other_agency, Role.AGENCY_LEAD, "Named nurse")
    auditor = named("auditor")
    f.RoleAssignmentFactory(person=auditor, agency=None, role=Role.PARTNERSHIP_AUDITOR)
    administrator = named("administrator")
    f.RoleAssignmentFactory(person=administrator, agency=None, role=Role.ADMINISTRATOR)

    f.SupervisionRelationshipFactory(supervisor=supervisor, supervisee=practitioner, agency=agency)
    f.LineManagementFactory(manager=line_manager, report=practitioner, agency=agency)
    f.SupervisionRelationshipFactory(supervisor=agency_lead, supervisee=supervisor, agency=agency)
    f.SupervisionRelationshipFactory(
        supervisor=other_supervisor, supervisee=other_practitioner, agency=other_agency
    )
    f.TrainingRecordFactory(person=supervisor)
    return Cast(
        agency=agency,
        team=team,
        staff_group=group,
        other_agency=other_agency,
        practitioner=practitioner,
        supervisor=supervisor,
        line_manager=line_manager,
        agency_lead=agency_lead,
        other_practitioner=other_practitioner,
        other_supervisor=other_supervisor,
        other_lead=other_lead,
        auditor=auditor,
        administrator=administrator,
        stranger=stranger,
    )


# --- Browser tests -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    if not os.path.exists(CHROMIUM):
        if browser_tests_required():
            pytest.fail(f"Chromium not found at {CHROMIUM}; browser tests are required in CI.")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI=true requires it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# --- Two processes (pytest-xdist) ------------------------------------------------------------

# Tests that run the deployment guide's commands (make install assets, collectstatic into one
# STATIC_ROOT, npm ci when the lock file changed) and the one that runs node from node_modules.
_ONE_AT_A_TIME = {
    "test_deploy_smoke",
    "test_serve",
    "test_scale_out",
    "test_upgrade_rollback",
    "test_oidc",
}


def pytest_make_parametrize_id(config: Any, val: Any, argname: str) -> str | None:
    """Sets named in a test's id in sorted order: each process collects the same ids, whatever
    its hash seed (pytest-xdist refuses to run otherwise)."""
    if isinstance(val, set | frozenset):
        return "{" + ", ".join(sorted(map(repr, val))) + "}" if val else "set()"
    return None


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """`make test` runs the suite in two processes (pytest-xdist, decision 0027). The tests
    that run the deployment guide's commands share the repository's build and collected
    files, so they go to one process, one after another, with the OpenID tests, whose node
    modules the guide's `make install` would reinstall if the lock file had changed."""
    for item in items:
        if getattr(item.module, "__name__", "").rsplit(".", 1)[-1] in _ONE_AT_A_TIME:
            item.add_marker(pytest.mark.xdist_group("deployment-guide"))
