"""Existing single-agency children migrate without loss (issue 13 item 1): each child gets its
owning agency's involvement, made from the child's own fields (case reference, allocated
practitioner, the date its current status began, or the day it was added). The child's own
fields stay as they are; the owning agency's involvement is kept in step with them by the
register services from now on."""

from django.db import migrations


def owning_involvements(apps, schema_editor):
    Child = apps.get_model("children", "Child")
    AgencyInvolvement = apps.get_model("children", "AgencyInvolvement")
    already = set(
        AgencyInvolvement.objects.filter(ends_on__isnull=True, archived_at__isnull=True)
        .values_list("child_id", "agency_id")
    )
    batch = []
    for child in Child.objects.order_by("pk").iterator(chunk_size=2000):
        if (child.pk, child.agency_id) in already:
            continue
        batch.append(
            AgencyInvolvement(
                child_id=child.pk,
                agency_id=child.agency_id,
                case_reference=child.case_reference,
                allocated_worker_id=child.allocated_practitioner_id,
                starts_on=child.legal_status_since or child.created_at.date(),
                created_by_id=child.created_by_id,
                modified_by_id=child.created_by_id,
            )
        )
        if len(batch) >= 2000:
            AgencyInvolvement.objects.bulk_create(batch)
            batch = []
    AgencyInvolvement.objects.bulk_create(batch)


def remove_owning_involvements(apps, schema_editor):
    Child = apps.get_model("children", "Child")
    AgencyInvolvement = apps.get_model("children", "AgencyInvolvement")
    for child in Child.objects.order_by("pk").iterator(chunk_size=2000):
        AgencyInvolvement.objects.filter(child_id=child.pk, agency_id=child.agency_id).delete()


class Migration(migrations.Migration):
    dependencies = [("children", "0007_involvements_across_agencies")]

    operations = [migrations.RunPython(owning_involvements, remove_owning_involvements)]
