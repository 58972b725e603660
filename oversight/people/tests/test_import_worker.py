"""The staff import with the real worker (issue 10 item 9): the page queues the file and moves
on to its progress; another process, ``manage.py db_worker``, imports it while the page shows
rows done of the total, then the outcome. A bad row imports nothing and is named; a worker
killed mid-import leaves nothing half-saved and the next worker finishes it.

Like core's worker tests these need PostgreSQL (``DATABASE_URL``) and are skipped on SQLite
and under libfaketime."""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from oversight.core.tests import test_worker
from oversight.core.tests.mailserver import free_port
from oversight.core.tests.test_worker import WAIT_SECONDS, worker
from oversight.people.models import Membership, Person, StaffImport, StaffImportState

from .test_imports import _csv, _row

pytestmark = test_worker.pytestmark

ROWS = 250


def _upload(cast: Any, content: bytes) -> tuple[Client, str]:
    client = Client()
    client.force_login(cast.administrator)
    upload = SimpleUploadedFile("staff.csv", content, content_type="text/csv")
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        response = client.post(reverse("people:staff_import"), {"file": upload})
    assert response.status_code == 302, response.content.decode()
    return client, response["Location"]


def _follow(job: StaffImport, process: Any) -> list[tuple[str, int]]:
    """Every (state, rows done) the progress row showed until the import ended."""
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + WAIT_SECONDS * 3
    while time.monotonic() < deadline and process.poll() is None:
        job.refresh_from_db(fields=["state", "rows_done"])
        if not seen or seen[-1] != (job.state, job.rows_done):
            seen.append((job.state, job.rows_done))
        if job.is_finished:
            return seen
        time.sleep(0.05)
    pytest.fail(f"The import did not end. Seen: {seen}")


def test_the_worker_imports_the_file_while_the_page_shows_its_progress(cast: Any) -> None:
    before = Person.objects.count()
    rows = [_row(n, cast.agency.name) for n in range(1, ROWS + 1)]
    with worker(free_port()) as process:
        client, url = _upload(cast, _csv(rows))
        job = StaffImport.objects.get()
        seen = _follow(job, process)
    assert seen[-1] == (StaffImportState.DONE, ROWS)
    saving = [done for state, done in seen if state == StaffImportState.SAVING]
    assert any(0 < done < ROWS for done in saving), f"no progress shown while saving: {seen}"
    page = client.get(url).content.decode()
    assert "Import complete" in page and f"{ROWS} new people" in page
    assert Person.objects.count() == before + ROWS
    assert Membership.objects.filter(person__email__startswith="staff").count() == ROWS


def test_a_bad_last_row_imports_nothing_and_the_page_names_it(cast: Any) -> None:
    before = Person.objects.count()
    rows = [_row(n, cast.agency.name) for n in range(1, ROWS + 1)]
    rows[-1]["agency"] = "Nowhere Council"
    with worker(free_port()) as process:
        client, url = _upload(cast, _csv(rows))
        _follow(StaffImport.objects.get(), process)
    page = client.get(url).content.decode()
    assert "Nothing was imported. 1 problem found" in page
    assert f"Row {ROWS + 1}: agency Nowhere Council is not an agency in the partnership" in page
    assert Person.objects.count() == before


def test_an_import_cut_off_by_a_killed_worker_is_finished_by_the_next_with_no_duplicates(
    cast: Any,
) -> None:
    before = Person.objects.count()
    rows = [_row(n, cast.agency.name) for n in range(1, ROWS + 1)]
    with worker(free_port()) as first:
        client, url = _upload(cast, _csv(rows))
        job = StaffImport.objects.get()
        deadline = time.monotonic() + WAIT_SECONDS * 3
        while time.monotonic() < deadline:
            job.refresh_from_db(fields=["state", "rows_done"])
            if job.state == StaffImportState.SAVING and job.rows_done > 0:
                break
            time.sleep(0.05)
        else:
            pytest.fail("The import never began saving")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=WAIT_SECONDS)
    # The cut-off transaction saved nothing.
    assert Person.objects.count() == before
    with worker(free_port()) as second:
        seen = _follow(job, second)
    assert seen[-1] == (StaffImportState.DONE, ROWS)
    assert Person.objects.count() == before + ROWS
    assert "Import complete" in client.get(url).content.decode()
