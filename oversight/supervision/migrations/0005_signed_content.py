"""Signed means fixed (issue 10 item 4): a stored snapshot of each fully signed record with
its hash, and a hash on each addendum. Records already signed are sealed as they read now
(the nearest to what was signed that is left), addenda hashed as they stand."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from oversight.supervision.signed import addendum_hash

    Addendum = apps.get_model("supervision", "Addendum")
    for addendum in Addendum.objects.filter(content_hash="").iterator():
        Addendum.objects.filter(pk=addendum.pk).update(content_hash=addendum_hash(addendum))
    SessionRecord = apps.get_model("supervision", "SessionRecord")
    if SessionRecord.objects.filter(status="signed").exists():
        # The snapshot needs the models' own display names and labels: the service, on the
        # models as they are when this runs.
        from oversight.supervision.services.records import records_seal_unsealed

        records_seal_unsealed()


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0004_disclosure_links_to_its_record'),
    ]

    operations = [
        migrations.AddField(
            model_name='addendum',
            name='content_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.CreateModel(
            name='SignedContent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content', models.JSONField()),
                ('content_hash', models.CharField(max_length=64)),
                ('sealed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('record', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='signed_content', to='supervision.sessionrecord')),
            ],
            options={
                'verbose_name_plural': 'signed contents',
            },
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
