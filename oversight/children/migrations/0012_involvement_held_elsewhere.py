"""Each involvement says whether another agency holds the child (decision 0030): filled from
the child for the rows there are, then kept by the services that open involvements."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    AgencyInvolvement = apps.get_model("children", "AgencyInvolvement")
    Child = apps.get_model("children", "Child")
    holder = Child.objects.filter(pk=OuterRef("child_id")).values("agency_id")[:1]
    AgencyInvolvement.objects.exclude(agency_id=Subquery(holder)).update(held_elsewhere=True)


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0011_cadence_lookups"),
    ]

    operations = [
        migrations.AddField(
            model_name="agencyinvolvement",
            name="held_elsewhere",
            field=models.BooleanField(db_default=False, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="agencyinvolvement",
            index=models.Index(
                condition=models.Q(
                    ("archived_at__isnull", True),
                    ("held_elsewhere", True),
                    models.Q(("case_reference", ""), _negated=True),
                ),
                fields=["agency"],
                name="involvement_held_elsewhere",
            ),
        ),
    ]
