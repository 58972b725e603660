"""The audit log is append-only: nothing in the application, and on PostgreSQL nothing in
the database, can change or remove an entry."""

import pytest
from django.db import DatabaseError, connection, transaction

from oversight.core.models import AuditAction, AuditEvent, AuditLogImmutable
from oversight.core.services import audit_event_record


@pytest.fixture
def event(cast):
    return audit_event_record(actor=cast.supervisor, action=AuditAction.VIEW, target=cast.agency)


def test_an_entry_names_who_what_and_which_record(event, cast):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == cast.supervisor
    assert stored.action == "view"
    assert stored.object_type == "people.agency"
    assert stored.object_id == str(cast.agency.pk)


def test_entries_cannot_be_changed_or_deleted_through_the_application(event):
    event.action = AuditAction.CHANGE
    with pytest.raises(AuditLogImmutable):
        event.save()
    with pytest.raises(AuditLogImmutable):
        event.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(action="change")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "view"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_raw_updates_and_deletes(event):
    for sql in (
        "UPDATE core_auditevent SET action = 'change' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "view"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_truncate(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        # The test suite's own connections may empty the table (conftest); any other may not.
        cursor.execute("SET LOCAL oversight.audit_truncate = ''")
        cursor.execute("TRUNCATE core_auditevent CASCADE")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
