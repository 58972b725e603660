"""Bulk import of staff and relationships from an HR export (issue 2 "Pages"): every row is
checked first; one bad row and nothing is imported, each bad row named by its number (the
header is row 1, as in a spreadsheet).

An import does not rewrite history (issue 9 item 8): a supervision or line-management
relationship starts on the date the file gives for it (``supervised_since``,
``line_managed_since``) or else on the import date (the post's start date if that is later),
never on the date in post, which would make months already reported look as if the person
had a supervisor nobody was told about."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from oversight.core.exports import is_formula_like, safe_row
from oversight.core.forms import FIRST_PLAUSIBLE_DATE, LAST_PLAUSIBLE_DATE
from oversight.core.models import AuditAction
from oversight.core.services import RequestOrigin, audit_event_record

from . import services
from .models import (
    PARTNERSHIP_ROLES,
    Agency,
    ContactLevel,
    LineManagement,
    Membership,
    NewStarter,
    Person,
    Role,
    RoleAssignment,
    StaffGroup,
    SupervisionRelationship,
    Team,
)

COLUMNS = [
    "employee_number",
    "given_name",
    "family_name",
    "email",
    "username",
    "agency",
    "team",
    "staff_group",
    "job_title",
    "contact",
    "start_date",
    "new_starter",
    "new_starter_until",
    "supervisor_email",
    "supervised_since",
    "line_manager_email",
    "line_managed_since",
    "roles",
]
REQUIRED_COLUMNS = ["given_name", "family_name", "email", "agency", "job_title", "start_date"]
# Free text that reaches names and exports: refused when a spreadsheet would run it (issue 10
# item 5, core.exports).
TEXT_COLUMNS = ["employee_number", "given_name", "family_name", "username", "job_title"]
MAX_ROWS = 5000
CHECKING, SAVING = "checking", "saving"
Progress = Callable[[str, int], None]
TEMPLATE_ROWS = [
    [
        "E1001",
        "Sam",
        "Okafor",
        "sam.okafor@example.org",
        "",
        "Example Children's Services",
        "Assessment Team",
        "Social workers",
        "Social worker",
        "direct",
        "2025-09-01",
        "newly_qualified",
        "2026-08-31",
        "jo.bright@example.org",
        "2025-09-15",
        "jo.bright@example.org",
        "",
        "practitioner",
    ],
    [
        "E1002",
        "Jo",
        "Bright",
        "jo.bright@example.org",
        "jbright",
        "Example Children's Services",
        "Assessment Team",
        "",
        "Practice supervisor",
        "direct",
        "01/04/2019",
        "",
        "",
        "",
        "",
        "",
        "",
        "supervisor; line_manager",
    ],
]
_ROLE_NAMES = {r.value: r.value for r in Role} | {r.label.lower(): r.value for r in Role}


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(COLUMNS))
    writer.writerows(safe_row(r) for r in TEMPLATE_ROWS)
    return out.getvalue()


def parse_date(value: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


@dataclass
class StaffRow:
    number: int
    email: str
    given_name: str = ""
    family_name: str = ""
    username: str = ""
    employee_number: str = ""
    agency: Agency | None = None
    team: Team | None = None
    staff_group: StaffGroup | None = None
    job_title: str = ""
    contact: str = ContactLevel.DIRECT
    start_date: dt.date | None = None
    new_starter: str = NewStarter.NO
    new_starter_until: dt.date | None = None
    supervisor_email: str = ""
    supervised_since: dt.date | None = None
    line_manager_email: str = ""
    line_managed_since: dt.date | None = None
    roles: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Checker:
    """Turns raw CSV rows into StaffRows, collecting every problem with its row number."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.agencies = {a.name.lower(): a for a in Agency.objects.live()}
        self.teams = {(t.agency_id, t.name.lower()): t for t in Team.objects.live()}
        self.groups = {(g.agency_id, g.name.lower()): g for g in StaffGroup.objects.live()}

    def fail(self, number: int, message: str) -> None:
        self.errors.append(f"Row {number}: {message}")

    def date(self, number: int, raw: dict[str, str], column: str) -> dt.date | None:
        value = raw.get(column, "")
        if not value:
            return None
        try:
            day = parse_date(value)
        except ValueError:
            self.fail(number, f"{column} {value} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
            return None
        if not FIRST_PLAUSIBLE_DATE <= day <= LAST_PLAUSIBLE_DATE:
            self.fail(
                number,
                f"{column} {value} is not a plausible date (use a date from 1 January 1900 "
                "to 31 December 2100)",
            )
            return None
        return day

    def row(self, number: int, raw: dict[str, str]) -> StaffRow:
        email = raw.get("email", "").lower()
        row = StaffRow(
            number=number,
            email=email,
            given_name=raw.get("given_name", ""),
            family_name=raw.get("family_name", ""),
            username=raw.get("username", ""),
            employee_number=raw.get("employee_number", ""),
            job_title=raw.get("job_title", ""),
            supervisor_email=raw.get("supervisor_email", "").lower(),
            line_manager_email=raw.get("line_manager_email", "").lower(),
        )
        for column in REQUIRED_COLUMNS:
            if not raw.get(column):
                self.fail(number, f"{column} is empty")
        for column in TEXT_COLUMNS:
            if is_formula_like(text := raw.get(column, "")):
                self.fail(
                    number,
                    f"{column} begins with “{text[0]}”, which a spreadsheet would run as a "
                    "formula; correct it in the file",
                )
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.fail(number, f"email {email} is not an email address")
        if name := raw.get("agency"):
            row.agency = self.agencies.get(name.lower())
            if row.agency is None:
                self.fail(number, f"agency {name} is not an agency in the partnership")
        if row.agency is not None:
            for column, lookup, attr in (
                ("team", self.teams, "team"),
                ("staff_group", self.groups, "staff_group"),
            ):
                if value := raw.get(column):
                    found = lookup.get((row.agency.pk, value.lower()))
                    if found is None:
                        self.fail(number, f"{column} {value} is not in {row.agency.name}")
                    setattr(row, attr, found)
        contact = raw.get("contact", "").lower() or ContactLevel.DIRECT
        if contact not in ContactLevel.values:
            self.fail(number, f"contact {contact} must be direct or indirect")
        row.contact = contact
        row.start_date = self.date(number, raw, "start_date")
        starter = raw.get("new_starter", "").lower().replace(" ", "_").replace("-", "_")
        if starter not in NewStarter.values:
            self.fail(
                number, f"new_starter {starter} must be newly_qualified, new_to_post or blank"
            )
        row.new_starter = starter
        row.new_starter_until = self.date(number, raw, "new_starter_until")
        for since, who in (
            ("supervised_since", "supervisor_email"),
            ("line_managed_since", "line_manager_email"),
        ):
            setattr(row, since, self.date(number, raw, since))
            if raw.get(since) and not raw.get(who):
                self.fail(number, f"{since} is given but {who} is empty")
        if starter and row.new_starter_until is None and not raw.get("new_starter_until"):
            self.fail(number, "new_starter_until is needed when new_starter is set")
        for part in raw.get("roles", "").replace("|", ";").split(";"):
            if part.strip():
                role = _ROLE_NAMES.get(part.strip().lower())
                if role is None:
                    self.fail(number, f"role {part.strip()} is not a role in Oversight")
                else:
                    row.roles.append(role)
        return row


def _read(content: bytes) -> tuple[list[dict[str, str]], list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["The file is not a UTF-8 CSV file. Save it as “CSV UTF-8” and try again."]
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        return [], [f"The file has no column {', '.join(missing)}. Use the template's columns."]
    reader.fieldnames = headers
    rows = [{k: (v or "").strip() for k, v in raw.items() if k} for raw in reader]
    if not rows:
        return [], ["The file has no rows under the header."]
    if len(rows) > MAX_ROWS:
        return [], [f"The file has {len(rows)} rows; import at most {MAX_ROWS} at a time."]
    unstorable = _unstorable_cells(headers, rows)
    if unstorable:
        return [], unstorable
    return rows, []


def _unstorable_cells(headers: list[str], rows: list[dict[str, str]]) -> list[str]:
    """A NUL character (left by some exports) cannot be stored or even looked up in the
    database (issue 10 item 7): each cell holding one is named, and nothing is imported."""
    errors = [
        f"The header cell {header.replace(chr(0), '')} contains a character that cannot be stored"
        for header in headers
        if "\x00" in header
    ]
    for number, raw in enumerate(rows, start=2):
        errors.extend(
            f"Row {number}: the {column.replace(chr(0), '')} cell contains a character that "
            "cannot be stored; remove it in the file"
            for column, value in raw.items()
            if "\x00" in value
        )
    return errors


def _check(
    rows: list[dict[str, str]], progress: Progress | None = None
) -> tuple[list[StaffRow], list[str]]:
    checker = _Checker()
    staff = []
    for done, raw in enumerate(rows, start=1):
        staff.append(checker.row(done + 1, raw))
        if progress is not None:
            progress(CHECKING, done)
    in_file: dict[str, int] = {}
    for row in staff:
        if row.email and row.email in in_file:
            checker.fail(row.number, f"email {row.email} is also on row {in_file[row.email]}")
        in_file.setdefault(row.email, row.number)
    emails = {r.email for r in staff} | {r.supervisor_email for r in staff}
    emails |= {r.line_manager_email for r in staff}
    known = {
        e.lower(): (u, pk)
        for e, u, pk in Person.objects.filter(email__in=emails - {""}).values_list(
            "email", "username", "pk"
        )
    }
    usernames = {r.username.lower() for r in staff if r.username}
    taken = {
        u.lower(): e.lower()
        for u, e in Person.objects.filter(username__in=usernames).values_list("username", "email")
    }
    for row in staff:
        if row.username and taken.get(row.username.lower(), row.email) != row.email:
            checker.fail(row.number, f"username {row.username} belongs to someone else")
        for column in ("supervisor_email", "line_manager_email"):
            value = getattr(row, column)
            if not value:
                continue
            if value == row.email:
                checker.fail(row.number, f"{column} is the person themselves")
            elif value not in in_file and value not in known:
                checker.fail(
                    row.number, f"{column} {value} is not a person in the file or the system"
                )
    return staff, checker.errors


def staff_import_read(content: bytes) -> tuple[list[dict[str, str]], list[str]]:
    """The file's rows, or what is wrong with the file as a whole (encoding, columns, size,
    characters that cannot be stored): checked in the request, before anything is queued."""
    return _read(content)


def staff_import_csv(
    *,
    actor: Person,
    content: bytes,
    origin: RequestOrigin | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row, then create people, posts, roles and relationships through the
    services in one transaction. Any problem — in the checks or from a service — and nothing
    is kept. ``progress(stage, rows)`` is told how far the checks (``CHECKING``) and then the
    saving (``SAVING``) have gone."""
    rows, errors = _read(content)
    if errors:
        return ImportResult(errors=errors)
    staff, errors = _check(rows, progress)
    if errors:
        return ImportResult(errors=errors)
    return _save(staff, actor=actor, origin=origin, progress=progress)


@transaction.atomic
def _save(
    staff: list[StaffRow],
    *,
    actor: Person,
    origin: RequestOrigin | None,
    progress: Progress | None,
) -> ImportResult:
    result = ImportResult(
        counts={"people": 0, "posts": 0, "roles": 0, "supervision": 0, "line_management": 0}
    )

    def attempt(row: StaffRow, what: str, call: Callable[[], Any]) -> bool:
        try:
            with transaction.atomic():
                call()
        except ValidationError as error:
            result.errors.extend(f"Row {row.number}: {m}" for m in error.messages)
            return False
        result.counts[what] += 1
        return True

    people: dict[str, Person] = {
        p.email.lower(): p
        for p in Person.objects.filter(email__in=[r.email for r in staff if r.email])
    }
    for row in staff:
        if row.email not in people:

            def create(row: StaffRow = row) -> None:
                people[row.email] = services.person_create(
                    actor=actor,
                    given_name=row.given_name,
                    family_name=row.family_name,
                    email=row.email,
                    username=row.username,
                    origin=origin,
                )

            attempt(row, "people", create)
    if result.errors:
        transaction.set_rollback(True)
        return ImportResult(errors=result.errors)
    extra = Person.objects.filter(
        email__in={r.supervisor_email for r in staff} | {r.line_manager_email for r in staff}
    )
    for person in extra:
        people.setdefault(person.email.lower(), person)
    for done, row in enumerate(staff, start=1):
        _import_row(row, people, actor=actor, origin=origin, attempt=attempt)
        if progress is not None:
            progress(SAVING, done)
    if result.errors:
        transaction.set_rollback(True)
        return ImportResult(errors=result.errors)
    audit_event_record(
        actor=actor,
        action=AuditAction.IMPORT,
        origin=origin,
        detail={"kind": "staff_csv", "rows": len(staff), **result.counts},
    )
    return result


def _import_row(
    row: StaffRow,
    people: dict[str, Person],
    *,
    actor: Person,
    origin: RequestOrigin | None,
    attempt: Callable[[StaffRow, str, Callable[[], Any]], bool],
) -> None:
    person = people[row.email]
    assert row.agency is not None and row.start_date is not None
    agency, starts_on = row.agency, row.start_date
    # Never earlier than the import by default (issue 9 item 8); a post starting later
    # than today starts its relationships with it.
    from_now = max(timezone.localdate(), starts_on)
    if not Membership.objects.current().filter(person=person, agency=agency).exists():
        attempt(
            row,
            "posts",
            lambda: services.membership_create(
                actor=actor,
                person=person,
                agency=agency,
                team=row.team,
                staff_group=row.staff_group,
                job_title=row.job_title,
                employee_number=row.employee_number,
                contact_level=row.contact,
                starts_on=starts_on,
                new_starter=row.new_starter,
                new_starter_until=row.new_starter_until,
                origin=origin,
            ),
        )
    held = set(
        RoleAssignment.objects.current().filter(person=person).values_list("role", "agency_id")
    )
    for role in row.roles:
        if (role, None if role in PARTNERSHIP_ROLES else agency.pk) in held:
            continue
        attempt(
            row,
            "roles",
            lambda role=role: services.role_assign(  # type: ignore[misc]
                actor=actor,
                person=person,
                role=role,
                agency=None if role in PARTNERSHIP_ROLES else agency,
                starts_on=starts_on,
                origin=origin,
            ),
        )
    current = SupervisionRelationship.objects.current().filter(supervisee=person, agency=agency)
    if (
        row.supervisor_email
        and not current.filter(supervisor=people[row.supervisor_email]).exists()
    ):
        attempt(
            row,
            "supervision",
            lambda: services.supervision_relationship_start(
                actor=actor,
                supervisor=people[row.supervisor_email],
                supervisee=person,
                agency=agency,
                starts_on=row.supervised_since or from_now,
                origin=origin,
            ),
        )
    managed = LineManagement.objects.current().filter(report=person, agency=agency)
    if (
        row.line_manager_email
        and not managed.filter(manager=people[row.line_manager_email]).exists()
    ):
        attempt(
            row,
            "line_management",
            lambda: services.line_management_start(
                actor=actor,
                manager=people[row.line_manager_email],
                report=person,
                agency=agency,
                starts_on=row.line_managed_since or from_now,
                origin=origin,
            ),
        )
