"""Decisions made in a dashboard's period, counted from an index (decision 0032)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0015_discussion_agency"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", True)),
                fields=["decided_on"],
                include=["id", "agency", "recorded_on_file_at", "file_due_on"],
                name="decision_in_period",
            ),
        ),
    ]
