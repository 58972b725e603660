"""On PostgreSQL the audit log refuses TRUNCATE too (issue 10 item 4): the row trigger of
core/0003 never sees a TRUNCATE, which empties the table at once.

The test suite empties its database between browser tests with TRUNCATE; its connections say
so with the session setting ``oversight.audit_truncate = 'allowed'`` (the root conftest).
Like the row trigger, this stops any client that does not own the table; an owner can drop
a trigger, and the hash chain (``manage.py verify_integrity``) is what shows that happened."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('oversight.audit_truncate', true), '') = 'allowed' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'The audit log is append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_chain")]

    operations = [migrations.RunPython(forwards, backwards)]
