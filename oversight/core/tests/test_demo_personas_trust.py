"""Issue 9 item 9, "leads are people too": the demo's agency leads have supervisors; no demo
persona's own compliance reads overdue by hundreds of days; and no persona's home page says
"Up to date" while a compliance panel on the same page counts people overdue or needing
attention. The demo is built for a pinned day, so the test holds on any date."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from oversight.assurance.compliance import compliance_for
from oversight.people.demo import PERSONAS
from oversight.people.models import Person, Role, RoleAssignment, SupervisionRelationship

NOW = dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()
PANELS = ("last and next sessions", "Supervision compliance of your staff")
# Anything a compliance panel counts as overdue or needing attention.
NOT_UP_TO_DATE = re.compile(
    r"\d+ of your [a-z ]+ (is|are) overdue|\d+ needs? attention|overdue by \d+|"
    r"\d+ actions? overdue|unsigned past the deadline|No session planned"
)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _panels(html: str) -> list[str]:
    """The text of each compliance panel (a <section> whose heading names it)."""
    found = []
    for section in re.findall(r"<section.*?</section>", html, flags=re.S):
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", section, flags=re.S)
        if heading and any(p in heading.group(1) for p in PANELS):
            found.append(_text(section))
    return found


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_demo_leads_are_supervised_and_no_persona_reads_up_to_date_beside_overdue(
    client: object,
) -> None:
    call_command("seed_demo", "--today", TODAY.isoformat(), stdout=StringIO(), stderr=StringIO())
    leads = set(
        RoleAssignment.objects.filter(role=Role.AGENCY_LEAD).values_list("person_id", flat=True)
    )
    supervised = set(
        SupervisionRelationship.objects.on(TODAY).values_list("supervisee_id", flat=True)
    )
    assert leads and leads <= supervised, "every agency lead has a supervisor"
    for username, *_ in PERSONAS:
        person = Person.objects.get(username=username)
        for row in compliance_for(on=TODAY, person_ids=[person.pk]):
            assert row.has_supervisor, f"{username} has a supervisor"
            assert row.days_overdue < 30, f"{username}: {row.issues}"
        client.force_login(person)  # type: ignore[attr-defined]
        html = client.get(reverse("home")).content.decode()  # type: ignore[attr-defined]
        text = _text(html)
        for days in re.findall(r"[Oo]verdue by (\d[\d,]*) day", text):
            assert int(days.replace(",", "")) < 100, f"{username}: overdue by {days} days"
        panels = _panels(html)
        if any("Up to date" in p for p in panels):
            assert not [p for p in panels if NOT_UP_TO_DATE.search(p)], (
                f"{username}: 'Up to date' beside something overdue"
            )
