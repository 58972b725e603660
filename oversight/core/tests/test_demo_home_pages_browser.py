"""Issue 5 acceptance: each demo sign-in (seed_demo's personas) signs in through the form and
finds on the home page the due and overdue items the demo data holds for that role, and
axe-core (WCAG 2.2 AA) finds nothing on any home page.

The demo is built once, for today (the pages judge "due" and "overdue" by today's date), and
every expected fact is read from the database through the apps' selectors, so the test holds
whatever the date. Where the demo promises something (practitioner.csc has an overdue action,
supervisor.health's training has lapsed, ...) the test says so first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Q
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from oversight.assurance.compliance import compliance_for
from oversight.assurance.selectors import named_compliance_rows
from oversight.children import selectors as children
from oversight.contracts import selectors as contracts
from oversight.contracts.display import REVIEW_SOON_DAYS
from oversight.core.testing import assert_accessible, sign_in, sign_out
from oversight.people.models import Membership, Person, SupervisionRelationship
from oversight.people.selectors import access_profile, supervisor_training_status
from oversight.supervision import selectors as supervision
from oversight.supervision.models import Session, SessionStatus

pytestmark = pytest.mark.browser

PASSWORD = "demo-home-pages"
COMPLIANCE = "Supervision compliance of your staff"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _day(day: dt.date) -> str:
    return date_filter(day, "j M Y")


@dataclass
class Home:
    """The home page as the signed-in person sees it, and what the database says about them."""

    page: Any
    person: Person
    today: dt.date

    def text(self) -> str:
        return _norm(self.page.locator("main").inner_text())

    def section(self, title: str) -> Any:
        heading = self.page.get_by_role("heading", name=title, exact=True, level=2)
        assert heading.count() == 1, f"{self.person.username}: no panel {title!r}"
        return self.page.locator("section").filter(has=heading)

    def panel(self, title: str) -> str:
        return _norm(self.section(title).inner_text())

    def lines(self, title: str) -> list[str]:
        return [_norm(t) for t in self.section(title).locator("li").all_inner_texts()]

    def has_panel(self, title: str) -> bool:
        return self.page.get_by_role("heading", name=title, exact=True, level=2).count() > 0

    def linked(self, title: str, selector: str, href: str) -> str:
        """The text of the one ``selector`` (li, tr) in the panel that links to ``href``."""
        found = (
            self.section(title).locator(selector).filter(has=self.page.locator(f'a[href="{href}"]'))
        )
        assert found.count() == 1, f"{self.person.username}: {href} once in {title!r}"
        return _norm(found.inner_text())


# --- What any supervisee sees ----------------------------------------------------------------


def _next_session(home: Home) -> None:
    session = supervision.sessions_upcoming(home.person).first()
    assert session is not None, f"the demo plans a next session for {home.person.username}"
    panel = home.panel("Your next supervision session")
    assert date_filter(timezone.localtime(session.planned_start), "l j F Y, H:i") in panel
    if session.supervisee_id == home.person.pk:
        assert f"with {session.supervisor.display_name}" in panel


def _actions(home: Home) -> list[Any]:
    actions = list(supervision.actions_open_for(home.person)[:20])
    if not actions:
        assert not home.has_panel("Your open actions")
        return actions
    lines = home.lines("Your open actions")
    for action in actions:
        start = f"{action.description} – due {_day(action.due_on)}"
        line = next((x for x in lines if x.startswith(start)), None)
        assert line is not None, f"{home.person.username}: action {start!r} not on the page"
        lines.remove(line)
        assert ("Overdue" in line) == action.is_overdue_on(home.today), line
    return actions


def _children_due(home: Home) -> Any:
    due = children.children_due_for(home.person, today=home.today)
    title = "Children due for discussion in supervision"
    if not (due.overdue or due.due_soon):
        assert not home.has_panel(title)
        return due
    panel = home.panel(title)
    assert f"{len(due.overdue)} overdue, {len(due.due_soon)} due in the next 14 days" in panel
    for row in due.overdue[:10] + due.due_soon[:10]:
        assert row.child.display_name in panel
    return due


def _my_contract(home: Home) -> Any:
    mine = contracts.contract_current(supervisee_id=home.person.pk, on=home.today)
    awaiting = list(contracts.contracts_awaiting_signature_of(person_id=home.person.pk))
    if mine is None and not awaiting:
        return None
    panel = home.panel("Supervision contracts")
    if mine is not None:
        assert (
            f"Your contract with {mine.supervisor.display_name} agrees supervision every "
            f"{mine.frequency_days} days. It is due for review on "
            f"{date_filter(mine.review_due_on, 'j F Y')}"
        ) in panel
    for contract in awaiting:
        if contract.supervisee_id == home.person.pk:
            assert (
                f"Sign the contract with your supervisor {contract.supervisor.display_name}: "
                f"supervision every {contract.frequency_days} days"
            ) in panel
    return mine or awaiting[0]


def _records_overdue(home: Home) -> list[Any]:
    overdue = list(supervision.records_overdue_for(home.person, today=home.today)[:20])
    title = "Records not signed by their deadline"
    if not overdue:
        assert not home.has_panel(title)
    for record in overdue:
        line = home.linked(title, "li", reverse("supervision:record", args=[record.session_id]))
        assert record.sign_by is not None
        assert f"Overdue: due {_day(record.sign_by)}" in line
    return overdue


def _supervisee(home: Home) -> dict[str, Any]:
    _next_session(home)
    return {
        "actions": _actions(home),
        "children": _children_due(home),
        "contract": _my_contract(home),
        "records": _records_overdue(home),
    }


# --- What a supervisor and a line manager see ------------------------------------------------


def _my_people(home: Home) -> None:
    """Each supervisee and report with the last session held and the next planned."""
    people = set(
        SupervisionRelationship.objects.on(home.today)
        .filter(supervisor=home.person)
        .values_list("supervisee_id", flat=True)
    ) | set(access_profile(home.person).report_ids)
    rows = {r.person_id: r for r in compliance_for(on=home.today, person_ids=people)}
    title = next(
        t
        for t in (
            "Your supervisees: last and next sessions",
            "Your reports: last and next sessions",
            "Your supervisees and reports: last and next sessions",
        )
        if home.has_panel(t)
    )
    overdue = sum(1 for r in rows.values() if r.days_overdue)
    assert (f"{overdue} of your" if overdue else "None of your") in home.panel(title)
    for pk in people:
        row = home.linked(title, "tbody tr", reverse("people:person_detail", args=[pk]))
        last = (
            Session.objects.filter(supervisee_id=pk, status=SessionStatus.HELD)
            .order_by("-held_on")
            .values_list("held_on", flat=True)
            .first()
        )
        assert (_day(last) if last else "None held") in row
        planned = (
            Session.objects.filter(
                supervisee_id=pk,
                status=SessionStatus.PLANNED,
                planned_start__gte=timezone.now() - dt.timedelta(hours=12),
            )
            .order_by("planned_start")
            .values_list("planned_start", flat=True)
            .first()
        )
        expected = date_filter(timezone.localtime(planned), "j M Y, H:i") if planned else None
        assert (expected or "None planned") in row
        assert ("Overdue" in row) == bool(rows[pk].days_overdue), row


def _supervisor(home: Home) -> dict[str, Any]:
    profile = access_profile(home.person)
    _my_people(home)
    unsigned = list(supervision.unsigned_records_of_supervisees(profile.supervisee_ids)[:20])
    title = "Your supervisees' unsigned records"
    for record in unsigned:
        line = home.linked(title, "li", reverse("supervision:record", args=[record.session_id]))
        assert record.session.supervisee is not None
        assert record.session.supervisee.display_name in line
        assert ("Overdue" in line) == record.is_overdue_on(home.today), line
    due = list(
        contracts.contracts_due_for_review(
            on=home.today, supervisor_id=home.person.pk, within_days=REVIEW_SOON_DAYS
        )
    )
    for contract in due:
        line = home.linked(
            "Supervision contracts", "li", reverse("contracts:contract_detail", args=[contract.pk])
        )
        assert contract.supervisee.display_name in line
        assert ("Overdue" in line) == (contract.review_due_on < home.today), line
    in_view = children.children_visible_to(home.person).filter(
        Q(allocated_practitioner_id__in=profile.supervisee_ids | profile.report_ids)
        | Q(agency_id__in=profile.led_agency_ids)
    )
    flags = list(children.drift_flags_open(in_view)[:20])
    if flags:
        panel = home.panel("Children flagged for drift")
        for flag in flags:
            assert flag.child.display_name in panel
    urgent = list(children.urgent_requests_waiting_for(supervisor_id=home.person.pk))
    for request in urgent:
        line = home.linked(
            "Urgent discussion requested",
            "li",
            reverse("children:urgent_respond", args=[request.pk]),
        )
        assert f"{request.requested_by.display_name} asked for an urgent discussion" in line
    _children_due(home)
    return {"unsigned": unsigned, "contracts_due": due, "drift": flags, "urgent": urgent}


def _staff_compliance(home: Home) -> list[Any]:
    """Line managers and leads: by team and by staff group, with the names needing attention."""
    rows = named_compliance_rows(home.person, home.today)
    panel = home.panel(COMPLIANCE)
    overdue = sum(1 for r in rows if r.days_overdue)
    if overdue:
        verb = "is" if overdue == 1 else "are"
        assert f"{overdue} of your staff {verb} overdue for supervision" in panel
    else:
        assert "Nobody is overdue for supervision" in panel
    attention = sorted((r for r in rows if r.issues), key=lambda r: (-r.days_overdue, r.name))
    for row in attention[:10]:
        line = home.linked(COMPLIANCE, "li", reverse("people:person_detail", args=[row.person_id]))
        assert line == f"{row.name} ({row.team_name}): {'; '.join(row.issues)}"
    section = home.section(COMPLIANCE)
    by_team = _norm(section.locator("table", has_text="By team").inner_text())
    by_group = _norm(section.locator("table", has_text="By staff group").inner_text())
    for row in rows:
        assert f"{row.team_name}, {row.agency_name}" in by_team
        assert f"{row.staff_group_name}, {row.agency_name}" in by_group
    return attention


# --- The personas ----------------------------------------------------------------------------


def _practitioner_csc(home: Home) -> None:
    seen = _supervisee(home)
    assert any(a.is_overdue_on(home.today) for a in seen["actions"]), "an overdue action"
    assert seen["children"].overdue, "children overdue for discussion"
    assert seen["contract"].status == "active"
    assert seen["records"], "a record past its deadline for signature"
    supervisor = Person.objects.get(username="supervisor.csc")
    assert f"with {supervisor.display_name}" in home.panel("Your next supervision session")
    assert not home.has_panel(COMPLIANCE)


def _practitioner_nq(home: Home) -> None:
    seen = _supervisee(home)
    post = Membership.objects.on(home.today).get(person=home.person)
    assert f"Newly qualified until {_day(post.new_starter_until)}" in home.text()
    contract = seen["contract"]
    policy = contracts.policy_in_force(
        agency_id=post.agency_id, staff_group_id=post.staff_group_id, on=contract.starts_on
    )
    assert contract.frequency_days == policy.new_starter_interval_days < policy.interval_days
    assert f"supervision every {contract.frequency_days} days" in home.panel(
        "Supervision contracts"
    )


def _practitioner_health(home: Home) -> None:
    seen = _supervisee(home)
    assert seen["children"].overdue or seen["children"].due_soon
    assert seen["contract"] is not None


def _supervisor_csc(home: Home) -> None:
    seen = _supervisor(home)
    assert seen["urgent"] and seen["drift"] and seen["contracts_due"]
    assert any(r.is_overdue_on(home.today) for r in seen["unsigned"])
    assert not home.has_panel(COMPLIANCE)


def _supervisor_health(home: Home) -> None:
    assert supervisor_training_status(home.person, on=home.today) == "lapsed"
    assert "Your supervisor training: Training lapsed" in home.text()
    seen = _supervisor(home)
    assert seen["drift"] and seen["contracts_due"]
    _supervisee(home)


def _manager_csc(home: Home) -> None:
    assert _staff_compliance(home), "names of staff needing attention"
    _my_people(home)
    _supervisee(home)


def _lead(home: Home) -> None:
    assert _staff_compliance(home), "names of staff needing attention"
    _supervisor(home)
    for post in Membership.objects.on(home.today).filter(person=home.person):
        assert reverse("assurance:agency_dashboard", args=[post.agency_id]) in (
            home.section(COMPLIANCE).inner_html()
        )


def _no_names_but_mine(home: Home) -> None:
    text = home.text()
    others = Person.objects.exclude(pk=home.person.pk)
    assert not [p.display_name for p in others if p.display_name in text]


def _auditor(home: Home) -> None:
    panel = home.panel("Partnership dashboard and record audits")
    assert "no names or notes" in panel
    assert (
        home.section("Partnership dashboard and record audits")
        .get_by_role("link", name="Partnership dashboard")
        .is_visible()
    )
    assert not home.has_panel(COMPLIANCE)
    _no_names_but_mine(home)


def _admin(home: Home) -> None:
    admin = home.page.locator("main").get_by_role("heading", name="Administration", exact=True)
    assert admin.is_visible()
    for name in ("Administration overview", "Import staff from a CSV file"):
        assert home.page.locator("main").get_by_role("link", name=name).is_visible()
    assert not home.has_panel(COMPLIANCE)
    _no_names_but_mine(home)


PERSONAS = (
    ("practitioner.csc", _practitioner_csc),
    ("practitioner.nq", _practitioner_nq),
    ("practitioner.health", _practitioner_health),
    ("supervisor.csc", _supervisor_csc),
    ("supervisor.health", _supervisor_health),
    ("manager.csc", _manager_csc),
    ("lead.csc", _lead),
    ("lead.health", _lead),
    ("auditor", _auditor),
    ("admin", _admin),
)


def test_each_demo_sign_in_sees_their_due_and_overdue_items(
    transactional_db: None, live_server: Any, browser_page: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    cache.clear()  # home figures are kept per person and day; start without any
    today = timezone.localdate()
    call_command("seed_demo", "--today", today.isoformat(), stdout=StringIO(), stderr=StringIO())
    page = browser_page
    for username, check in PERSONAS:
        person = Person.objects.get(username=username)
        sign_in(page, live_server.url, username, PASSWORD)
        page.locator("h1", has_text=person.display_name).wait_for()
        check(Home(page, person, today))
        assert_accessible(page)
        sign_out(page)
