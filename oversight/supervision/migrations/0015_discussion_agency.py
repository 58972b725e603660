"""Each case discussion names the agency whose supervision it took place in (decision 0032):
filled from its record's session for the rows there are, then written by the service that
adds discussions. The dashboards count a period's discussions by agency from two indexes."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    CaseDiscussion = apps.get_model("supervision", "CaseDiscussion")
    SessionRecord = apps.get_model("supervision", "SessionRecord")
    session_agency = SessionRecord.objects.filter(pk=OuterRef("record_id")).values(
        "session__agency_id"
    )[:1]
    CaseDiscussion.objects.update(agency_id=Subquery(session_agency))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("supervision", "0014_decisions_waiting"),
    ]

    operations = [
        migrations.AddField(
            model_name="casediscussion",
            name="agency",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.agency",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="casediscussion",
            name="agency",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.agency",
            ),
        ),
        migrations.RemoveIndex(model_name="casediscussion", name="discussion_in_period"),
        migrations.AddIndex(
            model_name="casediscussion",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", True)),
                fields=["discussed_on"],
                include=["agency", "specialist_referral"],
                name="discussion_in_period",
            ),
        ),
        migrations.AddIndex(
            model_name="casediscussion",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", True)),
                fields=["agency", "child", "discussed_on", "id"],
                include=["rag_rating"],
                name="discussion_by_agency_child",
            ),
        ),
    ]
