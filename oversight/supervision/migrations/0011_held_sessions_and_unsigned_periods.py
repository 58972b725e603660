"""Indexes for queries sized by the page, not by history (issue 17 item 3, decision 0025).

- Held sessions by (supervisee, type, held_on): each person's last session held.
- On PostgreSQL, a GiST index on the period each record spent unsigned past its deadline,
  ``daterange(sign_by, day the supervisee signed, '()')`` (the day in Europe/London, the
  service's TIME_ZONE, as assurance.compliance.unsigned_past_deadline_on writes it): the
  records unsigned on a past date are those whose period contains it. SQLite has no GiST."""

from django.db import migrations, models

# A record signed on or before its deadline gets the empty period (sign_by, sign_by).
SIGNED_DAY = "(timezone('Europe/London', supervisee_signed_at))::date"
UNSIGNED_PERIOD = (
    f"daterange(sign_by, CASE WHEN {SIGNED_DAY} < sign_by THEN sign_by ELSE {SIGNED_DAY} END, '()')"
)


def create_unsigned_period_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS record_unsigned_period ON supervision_sessionrecord "
            f"USING gist (({UNSIGNED_PERIOD})) "
            "WHERE archived_at IS NULL AND sign_by IS NOT NULL"
        )


def drop_unsigned_period_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS record_unsigned_period")


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0010_merge_reflective_tools"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="session",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", True), ("status", "held")),
                fields=["supervisee", "session_type", "-held_on"],
                name="session_held_by_supervisee",
            ),
        ),
        migrations.RunPython(create_unsigned_period_index, drop_unsigned_period_index),
    ]
