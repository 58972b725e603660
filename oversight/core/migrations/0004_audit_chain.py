"""Chain the audit log (issue 10 item 4): every entry carries the hash of the one before and
its own. Entries written before the chain existed are chained here, in the order written."""

from django.db import migrations, models

from oversight.core.models import audit_event_hash

TRIGGER = "core_auditevent_append_only"


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE core_auditevent DISABLE TRIGGER {TRIGGER}")
    previous = ""
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        event.previous_hash = previous
        event.hash = audit_event_hash(event)
        AuditEvent.objects.filter(pk=event.pk).update(
            previous_hash=event.previous_hash, hash=event.hash
        )
        previous = event.hash
    if postgresql:
        schema_editor.execute(f"ALTER TABLE core_auditevent ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_append_only_trigger")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
